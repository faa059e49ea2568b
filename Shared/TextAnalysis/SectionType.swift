/// What a part of a job description is about.
///
/// The raw values are the snake_case names the rest of the system (database rows, the UI, LLM prompts)
/// already uses, so they must not change. `other` is a real answer, not an error: many postings have
/// sections ("Location", "Physical demands") that no downstream step weights specially.
public enum SectionType: String, Codable, Sendable, CaseIterable {
    case aboutCompany = "about_company"
    case aboutRole = "about_role"
    case responsibilities
    case qualifications
    case niceToHave = "nice_to_have"
    case technicalSkills = "technical_skills"
    case experience
    case education
    case benefits
    case compensation
    case applicationProcess = "application_process"
    case equalOpportunity = "equal_opportunity"
    case other
}
