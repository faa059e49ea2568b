import Foundation
import HTTPClient
import JobAnalysis
import LanguageModels
import Logging
import Messaging
import Runtime
import TextAnalysis

/// Asks the configured LLM providers to improve the deterministic analysis, and keeps only what the
/// posting supports.
///
/// The model sees the description and the deterministic draft and answers with a JSON object of the
/// fields it may change. Its answer is grounded before use: skills are mapped to taxonomy names and
/// dropped unless the posting names them, evidence sentences are dropped unless the posting contains
/// them, and enumerations come from the schema. When every provider fails (or none is configured,
/// or the budget is spent) the deterministic analysis stands, and the attempts say why.
public struct AnalysisRefiner: Sendable {
    let chain: LanguageModelChain
    let taxonomy: SkillTaxonomy

    var providerNames: [String] { chain.providers.map(\.name) }

    public init(chain: LanguageModelChain, taxonomy: SkillTaxonomy = .standard) {
        self.chain = chain
        self.taxonomy = taxonomy
    }

    /// The refiner for the `extraction` step, or nil when no provider is configured for it.
    static func configured(context: ServiceContext) throws -> AnalysisRefiner? {
        let configuration = try LanguageModelConfiguration(environment: context.configuration.environment.values)
        guard !configuration.providers(forStep: "extraction").isEmpty else { return nil }
        let factory = try LanguageModelChainFactory(
            configuration: configuration,
            httpClient: HTTPClient(threadPool: context.threadPool),
            threadPool: context.threadPool,
            logger: context.logger
        )
        return AnalysisRefiner(chain: factory.chain(forStep: "extraction"))
    }

    struct Refined: Sendable {
        var analysis: JobDescriptionAnalysis
        /// `deterministic` or the provider whose answer was merged in.
        var producer: String
        var attempts: [RefinementAttempt]
    }

    func refine(_ draft: JobDescriptionAnalysis, structure: DescriptionStructure, progress: ProgressReporter) async -> Refined {
        await progress.report("llm", .started, "Asking \(providerNames.joined(separator: ", ")) to refine the analysis")
        let generated = await chain.generateJSON(
            ModelAnalysis.self,
            request: CompletionRequest(system: Self.system, prompt: Self.prompt(draft, text: structure.text), maxOutputTokens: 2048, temperature: 0),
            schema: ModelAnalysis.schema,
            fallback: { ModelAnalysis(draft) }
        )
        let attempts = generated.attempts.map(RefinementAttempt.init)
        guard !generated.usedFallback else {
            await progress.report("llm", .skipped, "Kept the deterministic analysis: " + generated.summary)
            return Refined(analysis: draft, producer: "deterministic", attempts: attempts)
        }
        let merged = merge(generated.value, into: draft, text: structure.text)
        await progress.report("llm", .finished, "Refined by \(generated.producedBy) (\(generated.model ?? "model")): " + generated.summary)
        return Refined(analysis: merged, producer: generated.producedBy, attempts: attempts)
    }

    // MARK: Grounding

