import Foundation

/// Stops calling an API that keeps failing, and tries it again after a cool-down.
///
/// Without it, every research job would spend its full retry budget — several attempts with backoff —
/// against an API that is down, and keep adding load while it recovers. With it:
///
/// - **closed**: calls go through; ``failureThreshold`` consecutive failures (default 5,
///   `FIRECRAWL_BREAKER_FAILURES`) open the circuit. A success resets the count.
/// - **open**: every call is refused at once for ``coolDown`` (default 60 s,
///   `FIRECRAWL_BREAKER_COOLDOWN_SECONDS`), and ``unavailableReason()`` says until when, so the research
///   engine skips the provider and falls back to the next one.
/// - **half-open**: after the cool-down one trial call goes through (others are still refused); its
///   success closes the circuit, its failure opens it for another cool-down.
///
/// Failures are counted per HTTP attempt, not per retried operation, so a burst of 5xx opens the
/// circuit mid-retry and the remaining attempts stop at once. Only failures that say the service is
/// unwell count: 5xx, 408, 429, timeouts and connection failures. A 401 or 400 is a healthy service
/// answering a bad request, and counts as a success.
///
/// Every ``permit()`` must be followed by exactly one of ``recordSuccess()``, ``recordFailure(_:)`` or
/// ``recordAbandoned()``; a trial whose caller vanished without reporting is given up after a
/// cool-down, so the breaker can never stay half-open forever.
///
/// ```swift
/// try await breaker.permit()              // throws CircuitOpenError while open
/// do {
///     let response = try await send()
///     await breaker.recordSuccess()
/// } catch {
///     await breaker.recordFailure("timed out")
/// }
/// ```
public actor CircuitBreaker {
    /// Where the breaker stands.
    public enum State: Sendable, Equatable, CustomStringConvertible {
        /// Calls go through; `consecutiveFailures` have failed since the last success.
        case closed(consecutiveFailures: Int)
        /// Calls are refused until the instant.
        case open(until: ContinuousClock.Instant)
        /// The cool-down is over: one trial call may go through; `trialStarted` is when the trial in
        /// flight started, nil when none is.
        case halfOpen(trialStarted: ContinuousClock.Instant?)

        public var description: String {
            switch self {
            case .closed(let failures): "closed (\(failures) consecutive failures)"
            case .open: "open"
            case .halfOpen(let trial): trial == nil ? "half-open" : "half-open (trial in flight)"
            }
        }
    }

    /// Consecutive failures that open the circuit.
    public nonisolated let failureThreshold: Int
    /// How long the circuit stays open before a trial call.
    public nonisolated let coolDown: Duration

    private let clock: any ResilienceClock
    private var current: State = .closed(consecutiveFailures: 0)
    /// The failure that last opened the circuit (or counted towards it), for messages.
    private var lastFailure: String?

    /// - Parameters:
    ///   - failureThreshold: Consecutive failures that open the circuit; at least 1.
    ///   - coolDown: How long it stays open before one trial call.
    ///   - clock: Time to measure the cool-down with; tests pass a manual one.
    public init(failureThreshold: Int = 5, coolDown: Duration = .seconds(60), clock: any ResilienceClock = SystemResilienceClock()) {
        self.failureThreshold = max(1, failureThreshold)
        self.coolDown = max(.zero, coolDown)
        self.clock = clock
    }

    /// The breaker's state, with an elapsed cool-down shown as half-open.
    public var state: State {
        if case .open(let until) = current, clock.now >= until {
            return .halfOpen(trialStarted: nil)
        }
        return current
    }

    /// Asks to make one call.
    ///
    /// Returns when the circuit is closed, or when it lets this call through as the half-open trial.
    ///
    /// - Throws: ``CircuitOpenError`` while the circuit is open, or while another trial is in flight.
    public func permit() throws {
        let now = clock.now
        switch current {
        case .closed:
            return
        case .open(let until):
            guard now >= until else {
                throw CircuitOpenError(retryAfter: until - now, reopensAt: reopening(after: until - now), lastFailure: lastFailure)
            }
            current = .halfOpen(trialStarted: now)
        case .halfOpen(let trialStarted):
            if let trialStarted, now - trialStarted < coolDown {
                throw CircuitOpenError(retryAfter: nil, reopensAt: nil, lastFailure: lastFailure)
            }
            current = .halfOpen(trialStarted: now)
        }
    }

    /// A permitted call succeeded: closes a half-open circuit and resets the failure count.
    ///
    /// A late success while open (from a call let through before the circuit opened) changes nothing:
    /// the cool-down still runs, so a trial decides.
    public func recordSuccess() {
        switch current {
        case .closed, .halfOpen:
            current = .closed(consecutiveFailures: 0)
            lastFailure = nil
        case .open:
            break
        }
    }

    /// A permitted call failed in a way that says the service is unwell.
    ///
    /// - Parameter reason: What failed ("HTTP 503", "timed out"), for ``unavailableReason()``.
    public func recordFailure(_ reason: String) {
        lastFailure = reason
        switch current {
        case .closed(let failures):
            if failures + 1 >= failureThreshold {
                current = .open(until: clock.now + coolDown)
            } else {
                current = .closed(consecutiveFailures: failures + 1)
            }
        case .halfOpen:
            current = .open(until: clock.now + coolDown)
        case .open:
            break
        }
    }

    /// A permitted call ended without telling anything about the service (cancelled, or refused by the
    /// rate limiter before it was sent): a half-open trial is released for the next caller.
    public func recordAbandoned() {
        if case .halfOpen = current {
            current = .halfOpen(trialStarted: nil)
        }
    }

    /// Why calls are refused right now, or nil when the next call may go through.
    ///
    /// - Returns: "circuit open until 2026-03-01T12:31:05Z (…)" while open; "circuit half-open: …"
    ///   while a trial call is in flight.
    public func unavailableReason() -> String? {
        let now = clock.now
        switch current {
        case .closed:
            return nil
        case .open(let until):
            guard now < until else { return nil }
            return CircuitOpenError(retryAfter: until - now, reopensAt: reopening(after: until - now), lastFailure: lastFailure).description
        case .halfOpen(let trialStarted):
            guard let trialStarted, now - trialStarted < coolDown else { return nil }
            return CircuitOpenError(retryAfter: nil, reopensAt: nil, lastFailure: lastFailure).description
        }
    }

    private func reopening(after remaining: Duration) -> Date {
        ResilienceFormatting.date(clock.wallClock, plus: remaining)
    }
}

/// A call refused by an open ``CircuitBreaker``.
public struct CircuitOpenError: Error, CustomStringConvertible, Sendable {
    /// How long until a trial call may go through; nil when a trial is already in flight.
    public let retryAfter: Duration?
    /// The wall-clock time the cool-down ends.
    public let reopensAt: Date?
    /// The failure that opened the circuit.
    public let lastFailure: String?

    public var description: String {
        let cause = lastFailure.map { "; last failure: \($0)" } ?? ""
        guard let retryAfter, let reopensAt else {
            return "circuit half-open: a trial call is in flight\(cause)"
        }
        let when = ResilienceFormatting.instant(reopensAt)
        return "circuit open until \(when) (in \(ResilienceFormatting.duration(retryAfter))\(cause))"
    }
}
