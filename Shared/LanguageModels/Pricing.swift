/// What a model costs, in US dollars per million tokens, as the provider's price list states it.
public struct Pricing: Sendable, Hashable {
    public var inputDollarsPerMillionTokens: Double
    public var outputDollarsPerMillionTokens: Double

    public init(inputDollarsPerMillionTokens: Double, outputDollarsPerMillionTokens: Double) {
        self.inputDollarsPerMillionTokens = inputDollarsPerMillionTokens
        self.outputDollarsPerMillionTokens = outputDollarsPerMillionTokens
    }

    /// Free: local models (Ollama, vLLM, llama.cpp) and the Claude CLI on a subscription.
    public static let free = Pricing(inputDollarsPerMillionTokens: 0, outputDollarsPerMillionTokens: 0)

    /// The dollars `usage` costs at these prices.
    public func cost(of usage: TokenUsage) -> Double {
        (Double(usage.inputTokens) * inputDollarsPerMillionTokens + Double(usage.outputTokens) * outputDollarsPerMillionTokens)
            / 1_000_000
    }
}

/// Prices by model id, with a small built-in list of common Anthropic and OpenAI models.
///
/// A model not in the table costs nothing (its tokens are still counted): the budget would otherwise
/// have to guess, and guessing high would stop a free local model. Set prices for other models with
/// `JOBSMITH_LLM_PRICING` (see ``LanguageModelConfiguration``) or ``overriding(_:)``.
///
/// Lookup accepts the dated ids APIs report (`claude-sonnet-4-5-20250929`, `gpt-4o-mini-2024-07-18`),
/// `-latest` aliases and OpenRouter's `vendor/` prefix by trying the id without them.
public struct PricingTable: Sendable, Hashable {
    public private(set) var prices: [String: Pricing]

    public init(_ prices: [String: Pricing] = [:]) {
        self.prices = prices
    }

    /// List prices at the time of writing (USD per million input / output tokens, standard tier,
    /// without caching or batch discounts). Check the providers' price pages when budgets matter.
    public static let builtIn = PricingTable([
        // Anthropic
        "claude-opus-4-7": .init(inputDollarsPerMillionTokens: 5, outputDollarsPerMillionTokens: 25),
        "claude-opus-4-6": .init(inputDollarsPerMillionTokens: 5, outputDollarsPerMillionTokens: 25),
        "claude-opus-4-5": .init(inputDollarsPerMillionTokens: 5, outputDollarsPerMillionTokens: 25),
        "claude-opus-4-1": .init(inputDollarsPerMillionTokens: 15, outputDollarsPerMillionTokens: 75),
        "claude-opus-4-0": .init(inputDollarsPerMillionTokens: 15, outputDollarsPerMillionTokens: 75),
        "claude-opus-4": .init(inputDollarsPerMillionTokens: 15, outputDollarsPerMillionTokens: 75),
        "claude-sonnet-4-6": .init(inputDollarsPerMillionTokens: 3, outputDollarsPerMillionTokens: 15),
        "claude-sonnet-4-5": .init(inputDollarsPerMillionTokens: 3, outputDollarsPerMillionTokens: 15),
        "claude-sonnet-4-0": .init(inputDollarsPerMillionTokens: 3, outputDollarsPerMillionTokens: 15),
        "claude-sonnet-4": .init(inputDollarsPerMillionTokens: 3, outputDollarsPerMillionTokens: 15),
        "claude-3-7-sonnet": .init(inputDollarsPerMillionTokens: 3, outputDollarsPerMillionTokens: 15),
        "claude-haiku-4-5": .init(inputDollarsPerMillionTokens: 1, outputDollarsPerMillionTokens: 5),
        "claude-3-5-haiku": .init(inputDollarsPerMillionTokens: 0.8, outputDollarsPerMillionTokens: 4),
        "claude-3-haiku": .init(inputDollarsPerMillionTokens: 0.25, outputDollarsPerMillionTokens: 1.25),
        // OpenAI
        "gpt-5": .init(inputDollarsPerMillionTokens: 1.25, outputDollarsPerMillionTokens: 10),
        "gpt-5-mini": .init(inputDollarsPerMillionTokens: 0.25, outputDollarsPerMillionTokens: 2),
        "gpt-5-nano": .init(inputDollarsPerMillionTokens: 0.05, outputDollarsPerMillionTokens: 0.4),
        "gpt-4.1": .init(inputDollarsPerMillionTokens: 2, outputDollarsPerMillionTokens: 8),
        "gpt-4.1-mini": .init(inputDollarsPerMillionTokens: 0.4, outputDollarsPerMillionTokens: 1.6),
        "gpt-4.1-nano": .init(inputDollarsPerMillionTokens: 0.1, outputDollarsPerMillionTokens: 0.4),
        "gpt-4o": .init(inputDollarsPerMillionTokens: 2.5, outputDollarsPerMillionTokens: 10),
        "gpt-4o-mini": .init(inputDollarsPerMillionTokens: 0.15, outputDollarsPerMillionTokens: 0.6),
    ])

    /// This table with `overrides` added or replacing entries.
    public func overriding(_ overrides: [String: Pricing]) -> PricingTable {
        PricingTable(prices.merging(overrides) { _, override in override })
    }

    /// The prices for `model`, or `nil` when unknown.
    public func pricing(forModel model: String) -> Pricing? {
        for candidate in Self.candidates(for: model) {
            if let pricing = prices[candidate] { return pricing }
        }
        return nil
    }

    /// `model`, then without a vendor prefix, then without a date or `-latest` suffix.
    static func candidates(for model: String) -> [String] {
        var result = [model]
        var base = model
        if let slash = base.lastIndex(of: "/") {
            base = String(base[base.index(after: slash)...])
            result.append(base)
        }
        let undated = strippingVersionSuffix(base)
        if undated != base { result.append(undated) }
        return result
    }

    /// Drops `-20250929`, `-2024-07-18` or `-latest` from the end of an id.
    private static func strippingVersionSuffix(_ id: String) -> String {
        if id.hasSuffix("-latest") { return String(id.dropLast("-latest".count)) }
        let parts = id.split(separator: "-", omittingEmptySubsequences: false)
        func isDigits(_ part: Substring, count: Int) -> Bool {
            part.count == count && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber)
        }
        if let last = parts.last, isDigits(last, count: 8), parts.count > 1 {
            return parts.dropLast().joined(separator: "-")
        }
        if parts.count > 3, isDigits(parts[parts.count - 3], count: 4), isDigits(parts[parts.count - 2], count: 2),
            isDigits(parts[parts.count - 1], count: 2)
        {
            return parts.dropLast(3).joined(separator: "-")
        }
        return id
    }
}
