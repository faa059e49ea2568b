extension LanguageModelConfiguration {
    /// The prefix of per-step provider lists.
    static let stepVariablePrefix = "JOBSMITH_LLM_PROVIDERS_"

    /// Reads the variables listed on ``LanguageModelConfiguration`` and validates the result.
    ///
    /// Empty values count as unset, as compose files often pass `${VAR:-}`.
    ///
    /// - Throws: ``LanguageModelError/invalidConfiguration(_:)`` for a malformed value or an unusable
    ///   listed provider.
    public init(environment: [String: String]) throws(LanguageModelError) {
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingWhitespace(), !raw.isEmpty else { return nil }
            return raw
        }

        let timeout: Duration
        if let text = value("JOBSMITH_LLM_TIMEOUT_SECONDS") {
            guard let seconds = Double(text), seconds.isFinite, seconds > 0 else {
                throw .invalidConfiguration("JOBSMITH_LLM_TIMEOUT_SECONDS must be a positive number of seconds, not '\(text)'")
            }
            timeout = .seconds(seconds)
        } else {
            timeout = .seconds(60)
        }

        var retryPolicy = RetryPolicy()
        if let text = value("JOBSMITH_LLM_MAX_ATTEMPTS") {
            guard let attempts = Int(text), attempts >= 1 else {
                throw .invalidConfiguration("JOBSMITH_LLM_MAX_ATTEMPTS must be a whole number of at least 1, not '\(text)'")
            }
            retryPolicy.maximumAttempts = attempts
        }

        var budget: Double?
        if let text = value("JOBSMITH_LLM_BUDGET_USD"), text.lowercased() != "unlimited" {
            guard let dollars = Double(text), dollars.isFinite, dollars >= 0 else {
                throw .invalidConfiguration("JOBSMITH_LLM_BUDGET_USD must be a number of dollars (0 or more), not '\(text)'")
            }
            budget = dollars
        }

        var tokenLimitField = OpenAICompatibleProvider.TokenLimitField.maxTokens
        if let text = value("OPENAI_TOKEN_LIMIT_FIELD") {
            guard let field = OpenAICompatibleProvider.TokenLimitField(rawValue: text) else {
                throw .invalidConfiguration("OPENAI_TOKEN_LIMIT_FIELD must be max_tokens or max_completion_tokens, not '\(text)'")
            }
            tokenLimitField = field
        }

        var stepProviders: [String: [ProviderKind]] = [:]
        for (name, text) in environment where name.hasPrefix(Self.stepVariablePrefix) {
            let step = String(name.dropFirst(Self.stepVariablePrefix.count))
            guard !step.isEmpty, !text.trimmingWhitespace().isEmpty else { continue }
            stepProviders[Self.stepKey(step)] = try Self.parseProviders(text, variable: name)
        }

        self.init(
            defaultProviders: try value("JOBSMITH_LLM_PROVIDERS").map { text throws(LanguageModelError) in
                try Self.parseProviders(text, variable: "JOBSMITH_LLM_PROVIDERS")
            } ?? [],
            stepProviders: stepProviders,
            anthropic: AnthropicProvider.Configuration(
                apiKey: value("ANTHROPIC_API_KEY") ?? "",
                baseURL: value("ANTHROPIC_BASE_URL") ?? AnthropicProvider.Configuration.defaultBaseURL,
                model: value("ANTHROPIC_MODEL") ?? AnthropicProvider.Configuration.defaultModel,
                timeout: timeout,
                retryPolicy: retryPolicy
            ),
            openAI: OpenAICompatibleProvider.Configuration(
                apiKey: value("OPENAI_API_KEY"),
                baseURL: value("OPENAI_BASE_URL") ?? OpenAICompatibleProvider.Configuration.defaultBaseURL,
                model: value("OPENAI_MODEL") ?? OpenAICompatibleProvider.Configuration.defaultModel,
                timeout: timeout,
                retryPolicy: retryPolicy,
                tokenLimitField: tokenLimitField
            ),
            claudeCLI: ClaudeCLIProvider.Configuration(
                executable: value("CLAUDE_CLI_PATH") ?? "claude",
                model: value("CLAUDE_CLI_MODEL"),
                timeout: timeout
            ),
            budgetLimitDollars: budget,
            pricing: PricingTable.builtIn.overriding(try Self.parsePricing(value("JOBSMITH_LLM_PRICING")))
        )
        try validate()
    }

    /// `anthropic, openai` → `[.anthropic, .openAI]`; `none` or `deterministic` → `[]`.
    static func parseProviders(_ text: String, variable: String) throws(LanguageModelError) -> [ProviderKind] {
        var kinds: [ProviderKind] = []
        for item in text.split(separator: ",") {
            let name = item.trimmingWhitespace().lowercased()
            if name.isEmpty || name == "none" || name == "deterministic" { continue }
            guard let kind = ProviderKind(rawValue: name) else {
                let known = ProviderKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw .invalidConfiguration("\(variable) lists unknown provider '\(name)' (known: \(known))")
            }
            if !kinds.contains(kind) { kinds.append(kind) }
        }
        return kinds
    }

    /// `gpt-4o=2.5/10, my-model=0.1/0.2` → prices in USD per million input/output tokens.
    static func parsePricing(_ text: String?) throws(LanguageModelError) -> [String: Pricing] {
        guard let text else { return [:] }
        var prices: [String: Pricing] = [:]
        for entry in text.split(separator: ",") where !entry.trimmingWhitespace().isEmpty {
            let parts = entry.split(separator: "=", maxSplits: 1)
            let amounts = parts.count == 2 ? parts[1].split(separator: "/") : []
            guard parts.count == 2, amounts.count == 2,
                let input = Double(amounts[0].trimmingWhitespace()), let output = Double(amounts[1].trimmingWhitespace()),
                input >= 0, output >= 0, !parts[0].trimmingWhitespace().isEmpty
            else {
                throw .invalidConfiguration(
                    "JOBSMITH_LLM_PRICING entry '\(entry.trimmingWhitespace())' must look like model=input/output "
                        + "(USD per million tokens)"
                )
            }
            prices[parts[0].trimmingWhitespace()] = Pricing(inputDollarsPerMillionTokens: input, outputDollarsPerMillionTokens: output)
        }
        return prices
    }
}
