/// What the analysis of a job description found: the "extracted JD" every later step (fit, research,
/// tailoring, the UI) reads instead of the raw text.
///
/// JSON keys are snake_case and spelled out, because LLM providers are asked for this same shape and
/// the stored JSON must not change when a Swift name does.
public struct JobDescriptionAnalysis: Codable, Sendable, Equatable {
    public var title: String
    public var company: String
    public var location: String?
    public var remotePolicy: RemotePolicy
    public var jobFamily: JobFamily
    public var roleCategory: RoleCategory
    public var seniority: Seniority
    public var competencyWeights: CompetencyWeights
    public var responsibilities: [String]
    public var qualifications: [String]
    public var niceToHaves: [String]
    /// Hard skills in canonical taxonomy names, required ones first.
    public var technicalSkills: [SkillRequirement]
    /// Interpersonal skills asked for, canonical names.
    public var softSkills: [String]
    /// 10–20 terms a CV for this job should contain, most important first.
    public var topKeywords: [String]
    /// The least experience the posting asks for.
    public var yearsExperience: Int?
    public var education: EducationRequirement?
    public var salary: StatedSalary?
    public var painPoints: [Evidence]
    public var successMetrics: [Evidence]

    public init(
        title: String,
        company: String,
        location: String? = nil,
        remotePolicy: RemotePolicy = .notSpecified,
        jobFamily: JobFamily = .other,
        roleCategory: RoleCategory = .other,
        seniority: Seniority = .mid,
        competencyWeights: CompetencyWeights = .balanced,
        responsibilities: [String] = [],
        qualifications: [String] = [],
        niceToHaves: [String] = [],
        technicalSkills: [SkillRequirement] = [],
        softSkills: [String] = [],
        topKeywords: [String] = [],
        yearsExperience: Int? = nil,
        education: EducationRequirement? = nil,
        salary: StatedSalary? = nil,
        painPoints: [Evidence] = [],
        successMetrics: [Evidence] = []
    ) {
        self.title = title
        self.company = company
        self.location = location
        self.remotePolicy = remotePolicy
        self.jobFamily = jobFamily
        self.roleCategory = roleCategory
        self.seniority = seniority
        self.competencyWeights = competencyWeights
        self.responsibilities = responsibilities
        self.qualifications = qualifications
        self.niceToHaves = niceToHaves
        self.technicalSkills = technicalSkills
        self.softSkills = softSkills
        self.topKeywords = topKeywords
        self.yearsExperience = yearsExperience
        self.education = education
        self.salary = salary
        self.painPoints = painPoints
        self.successMetrics = successMetrics
    }

    enum CodingKeys: String, CodingKey {
        case title, company, location
        case remotePolicy = "remote_policy"
        case jobFamily = "job_family"
        case roleCategory = "role_category"
        case seniority
        case competencyWeights = "competency_weights"
        case responsibilities, qualifications
        case niceToHaves = "nice_to_haves"
        case technicalSkills = "technical_skills"
        case softSkills = "soft_skills"
        case topKeywords = "top_keywords"
        case yearsExperience = "years_experience"
        case education, salary
        case painPoints = "implied_pain_points"
        case successMetrics = "success_metrics"
    }

    /// Required skills' canonical names.
    public var requiredSkills: [String] { technicalSkills.filter { $0.requirement == .required }.map(\.name) }
    /// Preferred (nice-to-have) skills' canonical names.
    public var preferredSkills: [String] { technicalSkills.filter { $0.requirement == .preferred }.map(\.name) }
}

/// Where the work happens.
public enum RemotePolicy: String, Codable, Sendable, CaseIterable {
    case fullyRemote = "fully_remote"
    case hybrid
    case onsite
    case notSpecified = "not_specified"
}

/// The broad kind of work, which decides how a CV is pitched.
public enum JobFamily: String, Codable, Sendable, CaseIterable {
    case engineering, data, design, product, sales, marketing, finance, operations, people, support, legal, security, other
}

