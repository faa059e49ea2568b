import Foundation

/// Which providers each step uses, and how to reach them, read from the environment at start-up.
///
/// | Variable | Meaning | Default |
/// | --- | --- | --- |
/// | `JOBSMITH_LLM_PROVIDERS` | comma list of `anthropic`, `openai`, `claude-cli`, tried in order | empty: deterministic only |
/// | `JOBSMITH_LLM_PROVIDERS_<STEP>` | one step's list (upper case, `-` → `_`), e.g. `…_EXTRACTION`; `none` = deterministic | the default list |
/// | `ANTHROPIC_API_KEY` | required when `anthropic` is listed | — |
/// | `ANTHROPIC_BASE_URL` | API root | `https://api.anthropic.com` |
/// | `ANTHROPIC_MODEL` | model id | `claude-sonnet-4-6` |
/// | `OPENAI_API_KEY` | bearer token; required for api.openai.com, optional for local servers | — |
/// | `OPENAI_BASE_URL` | API root with version path (Ollama: `http://localhost:11434/v1`) | `https://api.openai.com/v1` |
/// | `OPENAI_MODEL` | model id | `gpt-4.1-mini` |
/// | `OPENAI_TOKEN_LIMIT_FIELD` | `max_tokens` or `max_completion_tokens` (OpenAI reasoning models) | `max_tokens` |
/// | `CLAUDE_CLI_PATH` | the `claude` executable, a path or a name on `PATH` | `claude` |
/// | `CLAUDE_CLI_MODEL` | `--model` for the CLI | the CLI's default |
/// | `JOBSMITH_LLM_TIMEOUT_SECONDS` | limit per HTTP attempt or CLI run | 60 |
/// | `JOBSMITH_LLM_MAX_ATTEMPTS` | attempts per call, the first included | 3 |
/// | `JOBSMITH_LLM_BUDGET_USD` | spending limit per process; `0` disables calls | unlimited |
/// | `JOBSMITH_LLM_PRICING` | extra prices, `model=input/output,…` in USD per million tokens | built-in table |
///
/// A provider that is listed but cannot work (Anthropic without a key, an unknown name, a CLI that
/// is not installed) is an error at start-up rather than a silent fallback on every job.
///
/// ```swift
/// let configuration = try LanguageModelConfiguration(environment: ProcessInfo.processInfo.environment)
/// let factory = try LanguageModelChainFactory(configuration: configuration, httpClient: client, threadPool: pool)
/// let chain = factory.chain(forStep: "extraction")
/// ```
public struct LanguageModelConfiguration: Sendable, CustomStringConvertible {
    /// A provider that can be listed.
    public enum ProviderKind: String, Sendable, Hashable, CaseIterable {
        case anthropic
        case openAI = "openai"
        case claudeCLI = "claude-cli"
    }

    /// The providers for steps without their own list.
    public var defaultProviders: [ProviderKind]
    /// Per-step lists, keyed by ``stepKey(_:)`` (`EXTRACTION`, `CV_GENERATOR`).
    public var stepProviders: [String: [ProviderKind]]
    public var anthropic: AnthropicProvider.Configuration
    public var openAI: OpenAICompatibleProvider.Configuration
    public var claudeCLI: ClaudeCLIProvider.Configuration
    /// The spending limit in US dollars; `nil` is unlimited.
    public var budgetLimitDollars: Double?
    public var pricing: PricingTable

    /// A configuration that calls no provider: every step uses the deterministic engine.
    public init(
        defaultProviders: [ProviderKind] = [],
        stepProviders: [String: [ProviderKind]] = [:],
        anthropic: AnthropicProvider.Configuration = .init(apiKey: ""),
        openAI: OpenAICompatibleProvider.Configuration = .init(),
        claudeCLI: ClaudeCLIProvider.Configuration = .init(),
        budgetLimitDollars: Double? = nil,
        pricing: PricingTable = .builtIn
    ) {
        self.defaultProviders = defaultProviders
        self.stepProviders = stepProviders
        self.anthropic = anthropic
        self.openAI = openAI
        self.claudeCLI = claudeCLI
        self.budgetLimitDollars = budgetLimitDollars
        self.pricing = pricing
    }

