import Foundation

/// Time as ``BoardFetcher`` and ``HostRateLimiter`` see it: a monotonic clock to space requests, the
/// wall clock to read `Retry-After` dates, and a way to wait.
///
/// Injected so that tests run the real waiting logic — host spacing, backoff, `Retry-After` — against a
/// fake that records the durations it is asked for, and assert those values instead of timing sleeps.
/// Production code uses ``RealSleeper``.
public protocol FetchSleeper: Sendable {
    /// The current instant of a monotonic clock; only differences between instants matter.
    var now: ContinuousClock.Instant { get }

    /// The current wall-clock time, against which `Retry-After` HTTP dates are measured.
    var wallClock: Date { get }

    /// Suspends the calling task for `duration`.
    ///
    /// - Throws: `CancellationError` when the task is cancelled while waiting.
    func sleep(for duration: Duration) async throws
}

/// The real clocks and `Task.sleep`.
public struct RealSleeper: FetchSleeper {
    public init() {}

    public var now: ContinuousClock.Instant { ContinuousClock.now }

    public var wallClock: Date { Date() }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}
