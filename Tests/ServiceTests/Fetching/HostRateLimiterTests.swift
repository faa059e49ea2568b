import IngestionService
import Testing

/// The limiter on a standing virtual clock: every reservation is made at the same instant, so the
/// slots handed out are exact values.
@Suite("HostRateLimiter")
struct HostRateLimiterTests {
    @Test func concurrentCallersToOneHostGetConsecutiveSlotsAndOtherHostsAreNotDelayed() async throws {
        let sleeper = RecordingSleeper()
        let limiter = HostRateLimiter(interval: .seconds(1), sleeper: sleeper)
        let waits = try await withThrowingTaskGroup(of: (String, Duration).self) { group in
            for host in ["boards.example", "boards.example", "boards.example", "api.other.example"] {
                group.addTask { (host, try await limiter.waitForTurn(host: host)) }
            }
            return try await group.reduce(into: [(String, Duration)]()) { $0.append($1) }
        }
        #expect(waits.filter { $0.0 == "boards.example" }.map(\.1).sorted() == [.zero, .seconds(1), .seconds(2)])
        #expect(waits.filter { $0.0 == "api.other.example" }.map(\.1) == [.zero])
        // Only the two later slots are waited for; the other host's request starts at once.
        #expect(sleeper.sleeps.sorted() == [.seconds(1), .seconds(2)])
    }

    @Test func aSlotIsFreeOnceTheIntervalHasPassed() {
        let sleeper = RecordingSleeper()
        let limiter = HostRateLimiter(interval: .seconds(1), sleeper: sleeper)
        #expect(limiter.reserve(host: "boards.example") == .zero)
        sleeper.advance(by: .milliseconds(400))
        #expect(limiter.reserve(host: "boards.example") == .milliseconds(600))
        sleeper.advance(by: .seconds(5))
        #expect(limiter.reserve(host: "boards.example") == .zero)
    }

    @Test func hostsCompareCaseInsensitively() {
        let limiter = HostRateLimiter(interval: .seconds(1), sleeper: RecordingSleeper())
        #expect(limiter.reserve(host: "Boards.Example") == .zero)
        #expect(limiter.reserve(host: "boards.example") == .seconds(1))
    }

    @Test func holdingOffAHostDelaysEveryCallerToItOnly() {
        let limiter = HostRateLimiter(interval: .seconds(1), sleeper: RecordingSleeper())
        limiter.holdOff(host: "boards.example", for: .seconds(5))
        // A shorter hold-off never brings the slot forward.
        limiter.holdOff(host: "boards.example", for: .seconds(2))
        #expect(limiter.reserve(host: "boards.example") == .seconds(5))
        #expect(limiter.reserve(host: "boards.example") == .seconds(6))
        #expect(limiter.reserve(host: "api.other.example") == .zero)
    }

    @Test func aZeroIntervalNeverWaits() async throws {
        let sleeper = RecordingSleeper()
        let limiter = HostRateLimiter(interval: .zero, sleeper: sleeper)
        for _ in 0..<3 {
            #expect(try await limiter.waitForTurn(host: "boards.example") == .zero)
        }
        #expect(sleeper.sleeps.isEmpty)
    }

    @Test func manyHostsArePrunedWithoutLosingPendingSlots() {
        let sleeper = RecordingSleeper()
        let limiter = HostRateLimiter(interval: .seconds(1), sleeper: sleeper)
        #expect(limiter.reserve(host: "busy.example") == .zero)
        for index in 0..<300 {
            _ = limiter.reserve(host: "host\(index).example")
        }
        // Still within busy.example's interval: its slot must have survived any pruning.
        #expect(limiter.reserve(host: "busy.example") == .seconds(1))
    }
}