/// The role as a hiring team thinks of it: the engineering ladder for engineering jobs (the CV
/// generator pitches a staff engineer differently from an engineering manager), the function for
/// every other job.
public enum RoleCategory: String, Codable, Sendable, CaseIterable {
    case softwareEngineer = "software_engineer"
    case seniorEngineer = "senior_engineer"
    case staffPrincipalEngineer = "staff_principal_engineer"
    case techLead = "tech_lead"
    case engineeringManager = "engineering_manager"
    case director, head, vp, cto
    case dataEngineering = "data_engineering"
    case dataScience = "data_science"
    case machineLearning = "machine_learning"
    case devopsInfrastructure = "devops_infrastructure"
    case security
    case qualityAssurance = "quality_assurance"
    case productManagement = "product_management"
    case design, sales
    case accountManagement = "account_management"
    case customerSuccess = "customer_success"
    case customerSupport = "customer_support"
    case marketing, finance, operations, people, legal, executive, other
}

/// How senior the role is, lowest first.
public enum Seniority: String, Codable, Sendable, CaseIterable, Comparable {
    case intern, entry, mid, senior, staff, principal, lead, manager, director, vp, executive

    public static func < (lhs: Seniority, rhs: Seniority) -> Bool {
        lhs.rank != rhs.rank ? lhs.rank < rhs.rank : lhs.rawValue < rhs.rawValue
    }

    /// A rough position on one ladder, so an individual contributor and a manager can be compared:
    /// a lead, a manager and a staff engineer sit at about the same height.
    public var rank: Int {
        switch self {
        case .intern: 0
        case .entry: 1
        case .mid: 2
        case .senior: 3
        case .staff, .lead, .manager: 4
        case .principal: 5
        case .director: 6
        case .vp: 7
        case .executive: 8
        }
    }
}

/// How the job's weight splits between shipping, process, architecture and leading people; the
/// four always sum to 100.
public struct CompetencyWeights: Codable, Sendable, Equatable {
    public var delivery: Int
    public var process: Int
    public var architecture: Int
    public var leadership: Int

    public init(delivery: Int, process: Int, architecture: Int, leadership: Int) {
        self.delivery = delivery
        self.process = process
        self.architecture = architecture
        self.leadership = leadership
    }

    public static let balanced = CompetencyWeights(delivery: 25, process: 25, architecture: 25, leadership: 25)

    public var total: Int { delivery + process + architecture + leadership }
}

/// A hard skill the posting names, and whether it is a must.
public struct SkillRequirement: Codable, Sendable, Equatable {
    public enum Requirement: String, Codable, Sendable {
        /// In the requirements or the duties.
        case required
        /// In a nice-to-have section, or flagged as a plus.
        case preferred
        /// Only in the company blurb or other context.
        case mentioned
    }

    public var name: String
    public var category: String
    public var requirement: Requirement
    public var occurrences: Int

    public init(name: String, category: String, requirement: Requirement, occurrences: Int) {
        self.name = name
        self.category = category
        self.requirement = requirement
        self.occurrences = occurrences
    }
}

/// The degree a posting asks for.
public struct EducationRequirement: Codable, Sendable, Equatable {
    public enum Level: String, Codable, Sendable, CaseIterable, Comparable {
        case highSchool = "high_school", associate, bachelor, master, phd

        public static func < (lhs: Level, rhs: Level) -> Bool {
            lhs.rank < rhs.rank
        }

        var rank: Int {
            switch self {
            case .highSchool: 0
            case .associate: 1
            case .bachelor: 2
            case .master: 3
            case .phd: 4
            }
        }
    }

    public var level: Level
    /// False when the posting says "preferred", "or equivalent experience" and the like.
    public var required: Bool
    /// The sentence it came from.
    public var evidence: String

    public init(level: Level, required: Bool, evidence: String) {
        self.level = level
        self.required = required
        self.evidence = evidence
    }
}

/// Pay as the posting's text states it.
public struct StatedSalary: Codable, Sendable, Equatable {
    public enum Period: String, Codable, Sendable { case hour, day, week, month, year }

    public var minimum: Double
    public var maximum: Double
    /// ISO 4217 code.
    public var currency: String
    public var period: Period
    /// The words it was read from ("$150,000 – $180,000 per year").
    public var text: String

    public init(minimum: Double, maximum: Double, currency: String, period: Period, text: String) {
        self.minimum = minimum
        self.maximum = maximum
        self.currency = currency
        self.period = period
        self.text = text
    }
}

/// A conclusion about the job and the sentence of the posting that supports it.
public struct Evidence: Codable, Sendable, Equatable {
    public var kind: String
    public var summary: String
    public var sentence: String

    public init(kind: String, summary: String, sentence: String) {
        self.kind = kind
        self.summary = summary
        self.sentence = sentence
    }
}
