import Synchronization

/// Spaces requests to each host by a minimum interval, however many tasks make them, without delaying
/// requests to other hosts.
///
/// Each caller *reserves* the next free slot of its host — at least ``interval`` after the previous
/// reservation — and then waits for it outside the lock. Reserving rather than "wait, then check"
/// means concurrent callers never race for the same slot: three callers arriving together get slots
/// 0, 1 s and 2 s from now, in arrival order, and a fourth to another host gets its slot at once.
///
/// A slot reserved by a task that is then cancelled stays reserved: the next caller waits a little
/// longer than needed, which errs on the polite side.
///
/// ```swift
/// let limiter = HostRateLimiter(interval: .seconds(1))
/// try await limiter.waitForTurn(host: "boards-api.greenhouse.io")
/// let response = try await client.get(url)
/// ```
public final class HostRateLimiter: Sendable {
    /// The least time between the starts of two requests to one host.
    public let interval: Duration
    private let sleeper: any FetchSleeper
    /// The earliest instant each host's next request may start. A host whose instant has passed is
    /// as good as absent, so such entries are pruned once the table grows.
    private let nextSlots = Mutex<[String: ContinuousClock.Instant]>([:])

    /// Past this many hosts, hosts whose next slot has already passed are dropped from the table.
    private static let pruneThreshold = 256

    /// - Parameters:
    ///   - interval: The least time between two requests to one host; zero or less disables spacing.
    ///   - sleeper: The clock to measure with and to wait on.
    public init(interval: Duration, sleeper: any FetchSleeper = RealSleeper()) {
        self.interval = max(interval, .zero)
        self.sleeper = sleeper
    }

    /// Reserves the next free slot for `host` and returns how long from now it starts, without waiting.
    ///
    /// - Parameter host: Compared case-insensitively.
    /// - Returns: Zero when the host may be called at once.
    public func reserve(host: String) -> Duration {
        let key = host.lowercased()
        let interval = self.interval
        let sleeper = self.sleeper
        return nextSlots.withLock { slots in
            let now = sleeper.now
            let slot = max(now, slots[key] ?? now)
            slots[key] = slot + interval
            if slots.count > Self.pruneThreshold {
                slots = slots.filter { $0.value > now }
            }
            return slot - now
        }
    }

    /// Reserves the next slot for `host` and waits until it starts.
    ///
    /// - Returns: How long the caller waited (as asked of the sleeper).
    /// - Throws: `CancellationError` if the task is cancelled.
    @discardableResult
    public func waitForTurn(host: String) async throws -> Duration {
        let delay = reserve(host: host)
        if delay > .zero {
            try await sleeper.sleep(for: delay)
        } else {
            try Task.checkCancellation()
        }
        return delay
    }

    /// Keeps every caller off `host` for at least `delay` from now.
    ///
    /// For a host that answered with `Retry-After`: it asked *us*, not one request, to wait, so every
    /// task fetching from it waits, not only the one that got the answer.
    public func holdOff(host: String, for delay: Duration) {
        let key = host.lowercased()
        let sleeper = self.sleeper
        nextSlots.withLock { slots in
            let until = sleeper.now + max(delay, .zero)
            if let next = slots[key], next >= until { return }
            slots[key] = until
        }
    }
}
