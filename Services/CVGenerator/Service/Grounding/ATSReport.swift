import JobAnalysis

/// How a CV reads to an applicant-tracking system: which of the job's required and preferred skills
/// it contains, which are missing, and whether acronyms appear with their full term ("AWS" and
/// "Amazon Web Services"), since ATS searches use either.
public struct ATSReport: Sendable, Equatable, Codable {
    public struct TermPair: Sendable, Equatable, Codable {
        public var acronym: String
        public var fullTerm: String
        /// Which of the two the CV contains: `both`, `acronym`, `full_term`.
        public var present: String

        enum CodingKeys: String, CodingKey {
            case acronym, present
            case fullTerm = "full_term"
        }
    }

    public var requiredCovered: [String]
    public var requiredMissing: [String]
    public var preferredCovered: [String]
    public var preferredMissing: [String]
    /// 0–100: the share of required skills covered (preferred count half).
    public var coverage: Int
    public var termPairs: [TermPair]

    enum CodingKeys: String, CodingKey {
        case coverage
        case requiredCovered = "required_covered"
        case requiredMissing = "required_missing"
        case preferredCovered = "preferred_covered"
        case preferredMissing = "preferred_missing"
        case termPairs = "term_pairs"
    }

    public init(cv text: String, job: JobDescriptionAnalysis, taxonomy: SkillTaxonomy = .standard) {
        let present = Set(taxonomy.mentions(in: text).map(\.skill.name))
        requiredCovered = job.requiredSkills.filter(present.contains)
        requiredMissing = job.requiredSkills.filter { !present.contains($0) }
        preferredCovered = job.preferredSkills.filter(present.contains)
        preferredMissing = job.preferredSkills.filter { !present.contains($0) }
        let total = Double(job.requiredSkills.count) + Double(job.preferredSkills.count) / 2
        let covered = Double(requiredCovered.count) + Double(preferredCovered.count) / 2
        coverage = total == 0 ? 100 : Int((covered / total * 100).rounded())
        // Acronym pairs for the skills the CV names: an all-capitals spelling and a spelled-out one.
        let lower = text.lowercased()
        termPairs = present.sorted().compactMap { name -> TermPair? in
            guard let skill = taxonomy.entry(named: name) else { return nil }
            let spellings = [skill.name] + skill.aliases
            guard let acronym = spellings.first(where: { $0.count >= 2 && $0.count <= 6 && $0.allSatisfy { $0.isUppercase || $0.isNumber || $0 == "/" } }),
                  let full = spellings.first(where: { $0.split(separator: " ").count >= 2 && $0.first?.isUppercase == true }) else { return nil }
            let hasAcronym = text.contains(acronym)
            let hasFull = lower.contains(full.lowercased())
            return TermPair(acronym: acronym, fullTerm: full, present: hasAcronym && hasFull ? "both" : hasAcronym ? "acronym" : "full_term")
        }
    }
}
