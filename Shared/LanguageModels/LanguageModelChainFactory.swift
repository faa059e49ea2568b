import HTTPClient
import Logging
import NIOPosix

/// Builds each step's ``LanguageModelChain`` from a ``LanguageModelConfiguration``, sharing one HTTP
/// client, one thread pool and one budget across all of them.
///
/// A service makes one factory at start-up and asks it for a chain per step; the shared
/// ``budget`` makes `JOBSMITH_LLM_BUDGET_USD` a limit for the whole process and its ``LanguageModelBudget/totals``
/// the process's spending.
public struct LanguageModelChainFactory: Sendable {
    public let configuration: LanguageModelConfiguration
    public let budget: LanguageModelBudget
    private let httpClient: HTTPClient
    private let threadPool: NIOThreadPool
    private let logger: Logger

    /// - Parameters:
    ///   - threadPool: Where the Claude CLI is waited for; the caller starts and stops it.
    ///   - budget: Shared with other factories when given; otherwise one is made from the
    ///     configuration's limit and prices.
    /// - Throws: ``LanguageModelError/invalidConfiguration(_:)`` when a listed provider cannot work.
    public init(
        configuration: LanguageModelConfiguration,
        httpClient: HTTPClient,
        threadPool: NIOThreadPool,
        budget: LanguageModelBudget? = nil,
        logger: Logger = Logger(label: "jobsmith.llm")
    ) throws(LanguageModelError) {
        try configuration.validate()
        self.configuration = configuration
        self.httpClient = httpClient
        self.threadPool = threadPool
        self.budget = budget ?? LanguageModelBudget(limitDollars: configuration.budgetLimitDollars, pricing: configuration.pricing)
        self.logger = logger
    }

    /// The chain for `step`: its providers in configured order, then the deterministic fallback.
    public func chain(forStep step: String) -> LanguageModelChain {
        LanguageModelChain(
            step: step,
            providers: configuration.providers(forStep: step).map(provider),
            budget: budget,
            logger: logger
        )
    }

    /// The provider of `kind`, as configured.
    public func provider(_ kind: LanguageModelConfiguration.ProviderKind) -> any LanguageModelProvider {
        switch kind {
        case .anthropic:
            AnthropicProvider(configuration: configuration.anthropic, httpClient: httpClient, logger: logger)
        case .openAI:
            OpenAICompatibleProvider(configuration: configuration.openAI, httpClient: httpClient, logger: logger)
        case .claudeCLI:
            ClaudeCLIProvider(configuration: configuration.claudeCLI, threadPool: threadPool, logger: logger)
        }
    }
}
