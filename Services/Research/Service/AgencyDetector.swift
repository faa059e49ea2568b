import Foundation

/// Tells a recruitment agency advertising a client's job from the employer itself.
///
/// It matters for outreach: an agency's posting is answered through the agency's recruiter, not a
/// hiring manager at a company the posting does not name. The old system short-circuited research
/// for agencies the same way: their "company" has no signals worth reading.
enum AgencyDetector {
    /// Words in a company's name that agencies use and employers rarely do.
    private static let nameWords: Set<String> = [
        "recruitment", "recruiting", "recruiters", "staffing", "headhunters", "headhunting", "executive search",
        "talent partners", "talent solutions", "resourcing", "personnel", "employment agency", "placement",
        "search partners", "talent acquisition partners",
    ]
    /// Agencies known by name alone.
    private static let knownAgencies: Set<String> = [
        "robert half", "hays", "randstad", "adecco", "michael page", "page group", "pagegroup", "manpower",
        "manpowergroup", "kforce", "harvey nash", "hudson", "korn ferry", "spencer stuart", "heidrick struggles",
        "aerotek", "teksystems", "insight global", "cybercoders", "jobot", "motion recruitment", "huxley",
        "nigel frank", "frank recruitment group", "spring professional", "kelly services", "allegis",
    ]
    /// Phrases an agency's posting uses about the employer it recruits for.
    private static let clientPhrases = [
        "our client", "on behalf of our client", "we are recruiting for", "we're recruiting for",
        "recruiting on behalf of", "our client is", "my client", "we are partnering with a", "we're partnering with a",
        "for a leading client", "client of ours",
    ]

    struct Verdict: Equatable {
        var isAgency: Bool
        /// Why, for the research report.
        var reason: String?
    }

    static func classify(companyName: String, postingText: String) -> Verdict {
        let name = " " + companyName.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: " ") + " "
        if let known = knownAgencies.first(where: { name.contains(" \($0) ") }) {
            return Verdict(isAgency: true, reason: "\(known) is a recruitment agency")
        }
        if let word = nameWords.first(where: { name.contains(" \($0) ") }) {
            return Verdict(isAgency: true, reason: "the name says \"\(word)\"")
        }
        let text = postingText.lowercased().replacingOccurrences(of: "’", with: "'")
        let hits = clientPhrases.filter(text.contains)
        if hits.count >= 1, text.contains("client") {
            return Verdict(isAgency: true, reason: "the posting recruits for a client (\"\(hits[0])\")")
        }
        return Verdict(isAgency: false, reason: nil)
    }
}
