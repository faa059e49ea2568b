import JobAnalysis
import LanguageModels

/// The fields an LLM provider is asked for: the parts of the analysis where reading beats keyword
/// rules. The schema is what its reply is validated against (and what the prompt shows it).
struct ModelAnalysis: Codable, Sendable, Equatable {
    struct Finding: Codable, Sendable, Equatable {
        var summary: String
        var sentence: String
        var kind: String?
    }

    var roleCategory: String
    var seniority: String
    var remotePolicy: String
    var yearsExperience: Int?
    var responsibilities: [String]
    var qualifications: [String]
    var niceToHaves: [String]
    var requiredSkills: [String]
    var preferredSkills: [String]
    var softSkills: [String]
    var topKeywords: [String]
    var painPoints: [Finding]
    var successMetrics: [Finding]

    enum CodingKeys: String, CodingKey {
        case roleCategory = "role_category"
        case seniority
        case remotePolicy = "remote_policy"
        case yearsExperience = "years_experience"
        case responsibilities, qualifications
        case niceToHaves = "nice_to_haves"
        case requiredSkills = "required_skills"
        case preferredSkills = "preferred_skills"
        case softSkills = "soft_skills"
        case topKeywords = "top_keywords"
        case painPoints = "implied_pain_points"
        case successMetrics = "success_metrics"
    }

    init(_ analysis: JobDescriptionAnalysis) {
        roleCategory = analysis.roleCategory.rawValue
        seniority = analysis.seniority.rawValue
        remotePolicy = analysis.remotePolicy.rawValue
        yearsExperience = analysis.yearsExperience
        responsibilities = analysis.responsibilities
        qualifications = analysis.qualifications
        niceToHaves = analysis.niceToHaves
        requiredSkills = analysis.requiredSkills
        preferredSkills = analysis.preferredSkills
        softSkills = analysis.softSkills
        topKeywords = analysis.topKeywords
        painPoints = analysis.painPoints.map { Finding(summary: $0.summary, sentence: $0.sentence, kind: $0.kind) }
        successMetrics = analysis.successMetrics.map { Finding(summary: $0.summary, sentence: $0.sentence, kind: $0.kind) }
    }

    static let schema: JSONSchema = {
        let strings = JSONSchema.array(of: .string(minLength: 1))
        let finding = JSONSchema.object([
            "summary": .string(minLength: 3, maxLength: 160),
            "sentence": .string(minLength: 10, summary: "quoted exactly from the posting"),
            "kind": JSONSchema.string(enum: ["pain_point", "strategic_need", "risk_if_unfilled", "success_metric"]).orNull(),
        ], required: ["summary", "sentence"])
        return .object([
            "role_category": .string(enum: RoleCategory.allCases.map(\.rawValue)),
            "seniority": .string(enum: Seniority.allCases.map(\.rawValue)),
            "remote_policy": .string(enum: RemotePolicy.allCases.map(\.rawValue)),
            "years_experience": JSONSchema.integer(minimum: 0, maximum: 40).orNull(),
            "responsibilities": strings,
            "qualifications": strings,
            "nice_to_haves": strings,
            "required_skills": strings.summarized("canonical skill names the posting requires"),
            "preferred_skills": strings.summarized("skills the posting calls a plus or nice to have"),
            "soft_skills": strings,
            "top_keywords": .array(of: .string(minLength: 1), minItems: 10, maxItems: 20),
            "implied_pain_points": .array(of: finding, maxItems: 8),
            "success_metrics": .array(of: finding, maxItems: 8),
        ], required: ["role_category", "seniority", "remote_policy", "responsibilities", "qualifications", "nice_to_haves",
                      "required_skills", "preferred_skills", "soft_skills", "top_keywords", "implied_pain_points", "success_metrics"])
    }()
}
