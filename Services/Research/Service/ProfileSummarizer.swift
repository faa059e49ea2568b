import Foundation
import LanguageModels

/// Asks the LLM providers configured for the `research` step to summarize and classify the evidence,
/// when any are; the deterministic reading stands otherwise.
///
/// The model only rewrites the summary and picks the industry and company type from the pages it is
/// shown; signals, people and the website stay as the providers found them, so nothing the model
/// says can add a fact without a source.
public struct ProfileSummarizer: Sendable {
    let chain: LanguageModelChain

    public init(chain: LanguageModelChain) {
        self.chain = chain
    }

    struct Answer: Codable, Sendable {
        var summary: String
        var industry: String?
        var companyType: String

        enum CodingKeys: String, CodingKey {
            case summary, industry
            case companyType = "company_type"
        }
    }

    static let schema = JSONSchema.object([
        "summary": .string(minLength: 20, maxLength: 600, summary: "two or three sentences on what the company does, from the pages only"),
        "industry": JSONSchema.string(maxLength: 60).orNull(),
        "company_type": .string(enum: ["employer", "recruitment_agency"]),
    ], required: ["summary", "company_type"])

    func summarize(_ profile: CompanyProfile, pages: [ResearchPage]) async -> (profile: CompanyProfile, report: ProviderReport) {
        // The most informative pages first, each cut short: the model needs the gist, not every word.
        let ordered = pages.sorted { Self.weight($0.kind) < Self.weight($1.kind) }
        var evidence = ""
        for page in ordered where evidence.count < 12_000 {
            evidence += "\n--- \(page.kind.rawValue): \(page.url)\n" + String(page.text.prefix(3_000))
        }
        let draft = Answer(summary: profile.summary ?? "", industry: profile.industry, companyType: profile.companyType.rawValue)
        let prompt = """
            Company: \(profile.name)
            Pages about it:\(evidence)

            Draft (from rules; improve it): \(String(decoding: (try? JSONEncoder().encode(draft)) ?? Data(), as: UTF8.self))
            """
        let generated = await chain.generateJSON(
            Answer.self,
            request: CompletionRequest(
                system: "You summarize companies for a job seeker from the pages given. Use only facts in the pages.",
                prompt: prompt,
                maxOutputTokens: 600,
                temperature: 0
            ),
            schema: Self.schema,
            fallback: { draft }
        )
        guard !generated.usedFallback else {
            return (profile, ProviderReport(provider: "llm", outcome: .skipped, detail: "kept the deterministic summary: " + generated.summary))
        }
        var updated = profile
        updated.summary = generated.value.summary
        updated.industry = generated.value.industry ?? profile.industry
        updated.companyType = CompanyProfile.CompanyType(rawValue: generated.value.companyType) ?? profile.companyType
        updated.summarizedBy = generated.producedBy
        return (updated, ProviderReport(provider: "llm", outcome: .used, detail: "summary by \(generated.producedBy)", pages: pages.count))
    }

    private static func weight(_ kind: ResearchPage.Kind) -> Int {
        switch kind {
        case .about: 0
        case .home: 1
        case .news: 2
        case .team: 3
        case .searchResult: 4
        case .careers: 5
        case .posting: 6
        }
    }
}