    func merge(_ answer: ModelAnalysis, into draft: JobDescriptionAnalysis, text: String) -> JobDescriptionAnalysis {
        let haystack = Self.normalized(text)
        var analysis = draft
        func grounded(_ names: [String]) -> [SkillTaxonomy.Skill] {
            names.compactMap { name in
                guard let skill = taxonomy.entry(named: name) else { return nil }
                // The posting must name the skill (or an alias of it); a model's guess is not evidence.
                let spellings = [skill.name] + skill.aliases
                return spellings.contains { haystack.contains(Self.normalized($0)) } ? skill : nil
            }
        }
        let required = grounded(answer.requiredSkills).filter { !$0.isSoft }
        let preferred = grounded(answer.preferredSkills).filter { !$0.isSoft && !required.contains($0) }
        if !required.isEmpty || !preferred.isEmpty {
            let counts = Dictionary(draft.technicalSkills.map { ($0.name, $0.occurrences) }, uniquingKeysWith: max)
            analysis.technicalSkills = required.map { SkillRequirement(name: $0.name, category: $0.category, requirement: .required, occurrences: counts[$0.name] ?? 1) }
                + preferred.map { SkillRequirement(name: $0.name, category: $0.category, requirement: .preferred, occurrences: counts[$0.name] ?? 1) }
                + draft.technicalSkills.filter { skill in skill.requirement == .mentioned && !(required + preferred).contains { $0.name == skill.name } }
        }
        let soft = grounded(answer.softSkills).filter(\.isSoft).map(\.name)
        if !soft.isEmpty { analysis.softSkills = soft }
        let inText = { (line: String) in haystack.contains(Self.normalized(line)) }
        if !answer.responsibilities.isEmpty { analysis.responsibilities = answer.responsibilities }
        if !answer.qualifications.isEmpty { analysis.qualifications = answer.qualifications }
        if !answer.niceToHaves.isEmpty { analysis.niceToHaves = answer.niceToHaves }
        let keywords = answer.topKeywords.filter { inText($0) || taxonomy.entry(named: $0) != nil }
        if keywords.count >= 10 { analysis.topKeywords = Array(keywords.prefix(20)) }
        if let value = RoleCategory(rawValue: answer.roleCategory) { analysis.roleCategory = value }
        if let value = Seniority(rawValue: answer.seniority) { analysis.seniority = value }
        if let value = RemotePolicy(rawValue: answer.remotePolicy) { analysis.remotePolicy = value }
        if let years = answer.yearsExperience, haystack.contains(String(years)) { analysis.yearsExperience = years }
        let pains = answer.painPoints.filter { inText($0.sentence) }
        if !pains.isEmpty { analysis.painPoints = pains.map { Evidence(kind: $0.kind ?? "pain_point", summary: $0.summary, sentence: $0.sentence) } }
        let metrics = answer.successMetrics.filter { inText($0.sentence) }
        if !metrics.isEmpty { analysis.successMetrics = metrics.map { Evidence(kind: "success_metric", summary: $0.summary, sentence: $0.sentence) } }
        return analysis
    }

    /// Lower-cased, with runs of whitespace and curly quotes made plain, so a quote still matches
    /// the text it came from.
    static func normalized(_ text: String) -> String {
        text.lowercased().replacingOccurrences(of: "’", with: "'").split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    // MARK: Prompt

    static let system = """
        You analyse job postings for a job seeker. Read the posting and correct the draft analysis. \
        Use only what the posting says: never invent skills, numbers or sentences. Quote evidence \
        sentences exactly as they appear in the posting.
        """

    static func prompt(_ draft: JobDescriptionAnalysis, text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let draftJSON = (try? encoder.encode(ModelAnalysis(draft))).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        // Long postings are cut: the requirements are rarely past the first 12,000 characters.
        let posting = text.count > 12_000 ? String(text.prefix(12_000)) + "\n[…]" : text
        return """
            Job title: \(draft.title)
            Company: \(draft.company)

            Posting:
            \(posting)

            Draft analysis (from keyword rules; fix what is wrong, fill what is missing):
            \(draftJSON)
            """
    }
}

/// What an attempt to use an LLM provider came to, as stored with the extraction.
struct RefinementAttempt: Codable, Sendable {
    var provider: String
    var outcome: String
    var detail: String?
    var inputTokens: Int?
    var outputTokens: Int?

    init(_ attempt: Attempt) {
        provider = attempt.provider
        outcome = attempt.outcome.rawValue
        detail = attempt.detail
        inputTokens = attempt.usage?.inputTokens
        outputTokens = attempt.usage?.outputTokens
    }

    enum CodingKeys: String, CodingKey {
        case provider, outcome, detail
        case inputTokens = "input_tokens"
        case outputTokens = "output_tokens"
    }
}
