/// Tokens one call (or many, summed) consumed, as the provider counted them.
public struct TokenUsage: Sendable, Hashable, CustomStringConvertible {
    /// Prompt tokens, including any the provider read from or wrote to its prompt cache.
    public var inputTokens: Int
    /// Reply tokens.
    public var outputTokens: Int

    public init(inputTokens: Int, outputTokens: Int) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
    }

    public static let zero = TokenUsage(inputTokens: 0, outputTokens: 0)

    public static func + (lhs: TokenUsage, rhs: TokenUsage) -> TokenUsage {
        TokenUsage(inputTokens: lhs.inputTokens + rhs.inputTokens, outputTokens: lhs.outputTokens + rhs.outputTokens)
    }

    public static func += (lhs: inout TokenUsage, rhs: TokenUsage) {
        lhs = lhs + rhs
    }

    public var description: String {
        "\(inputTokens) input + \(outputTokens) output tokens"
    }
}
