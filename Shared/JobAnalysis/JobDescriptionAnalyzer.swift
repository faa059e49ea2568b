import TextAnalysis

/// The deterministic engine: turns a structured job description into a ``JobDescriptionAnalysis``
/// with no model and no network.
///
/// Everything it reports comes from the posting: skills through the ``SkillTaxonomy`` (required when
/// they appear in the requirements or duties, preferred in a nice-to-have section or on a line
/// flagged "a plus"), years and degrees from requirement sentences, pain points and success metrics
/// with the sentence each came from. An LLM provider, when configured, refines this result; it never
/// replaces the need for it.
///
/// ```swift
/// let structure = DescriptionStructurer.structure(html: html)
/// let analysis = JobDescriptionAnalyzer().analyze(.init(title: "Senior Data Engineer", company: "Acme"), structure: structure)
/// analysis.requiredSkills   // ["Python", "Apache Spark", "SQL", …]
/// ```
public struct JobDescriptionAnalyzer: Sendable {
    /// The posting's own fields, which the text is read together with.
    public struct Posting: Sendable {
        public var title: String
        public var company: String
        public var location: String?
        /// The board's `remote`, `hybrid` or `onsite`, if it says.
        public var workplaceType: String?
        public var isRemote: Bool?
        public var department: String?
        /// Pay from the board's structured fields, used when the text states none.
        public var boardSalary: StatedSalary?

        public init(
            title: String,
            company: String,
            location: String? = nil,
            workplaceType: String? = nil,
            isRemote: Bool? = nil,
            department: String? = nil,
            boardSalary: StatedSalary? = nil
        ) {
            self.title = title
            self.company = company
            self.location = location
            self.workplaceType = workplaceType
            self.isRemote = isRemote
            self.department = department
            self.boardSalary = boardSalary
        }
    }

    public let taxonomy: SkillTaxonomy
    private let classifier = RoleClassifier()

    public init(taxonomy: SkillTaxonomy = .standard) {
        self.taxonomy = taxonomy
    }

    private static let requirementTypes: Set<SectionType> = [.qualifications, .technicalSkills, .experience, .education]
    private static let preferredTypes: Set<SectionType> = [.niceToHave]
    private static let contextTypes: Set<SectionType> = [.aboutRole, .other]
    private static let ignoredTypes: Set<SectionType> = [.benefits, .compensation, .equalOpportunity, .applicationProcess]
    /// A line in a requirements list that marks itself optional.
    private static let optionalLine = PhraseSet([
        "nice to have", "nice to haves", "bonus", "a plus", "is a plus", "big plus", "huge plus", "preferred",
        "ideally", "desirable", "would be great", "not required", "advantageous", "an advantage", "bonus points",
    ])

    public func analyze(_ posting: Posting, structure: DescriptionStructure) -> JobDescriptionAnalysis {
        let text = DescriptionText(structure)
        let hasRequirements = text.sections.contains { Self.requirementTypes.contains($0.type) || $0.type == .responsibilities }

        // Skills, read per section and per line class so a "nice to have" line inside the
        // requirements still counts as preferred.
        // "Notion" is a skill in most postings and the employer in Notion's own: a company's name is never
        // one of its job's skills.
        var tally = SkillTally(excluding: taxonomy.entry(named: posting.company)?.name)
        for mention in taxonomy.mentions(in: posting.title) { tally.add(mention, as: .required, weight: 5) }
        for section in text.sections where !Self.ignoredTypes.contains(section.type) {
            var required: [String] = []
            var preferred: [String] = []
            let base = baseRequirement(of: section.type, hasRequirements: hasRequirements)
            for line in section.lines {
                if base == .required, Self.optionalLine.matches(line.words) {
                    preferred.append(line.text)
                } else if base == .preferred {
                    preferred.append(line.text)
                } else {
                    required.append(line.text)
                }
            }
            let weight = Self.weight(of: section.type)
            if !required.isEmpty {
                for mention in taxonomy.mentions(in: required.joined(separator: "\n")) { tally.add(mention, as: base, weight: weight) }
            }
            if !preferred.isEmpty {
                for mention in taxonomy.mentions(in: preferred.joined(separator: "\n")) { tally.add(mention, as: .preferred, weight: 1.5) }
            }
        }

        let requirementSentences = text.sentences(of: Self.requirementTypes.union([.niceToHave]))
        let allSentences = text.sentences(except: Self.ignoredTypes)
        let dutySentences = text.sentences(of: [.responsibilities, .aboutRole, .other, .aboutCompany])
        let years = RequirementReader.yearsExperience(in: requirementSentences, inRequirements: true)
            ?? RequirementReader.yearsExperience(in: allSentences, inRequirements: false)
        let education = RequirementReader.education(in: text.sentences(of: Self.requirementTypes), optionalSection: false)
            ?? RequirementReader.education(in: text.sentences(of: Self.preferredTypes), optionalSection: true)
        let role = classifier.classify(
            title: posting.title,
            department: posting.department,
            text: text.sentences(of: [.responsibilities, .aboutRole, .qualifications]),
            yearsExperience: years,
            dominantSkillFamily: tally.dominantFamily
        )
        let salaryText = text.sentences(of: [.compensation]) + text.sentences(except: [.compensation])
        let responsibilities = text.points(of: [.responsibilities])
        let qualifications = text.points(of: Self.requirementTypes)
        let lineOptional = qualifications.filter { Self.optionalLine.matches(Words.of($0)) }
        let pointSentences = (responsibilities + qualifications).map(Sentence.init)

        return JobDescriptionAnalysis(
            title: posting.title,
            company: posting.company,
            location: posting.location,
            remotePolicy: RemotePolicyReader.policy(
                workplace: posting.workplaceType,
                isRemote: posting.isRemote,
                location: posting.location,
                sentences: text.sentences(except: [.equalOpportunity, .benefits])
            ),
            jobFamily: role.family,
            roleCategory: role.category,
            seniority: role.seniority,
            competencyWeights: CompetencyWeigher.weights(
                for: role.category,
                seniority: role.seniority,
                sentences: pointSentences
            ),
            responsibilities: responsibilities,
            qualifications: qualifications.filter { !lineOptional.contains($0) },
            niceToHaves: text.points(of: Self.preferredTypes) + lineOptional,
            technicalSkills: tally.requirements(),
            softSkills: tally.softSkills(),
            topKeywords: KeywordRanker.topKeywords(skills: tally.ranked(), title: posting.title, points: pointSentences),
            yearsExperience: years,
            education: education,
            salary: SalaryReader.salary(in: salaryText) ?? posting.boardSalary,
            painPoints: SignalReader.painPoints(in: dutySentences),
            successMetrics: SignalReader.successMetrics(in: dutySentences + requirementSentences)
        )
    }

