import Foundation

/// Keeps calls to a metered API within a per-minute rate and a per-day quota, over rolling windows.
///
/// FireCrawl's plans meter requests per minute and per day; going over earns 429s that cost a retry
/// each, and spending the day's quota early starves every later job. So each HTTP attempt first takes
/// a slot here — retries included, since FireCrawl counts them too:
///
/// - a *minute* slot: when the last minute's calls already reach ``perMinute``, the caller waits for
///   the oldest of them to leave the window, but never longer than ``maximumWait``; a longer wait fails
///   at once with a "rate limited" error, so the research engine can move on to its next provider
///   instead of holding a worker;
/// - a *day* slot: when the last 24 hours' calls reach ``perDay``, the caller fails at once — waiting
///   hours is never the right answer — and ``unavailableReason()`` reports the spent quota so the
///   engine skips the provider without trying.
///
/// The windows roll (a call counts for exactly one minute and one day after it started) rather than
/// resetting on the clock, which is what keeps a burst at 12:00:59 and another at 12:01:00 from
/// doubling the rate. One limiter is shared by every request the process makes to the API.
///
/// ```swift
/// let limiter = RateLimiter(perMinute: 10, perDay: 600)
/// try await limiter.acquire()   // waits for a minute slot, or throws RateLimitError
/// let response = try await client.execute(request)
/// ```
public actor RateLimiter {
    /// The most calls started in any rolling minute. Default 10 (`FIRECRAWL_RATE_PER_MINUTE`).
    public nonisolated let perMinute: Int
    /// The most calls started in any rolling 24 hours. Default 600 (`FIRECRAWL_RATE_PER_DAY`).
    public nonisolated let perDay: Int
    /// The longest one ``acquire()`` waits for a minute slot before failing. Default 30 s
    /// (`FIRECRAWL_RATE_MAX_WAIT_SECONDS`): a research job may wait a little for its turn, but not hold
    /// a worker for the whole minute another burst booked.
    public nonisolated let maximumWait: Duration

    private let clock: any ResilienceClock
    /// Start instants of the calls in the current minute window, oldest first.
    private var minuteCalls: [ContinuousClock.Instant] = []
    /// Start instants of the calls in the current day window, oldest first.
    private var dayCalls: [ContinuousClock.Instant] = []

    static let minute = Duration.seconds(60)
    static let day = Duration.seconds(24 * 60 * 60)

    /// - Parameters:
    ///   - perMinute: Calls per rolling minute; at least 1.
    ///   - perDay: Calls per rolling day; at least 1.
    ///   - maximumWait: The longest wait for a minute slot; zero fails at once when the minute is full.
    ///   - clock: Time to measure the windows with and to wait on; tests pass a manual one.
    public init(perMinute: Int = 10, perDay: Int = 600, maximumWait: Duration = .seconds(30), clock: any ResilienceClock = SystemResilienceClock()) {
        self.perMinute = max(1, perMinute)
        self.perDay = max(1, perDay)
        self.maximumWait = max(.zero, maximumWait)
        self.clock = clock
    }

    /// Takes a slot for one call, waiting for a minute slot when the minute is full.
    ///
    /// Other callers may take a freed slot first while this one waits (the actor lets them in during
    /// the sleep); the caller then waits again, but never past ``maximumWait`` from its arrival.
    ///
    /// - Throws: ``RateLimitError`` with kind `.dailyQuota` at once when the day's quota is spent, or
    ///   `.minuteRate` when a minute slot would come later than ``maximumWait``; `CancellationError`
    ///   when the task is cancelled while waiting.
    public func acquire() async throws {
        let deadline = clock.now + maximumWait
        while true {
            try Task.checkCancellation()
            let now = clock.now
            prune(now: now)
            if let oldest = dayCalls.first, dayCalls.count >= perDay {
                throw RateLimitError.dailyQuota(limit: perDay, retryAfter: oldest + Self.day - now)
            }
            guard let oldest = minuteCalls.first, minuteCalls.count >= perMinute else {
                minuteCalls.append(now)
                dayCalls.append(now)
                return
            }
            let wait = oldest + Self.minute - now
            guard now + wait <= deadline else {
                throw RateLimitError.minuteRate(limit: perMinute, retryAfter: wait, maximumWait: maximumWait)
            }
            try await clock.sleep(for: wait)
        }
    }

    /// Why no call can be made for a long while — the day's quota is spent — or nil.
    ///
    /// A full minute is not reported: it frees within a minute, and ``acquire()`` waits for it.
    public func unavailableReason() -> String? {
        let now = clock.now
        prune(now: now)
        guard let oldest = dayCalls.first, dayCalls.count >= perDay else { return nil }
        let retryAfter = oldest + Self.day - now
        return "daily quota of \(perDay) calls spent; next call in \(ResilienceFormatting.duration(retryAfter))"
    }

    /// How many calls the current windows hold.
    public func usage() -> Usage {
        prune(now: clock.now)
        return Usage(lastMinute: minuteCalls.count, lastDay: dayCalls.count)
    }

    /// Calls started in the rolling windows.
    public struct Usage: Sendable, Equatable {
        public var lastMinute: Int
        public var lastDay: Int

        public init(lastMinute: Int, lastDay: Int) {
            self.lastMinute = lastMinute
            self.lastDay = lastDay
        }
    }

    /// Drops calls that have left their window.
    private func prune(now: ContinuousClock.Instant) {
        Self.dropExpired(&minuteCalls, before: now - Self.minute)
        Self.dropExpired(&dayCalls, before: now - Self.day)
    }

    private static func dropExpired(_ calls: inout [ContinuousClock.Instant], before cutoff: ContinuousClock.Instant) {
        guard let first = calls.first, first <= cutoff else { return }
        let expired = calls.firstIndex { $0 > cutoff } ?? calls.endIndex
        calls.removeFirst(expired)
    }
}

