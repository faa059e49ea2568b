import Foundation
import HTTPClient
import LanguageModels
import Logging
import Runtime

/// Assembles the research service from its configuration:
///
/// - `RESEARCH_PROVIDERS` (default `website,firecrawl`): the providers tried after the posting, in order.
/// - `RESEARCH_OFFLINE` (default `1`): web research is off unless set to `0`; the posting alone is read.
/// - `RESEARCH_CACHE_TTL_HOURS` (default 168): how long a company's profile is reused.
/// - the website and FireCrawl providers' own variables, and the LLM variables (step `research`).
public enum ResearchService {
    public static func parts(context: ServiceContext) async throws -> ServiceParts {
        let environment = context.configuration.environment
        var values = environment.values
        // Offline by default: web research is something a user turns on.
        values["RESEARCH_OFFLINE"] = values["RESEARCH_OFFLINE"] ?? "1"
        let httpClient = HTTPClient(threadPool: context.threadPool)
        var providers: [any CompanyResearchProvider] = []
        for name in environment.string("RESEARCH_PROVIDERS", default: "website,firecrawl").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            switch name {
            case "website":
                providers.append(CompanyWebsiteProvider(client: httpClient, configuration: try CompanyWebsiteConfiguration(environment: values), logger: context.logger))
            case "firecrawl":
                providers.append(FireCrawlProvider(configuration: try .init(environment: values), httpClient: httpClient, logger: context.logger))
            case "", "posting": continue
            default: throw ConfigurationError(variable: "RESEARCH_PROVIDERS", problem: "unknown provider \"\(name)\"; the providers are website and firecrawl")
            }
        }
        let hours = try environment.int("RESEARCH_CACHE_TTL_HOURS", default: 168, range: 0...87_600)
        let llm = try LanguageModelConfiguration(environment: values)
        var summarizer: ProfileSummarizer?
        if !llm.providers(forStep: "research").isEmpty {
            let factory = try LanguageModelChainFactory(configuration: llm, httpClient: httpClient, threadPool: context.threadPool, logger: context.logger)
            summarizer = ProfileSummarizer(chain: factory.chain(forStep: "research"))
        }
        context.logger.info(
            "Research providers",
            metadata: ["research.providers": "\((["posting"] + providers.map(\.name)).joined(separator: ","))", "research.llm": "\(summarizer != nil)"]
        )
        let handler = ResearchHandler(context: context, providers: providers, summarizer: summarizer, cacheLifetime: .seconds(hours * 3600))
        return ServiceParts(handler: handler)
    }
}
