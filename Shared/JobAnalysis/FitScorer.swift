import Domain
import Foundation

/// Scores a job against the master CV: required skills 50 points, preferred skills 10, years of
/// experience 10, seniority 15, location 15.
///
/// Skills are compared by canonical taxonomy name, so a CV listing "Postgres" and "k8s" covers a
/// posting asking for PostgreSQL and Kubernetes. The candidate's skills come from the skill groups,
/// each role's skills and keywords, and the skills the achievements mention.
public struct FitScorer: Sendable {
    public struct Candidate: Sendable {
        /// Canonical names (taxonomy skills) and lower-cased raw terms (anything else).
        var skills: Set<String>
        var seniority: Seniority
        var years: Int
        var location: String
    }

    let taxonomy: SkillTaxonomy
    let candidate: Candidate

    public init(master: MasterCV, taxonomy: SkillTaxonomy = .standard, now: Date = Date()) {
        self.taxonomy = taxonomy
        var skills = Set<String>()
        var terms = master.skills.flatMap(\.skills)
        for role in master.roles { terms += role.skills + role.keywords + role.achievements.flatMap(\.keywords) }
        for term in terms {
            skills.insert(taxonomy.entry(named: term)?.name ?? term.lowercased())
        }
        let prose = [master.candidate.summary] + master.roles.flatMap { $0.achievements.map(\.coreFact) }
        for mention in taxonomy.mentions(in: prose.joined(separator: "\n")) { skills.insert(mention.skill.name) }
        let years = Self.yearsOfExperience(master.roles, now: now)
        let seniority = master.roles.first.map { RoleClassifier.seniority(ofTitle: $0.title, yearsExperience: years) } ?? .mid
        candidate = Candidate(skills: skills, seniority: seniority, years: years, location: master.candidate.location)
    }

    public func assess(_ job: JobDescriptionAnalysis) -> FitAssessment {
        let has = { (name: String) in candidate.skills.contains(name) || candidate.skills.contains(name.lowercased()) }
        var required = job.requiredSkills
        if required.isEmpty { required = job.technicalSkills.map(\.name) }
        let preferred = job.preferredSkills
        let matchedRequired = required.filter(has)
        let matchedPreferred = preferred.filter(has)

        // A job that names no skills at all is neither a match nor a mismatch on skills.
        let requiredPoints = required.isEmpty ? 25 : Int((50 * Double(matchedRequired.count) / Double(required.count)).rounded())
        let preferredPoints = preferred.isEmpty ? 5 : Int((10 * Double(matchedPreferred.count) / Double(preferred.count)).rounded())
        let experiencePoints: Int
        if let needed = job.yearsExperience, needed > 0 {
            experiencePoints = candidate.years >= needed ? 10 : Int((10 * Double(candidate.years) / Double(needed)).rounded())
        } else {
            experiencePoints = 10
        }
        let gap = abs(job.seniority.rank - candidate.seniority.rank)
        let seniorityPoints = [15, 11, 6, 2][min(gap, 3)]
        let (locationPoints, locationNote) = location(job)

        let score = requiredPoints + preferredPoints + experiencePoints + seniorityPoints + locationPoints
        let category = FitAssessment.Category(score: score)
        return FitAssessment(
            score: score,
            category: category,
            matchedRequiredSkills: matchedRequired,
            missingRequiredSkills: required.filter { !has($0) },
            matchedPreferredSkills: matchedPreferred,
            missingPreferredSkills: preferred.filter { !has($0) },
            jobSeniority: job.seniority,
            candidateSeniority: candidate.seniority,
            requiredYears: job.yearsExperience,
            candidateYears: candidate.years,
            remotePolicy: job.remotePolicy,
            locationNote: locationNote,
            breakdown: .init(
                requiredSkills: requiredPoints,
                preferredSkills: preferredPoints,
                experience: experiencePoints,
                seniority: seniorityPoints,
                location: locationPoints
            ),
            rationale: rationale(
                score: score,
                category: category,
                required: (matchedRequired, required),
                preferred: (matchedPreferred, preferred),
                job: job,
                locationNote: locationNote
            )
        )
    }

    private func location(_ job: JobDescriptionAnalysis) -> (Int, String) {
        let candidatePlaces = Set(Words.of(candidate.location))
        let jobPlaces = Set(Words.of(job.location ?? ""))
        let overlaps = !candidatePlaces.isDisjoint(with: jobPlaces)
        switch job.remotePolicy {
        case .fullyRemote:
            return (15, "Fully remote")
        case .hybrid, .onsite:
            let mode = job.remotePolicy == .hybrid ? "Hybrid" : "On-site"
            let place = job.location.map { " in \($0)" } ?? ""
            return overlaps ? (15, "\(mode)\(place), where you are") : (4, "\(mode)\(place); you are in \(candidate.location)")
        case .notSpecified:
            return overlaps ? (12, "Location \(job.location ?? "not stated") matches yours") : (8, "Work location not stated")
        }
    }

    private func rationale(
        score: Int,
        category: FitAssessment.Category,
        required: (matched: [String], all: [String]),
        preferred: (matched: [String], all: [String]),
        job: JobDescriptionAnalysis,
        locationNote: String
    ) -> String {
        var parts: [String] = []
        if required.all.isEmpty {
            parts.append("the posting names no specific skills")
        } else {
            var text = "\(required.matched.count) of \(required.all.count) required skills"
            if !required.matched.isEmpty { text += " (\(Self.list(required.matched)))" }
            let missing = required.all.filter { !required.matched.contains($0) }
            if !missing.isEmpty { text += "; missing \(Self.list(missing))" }
            parts.append(text)
        }
        if !preferred.all.isEmpty {
            parts.append("\(preferred.matched.count) of \(preferred.all.count) preferred skills")
        }
        let seniority = job.seniority == candidate.seniority
            ? "\(job.seniority.rawValue) level matches yours"
            : "\(job.seniority.rawValue) level against your \(candidate.seniority.rawValue)"
        parts.append(seniority)
        if let years = job.yearsExperience {
            parts.append("asks for \(years)+ years, you have \(candidate.years)")
        }
        parts.append(locationNote.prefix(1).lowercased() + locationNote.dropFirst())
        return "\(category.rawValue.capitalized) fit (\(score)/100): " + parts.joined(separator: "; ") + "."
    }

    private static func list(_ names: [String]) -> String {
        names.count <= 6 ? names.joined(separator: ", ") : names.prefix(6).joined(separator: ", ") + " and \(names.count - 6) more"
    }

    /// Years from the earliest role's start to now, counting overlapping roles once.
    public static func yearsOfExperience(_ roles: [MasterCV.Role], now: Date) -> Int {
        let months = roles.compactMap { month(of: $0.start) }
        guard let first = months.min() else { return 0 }
        let calendar = Calendar(identifier: .gregorian)
        let components = calendar.dateComponents(in: TimeZone(identifier: "UTC") ?? .current, from: now)
        let current = (components.year ?? 1970) * 12 + (components.month ?? 1) - 1
        return max(0, (current - first) / 12)
    }

    /// "2021-04" or "2021" as months since year 0.
    private static func month(of date: String) -> Int? {
        let parts = date.split(separator: "-")
        guard let year = parts.first.flatMap({ Int($0) }) else { return nil }
        let month = parts.count > 1 ? Int(parts[1]) ?? 1 : 1
        return year * 12 + month - 1
    }
}
