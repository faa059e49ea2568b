/// How often, and how patiently, a provider resends a request that failed in a way that may pass.
///
/// Retried: 429 (rate limited), 5xx including Anthropic's 529 (overloaded), timeouts and connection
/// failures — see ``LanguageModelError/isRetryable``. Each pause doubles from ``baseDelay`` up to
/// ``maximumDelay``, with jitter so many workers that failed together do not return together; a
/// server's `Retry-After` replaces the computed pause but is still capped by ``maximumDelay``, so one
/// response cannot park a worker for an hour.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included; `1` disables retrying. Default 3
    /// (`JOBSMITH_LLM_MAX_ATTEMPTS`).
    public var maximumAttempts: Int
    /// The pause before the first retry. Default 1 s.
    public var baseDelay: Duration
    /// The longest pause, for backoff and `Retry-After` alike. Default 30 s.
    public var maximumDelay: Duration

    public init(maximumAttempts: Int = 3, baseDelay: Duration = .seconds(1), maximumDelay: Duration = .seconds(30)) {
        self.maximumAttempts = max(1, maximumAttempts)
        self.baseDelay = max(.zero, baseDelay)
        self.maximumDelay = max(.zero, maximumDelay)
    }

    /// One attempt only.
    public static let none = RetryPolicy(maximumAttempts: 1)

    /// The pause before attempt `attempt + 1`, after attempt `attempt` (1-based) failed.
    ///
    /// Exponential backoff with "equal jitter": a random point in the upper half of the doubled delay,
    /// which spreads retries out while never waiting less than half the backoff.
    ///
    /// - Parameter retryAfter: The server's `Retry-After`, which takes precedence.
    public func delay(afterAttempt attempt: Int, retryAfter: Duration?) -> Duration {
        if let retryAfter {
            return min(max(.zero, retryAfter), maximumDelay)
        }
        let exponent = min(max(0, attempt - 1), 30)
        let backoff = min(baseDelay * (1 << exponent), maximumDelay)
        let half = backoff / 2
        return half + half * Double.random(in: 0...1)
    }

    /// Runs `operation` until it succeeds, throws a non-retryable error, or attempts run out.
    ///
    /// - Parameter onRetry: Told about each failure that will be retried, and the pause before it.
    /// - Throws: The last error; `CancellationError` if the task is cancelled during a pause.
    func run<Result: Sendable>(
        onRetry: (_ error: LanguageModelError, _ attempt: Int, _ delay: Duration) -> Void = { _, _, _ in },
        _ operation: () async throws -> Result
    ) async throws -> Result {
        var attempt = 1
        while true {
            do {
                return try await operation()
            } catch let error as LanguageModelError where error.isRetryable && attempt < maximumAttempts {
                let pause = delay(afterAttempt: attempt, retryAfter: error.retryAfter)
                onRetry(error, attempt, pause)
                try await Task.sleep(for: pause)
                attempt += 1
            }
        }
    }
}