/// Why ``RateLimiter/acquire()`` refused a call.
public struct RateLimitError: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable, Hashable {
        /// Every slot of the rolling minute is taken and the next one frees later than the caller
        /// may wait.
        case minuteRate
        /// The rolling day's quota is spent.
        case dailyQuota
    }

    public let kind: Kind
    /// The limit that was reached (calls per minute or per day).
    public let limit: Int
    /// When the next slot frees.
    public let retryAfter: Duration
    private let maximumWait: Duration?

    static func minuteRate(limit: Int, retryAfter: Duration, maximumWait: Duration) -> RateLimitError {
        RateLimitError(kind: .minuteRate, limit: limit, retryAfter: retryAfter, maximumWait: maximumWait)
    }

    static func dailyQuota(limit: Int, retryAfter: Duration) -> RateLimitError {
        RateLimitError(kind: .dailyQuota, limit: limit, retryAfter: retryAfter, maximumWait: nil)
    }

    public var description: String {
        let next = ResilienceFormatting.duration(retryAfter)
        switch kind {
        case .minuteRate:
            let allowed = maximumWait.map { ResilienceFormatting.duration($0) } ?? "0 s"
            return "rate limited: \(limit) calls per minute in use; next slot in \(next), longer than the \(allowed) a call may wait"
        case .dailyQuota:
            return "daily quota of \(limit) calls spent; next call in \(next)"
        }
    }
}

// MARK: - Time

/// Time as ``RateLimiter``, ``CircuitBreaker`` and the FireCrawl client's retries see it: a monotonic
/// clock to measure windows and cool-downs, the wall clock to tell people *when* something reopens,
/// and a way to wait.
///
/// Injected so that tests run the real waiting logic — rolling windows, cool-downs, backoff and
/// `Retry-After` — against a manual clock that records the waits it is asked for, instead of sleeping
/// for a minute. Production code uses ``SystemResilienceClock``.
public protocol ResilienceClock: Sendable {
    /// The current instant of a monotonic clock; only differences between instants matter.
    var now: ContinuousClock.Instant { get }

    /// The current wall-clock time, for messages such as "circuit open until 12:31:05Z".
    var wallClock: Date { get }

    /// Suspends the calling task for `duration`.
    ///
    /// - Throws: `CancellationError` when the task is cancelled while waiting.
    func sleep(for duration: Duration) async throws
}

/// The real clocks and `Task.sleep`.
public struct SystemResilienceClock: ResilienceClock {
    public init() {}

    public var now: ContinuousClock.Instant { ContinuousClock.now }

    public var wallClock: Date { Date() }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}

/// Durations and instants as the rate limiter's, breaker's and client's messages write them.
enum ResilienceFormatting {
    /// `850 ms`, `42 s`, `12 min`, `3 h 5 min`: rounded up, since "retry in 0 s" after a wait of
    /// 0.4 s would be wrong.
    static func duration(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        guard seconds > 0 || attoseconds > 0 else { return "0 s" }
        if seconds < 1 {
            let milliseconds = max(1, (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
            return "\(milliseconds) ms"
        }
        let wholeSeconds = seconds + (attoseconds > 0 ? 1 : 0)
        if wholeSeconds < 90 { return "\(wholeSeconds) s" }
        let minutes = (wholeSeconds + 59) / 60
        if minutes < 90 { return "\(minutes) min" }
        return "\(minutes / 60) h \(minutes % 60) min"
    }

    /// A wall-clock instant in UTC to the second (`2026-03-01T12:31:05Z`).
    static func instant(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }

    /// `date` moved on by `duration`.
    static func date(_ date: Date, plus duration: Duration) -> Date {
        let (seconds, attoseconds) = duration.components
        return date.addingTimeInterval(Double(seconds) + Double(attoseconds) / 1e18)
    }
}
