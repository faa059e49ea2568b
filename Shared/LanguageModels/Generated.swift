/// What a ``LanguageModelChain`` produced, and how: the value, who produced it, and every attempt on
/// the way, so a service can note why a job fell back to the deterministic engine.
public struct Generated<Value: Sendable>: Sendable {
    /// ``producedBy`` when no provider succeeded and the fallback supplied the value.
    public static var deterministic: String { deterministicProducer }

    public var value: Value
    /// The provider's ``LanguageModelProvider/name``, or ``deterministic``.
    public var producedBy: String
    /// The model that produced the value, when a provider did.
    public var model: String?
    /// Every call tried or skipped, in order.
    public var attempts: [Attempt]

    public init(value: Value, producedBy: String, model: String? = nil, attempts: [Attempt]) {
        self.value = value
        self.producedBy = producedBy
        self.model = model
        self.attempts = attempts
    }

    /// Whether the deterministic fallback supplied the value.
    public var usedFallback: Bool { producedBy == deterministicProducer }

    /// Tokens reported across all attempts, including failed ones that got a reply.
    public var usage: TokenUsage {
        attempts.compactMap(\.usage).reduce(.zero, +)
    }

    /// One line per attempt, for a job's notes: `anthropic: failed (HTTP 401 …); openai: succeeded`.
    public var summary: String {
        let lines = attempts.map(\.description)
        let tail = usedFallback ? ["fell back to the deterministic engine"] : []
        return (lines + tail).joined(separator: "; ")
    }
}

/// One call to one provider (or one provider passed over).
public struct Attempt: Sendable, Hashable, CustomStringConvertible {
    public enum Outcome: String, Sendable, Hashable {
        /// The reply was used.
        case succeeded
        /// The call failed, or its reply was unusable.
        case failed
        /// The provider was not called (budget spent, or the task was cancelled).
        case skipped
    }

    public var provider: String
    public var outcome: Outcome
    /// Why it failed or was skipped (the error, the schema problems), or a note on success.
    public var detail: String?
    /// Whether this was the repair call that followed an unusable reply.
    public var isRepair: Bool
    /// Tokens the call used, when reported.
    public var usage: TokenUsage?
    /// Wall-clock time of the call, retries included.
    public var duration: Duration

    public init(
        provider: String,
        outcome: Outcome,
        detail: String? = nil,
        isRepair: Bool = false,
        usage: TokenUsage? = nil,
        duration: Duration = .zero
    ) {
        self.provider = provider
        self.outcome = outcome
        self.detail = detail
        self.isRepair = isRepair
        self.usage = usage
        self.duration = duration
    }

    public var description: String {
        let name = isRepair ? "\(provider) (repair)" : provider
        guard let detail else { return "\(name): \(outcome.rawValue)" }
        return "\(name): \(outcome.rawValue) (\(detail))"
    }
}

/// The name reports give the deterministic engine.
let deterministicProducer = "deterministic"