    /// The providers for `step`, in order: its own list when it has one, otherwise the default.
    public func providers(forStep step: String) -> [ProviderKind] {
        stepProviders[Self.stepKey(step)] ?? defaultProviders
    }

    /// A step name as it appears in variable names: upper case, with `-`, `.` and spaces as `_`.
    public static func stepKey(_ step: String) -> String {
        String(step.uppercased().map { $0 == "-" || $0 == "." || $0 == " " ? "_" : $0 })
    }

    /// Every provider any step uses.
    public var listedProviders: Set<ProviderKind> {
        Set(defaultProviders).union(stepProviders.values.joined())
    }

    /// Checks that every listed provider can work.
    ///
    /// - Throws: ``LanguageModelError/invalidConfiguration(_:)`` naming the provider and what it lacks.
    public func validate() throws(LanguageModelError) {
        let listed = listedProviders
        if listed.contains(.anthropic), anthropic.apiKey.trimmingWhitespace().isEmpty {
            throw .invalidConfiguration("anthropic is listed as a provider but ANTHROPIC_API_KEY is not set")
        }
        if listed.contains(.openAI), openAI.apiKey?.trimmingWhitespace().isEmpty ?? true,
            openAI.baseURL.lowercased().contains("api.openai.com")
        {
            throw .invalidConfiguration(
                "openai is listed as a provider with \(openAI.baseURL) but OPENAI_API_KEY is not set "
                    + "(set OPENAI_BASE_URL for a local server that needs no key)"
            )
        }
        for (name, url) in [("ANTHROPIC_BASE_URL", anthropic.baseURL), ("OPENAI_BASE_URL", openAI.baseURL)] {
            let lowered = url.lowercased()
            guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else {
                throw .invalidConfiguration("\(name) must be an http or https URL, not '\(url)'")
            }
        }
        if listed.contains(.claudeCLI) {
            if ClaudeCLIProvider.resolveExecutable(claudeCLI) == nil {
                throw .invalidConfiguration(
                    "claude-cli is listed as a provider but '\(claudeCLI.executable)' is not an executable "
                        + "(install the Claude CLI or set CLAUDE_CLI_PATH)"
                )
            }
        }
    }

    /// What is configured, without secrets: suitable for a start-up log line.
    public var description: String {
        func list(_ kinds: [ProviderKind]) -> String {
            (kinds.map(\.rawValue) + ["deterministic"]).joined(separator: " → ")
        }
        var parts = ["default: \(list(defaultProviders))"]
        for key in stepProviders.keys.sorted() {
            parts.append("\(key.lowercased()): \(list(stepProviders[key] ?? []))")
        }
        let listed = listedProviders
        if listed.contains(.anthropic) {
            let key = anthropic.apiKey.isEmpty ? "no key" : "key set"
            parts.append("anthropic: \(anthropic.model) at \(anthropic.baseURL) (\(key))")
        }
        if listed.contains(.openAI) {
            let key = (openAI.apiKey ?? "").isEmpty ? "no key" : "key set"
            parts.append("openai: \(openAI.model) at \(openAI.baseURL) (\(key))")
        }
        if listed.contains(.claudeCLI) {
            parts.append("claude-cli: \(claudeCLI.executable)" + (claudeCLI.model.map { " --model \($0)" } ?? ""))
        }
        let sample = anthropic
        parts.append("timeout \(sample.timeout.secondsDescription), \(sample.retryPolicy.maximumAttempts) attempts")
        parts.append(budgetLimitDollars.map { "budget $\(formatDollars($0))" } ?? "budget unlimited")
        return "language models — " + parts.joined(separator: "; ")
    }
}
