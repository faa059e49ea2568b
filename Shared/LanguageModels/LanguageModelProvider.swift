/// Something that turns a prompt into a reply: a hosted API, a local server or a command-line tool.
///
/// Services never talk to a provider directly; they ask a ``LanguageModelChain``, which tries the
/// providers configured for the step in order, validates what comes back and falls back to the
/// deterministic engine. The protocol is small so a test (or a new backend) can stand in for any of
/// them.
///
/// ```swift
/// let provider = AnthropicProvider(configuration: .init(apiKey: key), httpClient: client)
/// let completion = try await provider.complete(CompletionRequest(prompt: "Say hi", maxOutputTokens: 50))
/// print(completion.text)
/// ```
public protocol LanguageModelProvider: Sendable {
    /// A short, stable name for reports and logs (`anthropic`, `openai`, `claude-cli`); never a secret.
    var name: String { get }

    /// Sends one request and returns the model's reply.
    ///
    /// Implementations handle their own transport retries (see ``RetryPolicy``); anything thrown is
    /// final for this provider.
    ///
    /// - Throws: ``LanguageModelError`` for every failure the provider can explain; `CancellationError`
    ///   when the task is cancelled.
    func complete(_ request: CompletionRequest) async throws -> Completion
}
