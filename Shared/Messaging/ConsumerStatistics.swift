import Synchronization

/// Counters of one consumer, read by the heartbeat and the status page.
public final class ConsumerStatistics: Sendable {
    public struct Snapshot: Codable, Sendable, Equatable {
        public var stream: String
        public var group: String
        public var processed: Int
        public var failed: Int
        public var deadLettered: Int
        public var inFlight: Int

        enum CodingKeys: String, CodingKey {
            case stream, group, processed, failed
            case deadLettered = "dead_lettered"
            case inFlight = "in_flight"
        }
    }

    public let stream: String
    public let group: String
    private let processed = Atomic<Int>(0)
    private let failed = Atomic<Int>(0)
    private let deadLettered = Atomic<Int>(0)
    private let inFlight = Atomic<Int>(0)

    public init(stream: String, group: String) {
        self.stream = stream
        self.group = group
    }

    func started() { inFlight.add(1, ordering: .relaxed) }
    func succeeded() {
        inFlight.subtract(1, ordering: .relaxed)
        processed.add(1, ordering: .relaxed)
    }
    func failedOnce() {
        inFlight.subtract(1, ordering: .relaxed)
        failed.add(1, ordering: .relaxed)
    }
    /// Stopped without an outcome (the replica is shutting down): handed back, neither done nor failed.
    func abandoned() { inFlight.subtract(1, ordering: .relaxed) }
    func deadLetteredOne() { deadLettered.add(1, ordering: .relaxed) }

    public var snapshot: Snapshot {
        Snapshot(
            stream: stream,
            group: group,
            processed: processed.load(ordering: .relaxed),
            failed: failed.load(ordering: .relaxed),
            deadLettered: deadLettered.load(ordering: .relaxed),
            inFlight: inFlight.load(ordering: .relaxed)
        )
    }
}
