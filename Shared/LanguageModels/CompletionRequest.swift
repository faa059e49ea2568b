/// What a step asks a model: one system prompt and one user prompt.
///
/// Deliberately a single turn: every Jobsmith step (extraction, research, CV writing) is a one-shot
/// question, and a single turn maps onto every provider, including the Claude CLI, which takes one
/// prompt per invocation.
public struct CompletionRequest: Sendable, Hashable {
    /// Instructions that frame the task (the API's system prompt; `--append-system-prompt` for the CLI).
    public var system: String?
    /// The question itself.
    public var prompt: String
    /// The most tokens the reply may use. The APIs require a limit, and it bounds the cost of a call.
    public var maxOutputTokens: Int
    /// Sampling temperature; `nil` leaves the provider's default (and omits the field on the wire,
    /// since some models reject any value).
    public var temperature: Double?

    public init(system: String? = nil, prompt: String, maxOutputTokens: Int = 1024, temperature: Double? = nil) {
        self.system = system
        self.prompt = prompt
        self.maxOutputTokens = maxOutputTokens
        self.temperature = temperature
    }
}