    /// What a skill in a section of this type is to the job. A posting with no requirement or duty
    /// section at all (one block of prose) is read as all requirements, or it would have none.
    private func baseRequirement(of type: SectionType, hasRequirements: Bool) -> SkillRequirement.Requirement {
        switch type {
        case .qualifications, .technicalSkills, .experience, .education, .responsibilities: .required
        case .niceToHave: .preferred
        case .aboutRole, .other: hasRequirements ? .mentioned : .required
        default: .mentioned
        }
    }

    private static func weight(of type: SectionType) -> Double {
        switch type {
        case .qualifications, .technicalSkills, .experience, .education: 3
        case .responsibilities: 2.5
        case .niceToHave, .aboutRole: 1.5
        case .aboutCompany: 0.5
        default: 1
        }
    }
}

/// Skills found so far with their strongest requirement and a weighted count for ranking.
private struct SkillTally {
    private struct Entry {
        var skill: SkillTaxonomy.Skill
        var requirement: SkillRequirement.Requirement
        var occurrences: Int
        var score: Double
        var order: Int
    }

    private var entries: [String: Entry] = [:]
    private let excluded: String?

    init(excluding excluded: String?) {
        self.excluded = excluded
    }

    mutating func add(_ mention: SkillTaxonomy.Mention, as requirement: SkillRequirement.Requirement, weight: Double) {
        let name = mention.skill.name
        guard name != excluded else { return }
        var entry = entries[name] ?? Entry(skill: mention.skill, requirement: requirement, occurrences: 0, score: 0, order: entries.count)
        entry.requirement = Self.stronger(entry.requirement, requirement)
        entry.occurrences += mention.occurrences
        entry.score += Double(mention.occurrences) * weight
        entries[name] = entry
    }

    private static func stronger(_ lhs: SkillRequirement.Requirement, _ rhs: SkillRequirement.Requirement) -> SkillRequirement.Requirement {
        if lhs == .required || rhs == .required { return .required }
        if lhs == .preferred || rhs == .preferred { return .preferred }
        return .mentioned
    }

    private var byImportance: [Entry] {
        entries.values.sorted { $0.score != $1.score ? $0.score > $1.score : $0.order < $1.order }
    }

    func requirements() -> [SkillRequirement] {
        let rank: [SkillRequirement.Requirement: Int] = [.required: 0, .preferred: 1, .mentioned: 2]
        return byImportance.filter { !$0.skill.isSoft }
            .sorted { (rank[$0.requirement] ?? 3) < (rank[$1.requirement] ?? 3) }
            .map { SkillRequirement(name: $0.skill.name, category: $0.skill.category, requirement: $0.requirement, occurrences: $0.occurrences) }
    }

    func softSkills() -> [String] {
        byImportance.filter { $0.skill.isSoft && $0.requirement != .mentioned }.map(\.skill.name)
    }

    /// Hard skills that matter to the job (required or preferred), most important first.
    func ranked() -> [String] {
        byImportance.filter { !$0.skill.isSoft && $0.requirement != .mentioned }.map(\.skill.name)
    }

    /// The family most of the required skills belong to, to classify a job whose title says little.
    var dominantFamily: SkillFamily? {
        var scores: [SkillFamily: Double] = [:]
        for entry in entries.values where !entry.skill.isSoft && entry.requirement == .required {
            scores[entry.skill.family, default: 0] += entry.score
        }
        return scores.max { $0.value != $1.value ? $0.value < $1.value : $0.key.rawValue > $1.key.rawValue }?.key
    }
}
