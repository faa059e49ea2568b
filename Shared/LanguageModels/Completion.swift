/// A model's reply to a ``CompletionRequest``.
public struct Completion: Sendable, Hashable {
    /// The reply text, as the model wrote it (possibly with prose or code fences around any JSON).
    public var text: String
    /// The ``LanguageModelProvider/name`` of the provider that answered.
    public var provider: String
    /// The model that answered, as the API reports it (often a dated id such as
    /// `claude-sonnet-4-5-20250929`), or the configured model when the API does not say.
    public var model: String
    /// Tokens used, when the provider reports them (the APIs do; the Claude CLI's text output does not).
    public var usage: TokenUsage?
    /// Why generation stopped, as the provider words it (`end_turn`, `stop`, `max_tokens`, `length`…),
    /// when it says. A reply cut off by the token limit usually holds truncated JSON.
    public var stopReason: String?

    public init(text: String, provider: String, model: String, usage: TokenUsage? = nil, stopReason: String? = nil) {
        self.text = text
        self.provider = provider
        self.model = model
        self.usage = usage
        self.stopReason = stopReason
    }

    /// Whether the reply stopped because it hit ``CompletionRequest/maxOutputTokens``.
    public var wasTruncated: Bool {
        stopReason == "max_tokens" || stopReason == "length"
    }
}
