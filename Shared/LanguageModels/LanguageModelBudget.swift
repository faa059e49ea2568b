/// A spending limit for language-model calls, and the running totals behind it.
///
/// One budget is shared by every chain a process builds (see ``LanguageModelChainFactory``). The
/// chain asks ``checkAvailable()`` before each call and reports each reply with ``record(model:usage:)``;
/// once the dollars spent reach the limit, further calls are refused with
/// ``LanguageModelError/budgetExhausted(limit:spent:)`` before any provider is contacted, and steps
/// fall back to the deterministic engine.
///
/// The check happens before a call and the cost is known only after it, so calls already in flight
/// when the limit is reached still complete: the limit can be passed by those calls' cost.
public actor LanguageModelBudget {
    /// The limit in US dollars; `nil` means unlimited (totals are still kept).
    public let limitDollars: Double?
    /// Prices used to turn reported tokens into dollars.
    public let pricing: PricingTable
    private var usage = LanguageModelUsage()

    public init(limitDollars: Double? = nil, pricing: PricingTable = .builtIn) {
        self.limitDollars = limitDollars
        self.pricing = pricing
    }

    /// Whether the limit has been reached.
    public var isExhausted: Bool {
        guard let limitDollars else { return false }
        return usage.dollars >= limitDollars
    }

    /// Dollars left before the limit, or `nil` when unlimited.
    public var remainingDollars: Double? {
        limitDollars.map { max(0, $0 - usage.dollars) }
    }

    /// Everything recorded so far.
    public var totals: LanguageModelUsage { usage }

    /// Throws when no further call may be made.
    ///
    /// - Throws: ``LanguageModelError/budgetExhausted(limit:spent:)``.
    public func checkAvailable() throws(LanguageModelError) {
        if let limitDollars, usage.dollars >= limitDollars {
            throw .budgetExhausted(limit: limitDollars, spent: usage.dollars)
        }
    }

    /// Records one completed call.
    ///
    /// - Parameter usage: What the provider reported; `nil` (the CLI) counts the call without tokens.
    /// - Returns: The call's cost in dollars (zero for unknown models and missing usage).
    @discardableResult
    public func record(model: String, usage callUsage: TokenUsage?) -> Double {
        let cost = callUsage.map { pricing.pricing(forModel: model)?.cost(of: $0) ?? 0 } ?? 0
        usage.calls += 1
        if let callUsage {
            usage.tokens += callUsage
        }
        usage.dollars += cost
        return cost
    }
}

/// Calls, tokens and dollars spent, for metrics and a job's notes.
public struct LanguageModelUsage: Sendable, Hashable, CustomStringConvertible {
    /// Provider calls that returned a reply (failed calls cost nothing and are not counted).
    public var calls = 0
    public var tokens = TokenUsage.zero
    public var dollars = 0.0

    public init(calls: Int = 0, tokens: TokenUsage = .zero, dollars: Double = 0) {
        self.calls = calls
        self.tokens = tokens
        self.dollars = dollars
    }

    public var inputTokens: Int { tokens.inputTokens }
    public var outputTokens: Int { tokens.outputTokens }

    public var description: String {
        "\(calls) calls, \(tokens), $\(formatDollars(dollars))"
    }
}
