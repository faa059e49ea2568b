import Foundation
import IngestionService
import Synchronization

/// A ``FetchSleeper`` on a virtual clock that records every wait it is asked for and returns at once,
/// so tests assert backoff, `Retry-After` and spacing as values rather than by timing real sleeps.
///
/// Its monotonic clock stands still unless `advancesOnSleep` is set (each sleep then moves it on by
/// the duration, as a sequential caller would see) or a test calls ``advance(by:)``.
final class RecordingSleeper: FetchSleeper {
    private struct State {
        var elapsed: Duration = .zero
        var sleeps: [Duration] = []
    }

    private let origin = ContinuousClock.now
    private let wallOrigin: Date
    private let advancesOnSleep: Bool
    private let state = Mutex(State())

    /// - Parameters:
    ///   - wallClock: The wall-clock time at the start; it moves with the monotonic clock.
    ///   - advancesOnSleep: Whether each sleep moves the clock on by its duration.
    init(wallClock: Date = Date(timeIntervalSince1970: 1_700_000_000), advancesOnSleep: Bool = false) {
        self.wallOrigin = wallClock
        self.advancesOnSleep = advancesOnSleep
    }

    /// Every duration asked for, in order.
    var sleeps: [Duration] {
        state.withLock { $0.sleeps }
    }

    /// Moves the clock on by `duration`.
    func advance(by duration: Duration) {
        state.withLock { $0.elapsed += duration }
    }

    var now: ContinuousClock.Instant {
        origin + state.withLock { $0.elapsed }
    }

    var wallClock: Date {
        let (seconds, attoseconds) = state.withLock { $0.elapsed }.components
        return wallOrigin.addingTimeInterval(Double(seconds) + Double(attoseconds) * 1e-18)
    }

    func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        let advances = advancesOnSleep
        state.withLock { state in
            state.sleeps.append(duration)
            if advances { state.elapsed += duration }
        }
    }
}
