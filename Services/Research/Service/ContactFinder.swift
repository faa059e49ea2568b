import Foundation

/// Chooses up to five people to contact about a job: at most three primary (the hiring manager,
/// a team lead, a recruiter, the department's head) and the rest secondary (executives, peers).
///
/// Only people found in the evidence are chosen. When none were found, the result is role
/// placeholders ("Hiring Manager, Engineering at Acme"), always flagged `isSynthetic`, so the user
/// knows to look the person up rather than write to a name that does not exist.
enum ContactFinder {
    static let maximumContacts = 5
    static let maximumPrimary = 3

    struct Job: Sendable {
        var company: String
        var title: String
        var department: String?
        var isAgency: Bool
    }

    static func contacts(for job: Job, people: [FoundPerson]) -> [Contact] {
        let jobWords = Set(words(job.title + " " + (job.department ?? ""))).subtracting(genericWords)
        var candidates: [(contact: Contact, rank: Int)] = []
        var seen = Set<String>()
        for person in people {
            let key = person.name.lowercased()
            guard seen.insert(key).inserted else { continue }
            let role = person.role ?? ""
            let type = contactType(of: role)
            let roleWords = Set(words(role))
            let sameTeam = !jobWords.isDisjoint(with: roleWords)
            let primary: Bool
            var rank: Int
            switch type {
            case .hiringManager: (primary, rank) = (true, sameTeam ? 0 : 2)
            case .recruiter: (primary, rank) = (true, 1)
            case .vpDirector: (primary, rank) = (sameTeam, sameTeam ? 3 : 6)
            case .executive: (primary, rank) = (false, 7)
            case .peer: (primary, rank) = (false, sameTeam ? 5 : 8)
            }
            if person.email != nil { rank -= 1 }
            let contact = Contact(
                name: person.name,
                role: role.isEmpty ? "Works at \(job.company)" : role,
                contactType: type,
                priority: primary ? .primary : .secondary,
                profileURL: person.profileURL,
                email: person.email,
                whyRelevant: why(type, sameTeam: sameTeam, job: job),
                source: person.source,
                isSynthetic: false
            )
            candidates.append((contact, rank))
        }
        guard !candidates.isEmpty else { return placeholders(for: job) }

        var chosen: [Contact] = []
        var primaries = 0
        for candidate in candidates.sorted(by: { $0.rank < $1.rank }) where chosen.count < maximumContacts {
            var contact = candidate.contact
            if contact.priority == .primary {
                if primaries == maximumPrimary { contact.priority = .secondary } else { primaries += 1 }
            }
            chosen.append(contact)
        }
        return chosen.sorted { ($0.priority == .primary ? 0 : 1) < ($1.priority == .primary ? 0 : 1) }
    }

    /// Roles to look for when no person was found.
    static func placeholders(for job: Job) -> [Contact] {
        if job.isAgency {
            return [
                Contact(name: "Recruiter at \(job.company)", role: "Recruiter", contactType: .recruiter, priority: .primary,
                        whyRelevant: "\(job.company) is a recruitment agency: its recruiter handles this role for the client",
                        source: "placeholder", isSynthetic: true),
                Contact(name: "Account Manager at \(job.company)", role: "Account Manager", contactType: .recruiter, priority: .secondary,
                        whyRelevant: "owns the client relationship behind this role", source: "placeholder", isSynthetic: true),
            ]
        }
        let team = job.department.map { ", \($0)" } ?? ""
        return [
            Contact(name: "Hiring Manager\(team) at \(job.company)", role: "Hiring Manager\(team)", contactType: .hiringManager,
                    priority: .primary, whyRelevant: "decides on the \(job.title) hire", source: "placeholder", isSynthetic: true),
            Contact(name: "Recruiter at \(job.company)", role: "Recruiter", contactType: .recruiter, priority: .primary,
                    whyRelevant: "runs the hiring process for \(job.title)", source: "placeholder", isSynthetic: true),
        ]
    }

    static func contactType(of role: String) -> Contact.ContactType {
        let words = Set(words(role))
        let text = " " + words.sorted().joined(separator: " ") + " "
        if !words.isDisjoint(with: ["recruiter", "recruiting", "sourcer", "talent", "recruitment"]) { return .recruiter }
        if !words.isDisjoint(with: ["ceo", "cto", "cfo", "coo", "cmo", "cpo", "founder", "cofounder", "chief", "president"]),
           !words.contains("vice") {
            return .executive
        }
        if !words.isDisjoint(with: ["vp", "vice", "director", "head", "svp", "evp"]) { return .vpDirector }
        if words.contains("manager") || text.contains(" hiring ") || words.contains("lead") { return .hiringManager }
        return .peer
    }

    private static func why(_ type: Contact.ContactType, sameTeam: Bool, job: Job) -> String {
        switch type {
        case .hiringManager: sameTeam ? "likely hiring manager for the \(job.title) role" : "manages a team at \(job.company)"
        case .recruiter: "recruits for \(job.company); can route the application"
        case .vpDirector: sameTeam ? "leads the department the \(job.title) role sits in" : "senior leader at \(job.company)"
        case .executive: "executive at \(job.company); sets the direction the role serves"
        case .peer: sameTeam ? "works in the team the role joins" : "works at \(job.company)"
        }
    }

    private static let genericWords: Set<String> = ["senior", "staff", "junior", "lead", "principal", "manager", "the", "and", "of", "i", "ii", "iii", "remote"]

    private static func words(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }
}
