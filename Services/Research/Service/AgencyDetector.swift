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
    /// Phrases an agency's posting uses about the one employer it recruits for. Singular and
    /// followed by what the client is: employers speak of "our clients" and "our client base" all
    /// the time (a hundred postings of the dataset do), agencies of "our client, a fintech in Berlin".
    private static let clientPhrases = [
        "on behalf of our client", "on behalf of a client", "on behalf of my client", "recruiting on behalf of",
        "our client is", "our client, a", "our client, an", "our client, who", "our client has", "our client are",
        "our client, one of", "my client is", "my client, a", "my client, an", "for a leading client", "a client of ours",
        "we are recruiting for our client", "we're recruiting for our client", "we are recruiting for a client",
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
        if let phrase = clientPhrases.first(where: text.contains) {
            return Verdict(isAgency: true, reason: "the posting recruits for a client (\"\(phrase)\")")
        }
        return Verdict(isAgency: false, reason: nil)
    }
}
