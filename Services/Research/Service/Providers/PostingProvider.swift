import Foundation

/// The posting itself as evidence: its about-the-company section, its full text, the website its
/// links point to, and the people it names (recruiters signing it, addresses to write to). Offline,
/// always available, and the only provider every job has.
public struct PostingProvider: CompanyResearchProvider {
    public let name = "posting"
    let evidence: PostingEvidence

    public init(evidence: PostingEvidence) {
        self.evidence = evidence
    }

    public func unavailableReason() async -> String? { nil }

    public func gather(_ request: CompanyResearchRequest) async throws -> ProviderFindings {
        var pages: [ResearchPage] = []
        let source = evidence.jobURL ?? "posting"
        if let about = evidence.aboutCompany, !about.isEmpty {
            pages.append(ResearchPage(url: source, title: "About \(request.companyName) (from the posting)", text: about, kind: .about))
        }
        if !evidence.text.isEmpty {
            pages.append(ResearchPage(url: source, title: request.jobTitle, text: evidence.text, kind: .posting))
        }
        let people = PostingPeopleReader.people(in: evidence.text, source: "posting")
        var notes: [String] = []
        if evidence.aboutCompany == nil { notes.append("the posting has no about-the-company section") }
        return ProviderFindings(website: evidence.website, pages: pages, people: people, notes: notes)
    }
}

/// What the posting offers research, read from the job and its extraction.
public struct PostingEvidence: Sendable, Equatable {
    /// The posting's clean text.
    public var text: String
    /// The text of its about-the-company sections, if it has any.
    public var aboutCompany: String?
    /// The company's site as the posting's links show it (`https://acme.com`).
    public var website: String?
    public var jobURL: String?

    public init(text: String, aboutCompany: String? = nil, website: String? = nil, jobURL: String? = nil) {
        self.text = text
        self.aboutCompany = aboutCompany
        self.website = website
        self.jobURL = jobURL
    }
}

/// Reads the people a posting names: "reach out to Jane Doe, our Technical Recruiter",
/// "Questions? jane.doe@acme.com", "You'll report to Sam Lee, Head of Data".
enum PostingPeopleReader {
    private static let introductions = [
        "reach out to", "contact", "email", "questions to", "report to", "reporting to", "reports to",
        "work with", "hiring manager is", "recruiter is", "your recruiter", "apply to",
    ]

    static func people(in text: String, source: String) -> [FoundPerson] {
        var found: [FoundPerson] = []
        for line in text.split(separator: "\n") {
            let sentence = String(line)
            let lower = sentence.lowercased()
            for email in emails(in: sentence) where !found.contains(where: { $0.email == email }) {
                let local = email.split(separator: "@").first.map(String.init) ?? ""
                // A personal address (jane.doe@) names its owner; a role address (jobs@, careers@) does not.
                let parts = local.split(whereSeparator: { $0 == "." || $0 == "_" || $0 == "-" })
                guard parts.count == 2, parts.allSatisfy({ $0.count >= 2 && $0.allSatisfy(\.isLetter) }) else { continue }
                let name = parts.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
                found.append(FoundPerson(name: name, role: role(near: lower), email: email, source: source))
            }
            for introduction in introductions {
                guard let range = lower.range(of: introduction + " ") else { continue }
                let after = sentence[range.upperBound...]
                guard let name = properName(at: after), !found.contains(where: { $0.name == name }) else { continue }
                let rest = after.dropFirst(name.count).drop { $0 == "," || $0 == " " || $0 == "(" }
                let role = rest.prefix { $0 != "." && $0 != ")" && $0 != "," && $0 != ";" }
                let roleText = role.trimmingCharacters(in: .whitespaces)
                found.append(FoundPerson(
                    name: name,
                    role: roleText.split(separator: " ").count <= 6 && !roleText.isEmpty ? roleText.replacingOccurrences(of: "our ", with: "") : nil,
                    source: source
                ))
            }
        }
        return found
    }

    /// Two or three capitalised words: "Jane Doe", "Mary Ann Smith"; not "The Team" or "Our CEO".
    private static func properName(at text: Substring) -> String? {
        let words = text.split(separator: " ", maxSplits: 4).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ",.;:()")) }
        var name: [String] = []
        for word in words.prefix(3) {
            guard let first = word.first, first.isUppercase, word.count >= 2, word.dropFirst().allSatisfy({ $0.isLowercase || $0 == "-" || $0 == "'" }),
                  !notNames.contains(word.lowercased()) else { break }
            name.append(word)
        }
        return name.count >= 2 ? name.joined(separator: " ") : nil
    }

    private static let notNames: Set<String> = [
        "the", "our", "us", "we", "you", "your", "team", "hiring", "talent", "recruiting", "people", "careers", "jobs",
        "engineering", "head", "director", "manager", "senior", "lead", "chief", "vp", "please", "apply", "email",
    ]

    private static func role(near sentence: String) -> String? {
        for role in ["technical recruiter", "recruiter", "talent partner", "talent acquisition", "hiring manager", "people team"] where sentence.contains(role) {
            return role.split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
        }
        return nil
    }

    private static func emails(in text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "(" || $0 == ")" || $0 == "<" || $0 == ">" || $0 == "," || $0 == ";" })
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: ".:")) }
            .filter { token in
                let parts = token.split(separator: "@")
                return parts.count == 2 && parts[1].contains(".") && !parts[0].isEmpty
            }
            .map { $0.lowercased() }
    }
}
