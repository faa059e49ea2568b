/// How well the master CV fits a job, 0–100, and why.
public struct FitAssessment: Codable, Sendable, Equatable {
    public enum Category: String, Codable, Sendable, CaseIterable {
        case exceptional, strong, good, moderate, weak

        /// exceptional ≥ 90, strong ≥ 80, good ≥ 70, moderate ≥ 60, else weak.
        public init(score: Int) {
            switch score {
            case 90...: self = .exceptional
            case 80..<90: self = .strong
            case 70..<80: self = .good
            case 60..<70: self = .moderate
            default: self = .weak
            }
        }
    }

    /// Points per part of the score; the parts add up to `score`.
    public struct Breakdown: Codable, Sendable, Equatable {
        public var requiredSkills: Int
        public var preferredSkills: Int
        public var experience: Int
        public var seniority: Int
        public var location: Int

        enum CodingKeys: String, CodingKey {
            case requiredSkills = "required_skills"
            case preferredSkills = "preferred_skills"
            case experience, seniority, location
        }
    }

    public var score: Int
    public var category: Category
    public var matchedRequiredSkills: [String]
    public var missingRequiredSkills: [String]
    public var matchedPreferredSkills: [String]
    public var missingPreferredSkills: [String]
    public var jobSeniority: Seniority
    public var candidateSeniority: Seniority
    public var requiredYears: Int?
    public var candidateYears: Int
    public var remotePolicy: RemotePolicy
    /// One sentence on the location, e.g. "Fully remote" or "On-site in Berlin; you are in Bristol".
    public var locationNote: String
    public var breakdown: Breakdown
    /// The explanation shown to the user, naming matched and missing skills.
    public var rationale: String

    enum CodingKeys: String, CodingKey {
        case score, category
        case matchedRequiredSkills = "matched_required_skills"
        case missingRequiredSkills = "missing_required_skills"
        case matchedPreferredSkills = "matched_preferred_skills"
        case missingPreferredSkills = "missing_preferred_skills"
        case jobSeniority = "job_seniority"
        case candidateSeniority = "candidate_seniority"
        case requiredYears = "required_years"
        case candidateYears = "candidate_years"
        case remotePolicy = "remote_policy"
        case locationNote = "location_note"
        case breakdown, rationale
    }
}
