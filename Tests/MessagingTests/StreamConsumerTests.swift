import Foundation
import IntegrationTesting
import JobsmithTesting
import Logging
import Messaging
import NIOPosix
import Redis
import ServiceLifecycle
import Synchronization
import Testing

/// A test message: `fail` makes the handler throw every time.
struct Probe: PipelineMessage, Equatable {
    static let type = "test.probe"
    var number: Int
    var fail = false
}

/// Records every delivery it sees, and fails the probes marked to fail.
final class RecordingHandler: MessageHandler {
    let deliveries = Mutex<[(number: Int, deliveryCount: Int)]>([])
    let delay: Duration

    init(delay: Duration = .zero) {
        self.delay = delay
    }

    func handle(_ message: ReceivedMessage) async throws {
        let probe = try message.envelope.decode(Probe.self)
        if delay > .zero { try await Task.sleep(for: delay) }
        deliveries.withLock { $0.append((probe.number, message.deliveryCount)) }
        if probe.fail { throw TestFailure(number: probe.number) }
    }

    var numbers: [Int] { deliveries.withLock { $0.map(\.number) } }

    struct TestFailure: Error, CustomStringConvertible {
        let number: Int
        var description: String { "probe \(number) always fails" }
    }
}

/// One test's stream, its Redis clients and thread pool.
final class StreamFixture: Sendable {
    let stream = TestEnvironment.uniqueName("test:stream")
    let group = "workers"
    let threads = NIOThreadPool(numberOfThreads: 4)
    let redis: RedisClient
    let producer: StreamProducer

    init() throws {
        threads.start()
        redis = RedisClient(configuration: try TestRedis.configuration(), maximumConnections: 4, threadPool: threads)
        producer = StreamProducer(redis: redis, producer: "test")
    }

    func consumer(_ name: String, handler: any MessageHandler, visibility: Duration = .seconds(60), maximumDeliveries: Int = 5) -> StreamConsumer {
        StreamConsumer(
            configuration: ConsumerConfiguration(
                stream: stream, group: group, consumer: name, batchSize: 10, concurrency: 4,
                blockTime: .milliseconds(100), visibilityTimeout: visibility, maximumDeliveries: maximumDeliveries
            ),
            redis: redis,
            threadPool: threads,
            handler: handler,
            logger: Logger(label: "test")
        )
    }

    func publish(_ probes: [Probe]) async throws {
        try await producer.publish(probes.map { try Envelope($0, producer: "test") }, to: stream)
    }

    /// Runs the consumer until `done` holds (checked every 50 ms) or `timeout` passes, then stops it.
    func run(_ consumer: StreamConsumer, timeout: Duration = .seconds(20), until done: @escaping @Sendable () async throws -> Bool) async throws {
        let task = Task { try await consumer.run() }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await done() { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        task.cancel()
        try await task.value
    }

    /// `condition`, once nothing is left pending either (acknowledging follows handling).
    func settled(_ condition: Bool) async throws -> Bool {
        guard condition else { return false }
        return try await pendingCount() == 0
    }

    func pendingCount() async throws -> Int {
        try await redis.send("XPENDING", stream, group).array?.first?.int ?? 0
    }

    func deadEntries() async throws -> [[(key: String, value: RedisReply)]] {
        let reply = try await redis.send("XRANGE", StreamNames.deadLetters(of: stream), "-", "+")
        return (reply.array ?? []).compactMap { $0.array?.last?.pairs }
    }

    func tearDown() async throws {
        await redis.shutDown()
        try await threads.shutdownGracefully()
        TestRedis.deleteKeys(prefix: stream)
    }
}

@Suite struct StreamConsumerTests {
    @Test func handlesEveryMessageOnceAndAcknowledgesIt() async throws {
        let fixture = try StreamFixture()
        let handler = RecordingHandler()
        try await fixture.publish((1...60).map { Probe(number: $0) })
        try await fixture.run(fixture.consumer("c1", handler: handler)) { try await fixture.settled(handler.numbers.count >= 60) }
        #expect(handler.numbers.sorted() == Array(1...60))
        #expect(try await fixture.pendingCount() == 0)
        #expect(try await fixture.deadEntries().isEmpty)
        try await fixture.tearDown()
    }

    @Test func entriesPublishedBeforeTheGroupExistedAreHandled() async throws {
        let fixture = try StreamFixture()
        try await fixture.publish([Probe(number: 7)])
        let handler = RecordingHandler()
        try await fixture.run(fixture.consumer("c1", handler: handler)) { try await fixture.settled(handler.numbers == [7]) }
        #expect(handler.numbers == [7])
        try await fixture.tearDown()
    }

    @Test func aVanishedConsumersPendingEntriesAreReclaimedByAnother() async throws {
        let fixture = try StreamFixture()
        try await fixture.redis.send("XGROUP", "CREATE", fixture.stream, fixture.group, "0", "MKSTREAM")
        try await fixture.publish((1...5).map { Probe(number: $0) })
        // A consumer receives the entries, then disappears without acknowledging them.
        let taken = try await fixture.redis.send("XREADGROUP", "GROUP", fixture.group, "crashed", "COUNT", 10, "STREAMS", fixture.stream, ">")
        #expect(taken.array?.first?.array?.last?.array?.count == 5)
        #expect(try await fixture.pendingCount() == 5)

        let handler = RecordingHandler()
        let survivor = fixture.consumer("survivor", handler: handler, visibility: .milliseconds(300))
        try await fixture.run(survivor) { try await fixture.settled(handler.numbers.count >= 5) }
        #expect(handler.numbers.sorted() == [1, 2, 3, 4, 5])
        // Redis counted the crashed delivery and the reclaim.
        #expect(handler.deliveries.withLock { $0.allSatisfy { $0.deliveryCount == 2 } })
        #expect(try await fixture.pendingCount() == 0)
        try await fixture.tearDown()
    }

    @Test func aRestartedReplicaFinishesItsOwnPendingEntriesFirst() async throws {
        let fixture = try StreamFixture()
        try await fixture.redis.send("XGROUP", "CREATE", fixture.stream, fixture.group, "0", "MKSTREAM")
        try await fixture.publish((1...3).map { Probe(number: $0) })
        _ = try await fixture.redis.send("XREADGROUP", "GROUP", fixture.group, "replica-1", "COUNT", 10, "STREAMS", fixture.stream, ">")
        // Same name, long visibility timeout: only the start-up recovery can pick these up quickly.
        let handler = RecordingHandler()
        try await fixture.run(fixture.consumer("replica-1", handler: handler), timeout: .seconds(20)) {
            try await fixture.settled(handler.numbers.count >= 3)
        }
        #expect(handler.numbers.sorted() == [1, 2, 3])
        #expect(try await fixture.pendingCount() == 0)
        try await fixture.tearDown()
    }

    @Test func aMessageThatAlwaysFailsIsDeadLetteredAfterMaximumDeliveriesWhileOthersPass() async throws {
        let fixture = try StreamFixture()
        try await fixture.publish([Probe(number: 1), Probe(number: 2, fail: true), Probe(number: 3)])
        let handler = RecordingHandler()
        let consumer = fixture.consumer("c1", handler: handler, visibility: .milliseconds(200), maximumDeliveries: 3)
        try await fixture.run(consumer) { try await fixture.settled(!fixture.deadEntries().isEmpty) }
        let dead = try await fixture.deadEntries()
        #expect(dead.count == 1)
        let fields = Dictionary(uniqueKeysWithValues: dead[0].map { ($0.key, $0.value.string ?? "") })
        #expect(fields["dead_deliveries"] == "3")
        #expect(fields["dead_error"] == "probe 2 always fails")
        #expect(fields["dead_group"] == fixture.group)
        #expect(fields["type"] == Probe.type)
        #expect(handler.numbers.filter { $0 == 2 }.count == 3)
        #expect(handler.numbers.filter { $0 != 2 }.sorted() == [1, 3])
        #expect(try await fixture.pendingCount() == 0)
        try await fixture.tearDown()
    }

    @Test func anUnreadableEntryGoesStraightToTheDeadLetters() async throws {
        let fixture = try StreamFixture()
        try await fixture.redis.send("XADD", fixture.stream, "*", "type", "test.probe", "garbage", "1")
        try await fixture.publish([Probe(number: 1)])
        let handler = RecordingHandler()
        try await fixture.run(fixture.consumer("c1", handler: handler)) {
            let dead = try await fixture.deadEntries().count
            return try await fixture.settled(handler.numbers == [1] && dead == 1)
        }
        let dead = try await fixture.deadEntries()
        #expect(dead.count == 1)
        #expect(dead.first?.first { $0.key == "dead_error" }?.value.string?.contains("no 'id' field") == true)
        #expect(handler.numbers == [1])
        try await fixture.tearDown()
    }

    @Test func twoConsumersShareTheWork() async throws {
        let fixture = try StreamFixture()
        try await fixture.publish((1...200).map { Probe(number: $0) })
        let first = RecordingHandler(delay: .milliseconds(2))
        let second = RecordingHandler(delay: .milliseconds(2))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await fixture.run(fixture.consumer("a", handler: first)) { first.numbers.count + second.numbers.count >= 200 } }
            group.addTask { try await fixture.run(fixture.consumer("b", handler: second)) { first.numbers.count + second.numbers.count >= 200 } }
            try await group.waitForAll()
        }
        #expect((first.numbers + second.numbers).sorted() == Array(1...200))
        #expect(!first.numbers.isEmpty && !second.numbers.isEmpty)
        try await fixture.tearDown()
    }
}

@Suite struct EnvelopeTests {
    @Test func roundTripsThroughStreamFields() throws {
        let envelope = try Envelope(Probe(number: 9), producer: "extraction-1", jobID: 12, correlationID: "run-1", attempt: 2)
        var pairs: [(key: String, value: RedisReply)] = []
        let fields = envelope.fields
        for index in stride(from: 0, to: fields.count, by: 2) {
            pairs.append((String(decoding: fields[index], as: UTF8.self), .bulk(fields[index + 1])))
        }
        let decoded = try Envelope(fields: pairs)
        #expect(decoded.id == envelope.id)
        #expect(decoded.jobID == 12)
        #expect(decoded.correlationID == "run-1")
        #expect(decoded.attempt == 2)
        #expect(decoded.producer == "extraction-1")
        #expect(abs(decoded.producedAt.timeIntervalSince(envelope.producedAt)) < 0.001)
        #expect(try decoded.decode(Probe.self) == Probe(number: 9))
        #expect(throws: MessagingError.self) { try decoded.decode(JobIngested.self) }
    }
}

@Suite struct GracefulShutdownTests {
    @Test func shutdownFinishesAndAcknowledgesWhatIsRunningThenStopsReading() async throws {
        let fixture = try StreamFixture()
        let handler = RecordingHandler(delay: .milliseconds(400))
        try await fixture.publish((1...4).map { Probe(number: $0) })
        let consumer = fixture.consumer("c1", handler: handler)
        let group = ServiceGroup(services: [consumer], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            // Wait until all four are being handled, then ask for a graceful shutdown.
            while consumer.statistics.snapshot.inFlight < 4 { try await Task.sleep(for: .milliseconds(10)) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(handler.numbers.sorted() == [1, 2, 3, 4])
        #expect(try await fixture.pendingCount() == 0)
        // Published after shutdown: left for the next replica, not read.
        try await fixture.publish([Probe(number: 5)])
        try await Task.sleep(for: .milliseconds(200))
        #expect(handler.numbers.count == 4)
        try await fixture.tearDown()
    }
}

@Suite struct StreamInspectorTests {
    @Test func reportsLengthLagPendingAndDeadLettersPerGroup() async throws {
        let fixture = try StreamFixture()
        let inspector = StreamInspector(redis: fixture.redis)
        let subscription = StreamNames.Subscription(stream: fixture.stream, group: fixture.group)
        // Before the stream exists: nothing, and no error.
        let empty = try #require(try await inspector.status(of: [subscription]).first)
        #expect(empty.length == 0 && empty.lag == 0 && empty.pending == 0 && empty.deadLetters == 0)
        try await fixture.redis.send("XGROUP", "CREATE", fixture.stream, fixture.group, "0", "MKSTREAM")
        try await fixture.publish((1...5).map { Probe(number: $0) })
        _ = try await fixture.redis.send("XREADGROUP", "GROUP", fixture.group, "reader", "COUNT", 2, "STREAMS", fixture.stream, ">")
        try await fixture.redis.send("XADD", StreamNames.deadLetters(of: fixture.stream), "*", "dead_error", "boom")
        let status = try #require(try await inspector.status(of: [subscription]).first)
        #expect(status.length == 5)
        #expect(status.lag == 3)
        #expect(status.pending == 2)
        #expect(status.consumers == 1)
        #expect(status.deadLetters == 1)
        try await fixture.tearDown()
    }

    @Test func heartbeatsOfSilentReplicasArePruned() async throws {
        let fixture = try StreamFixture()
        let key = "\(fixture.stream):heartbeats"
        let inspector = StreamInspector(redis: fixture.redis)
        let now = Date()
        for (instance, age) in [("extraction-1", 1.0), ("extraction-2", 3_600.0)] {
            let beat = ReplicaHeartbeat(
                service: "extraction", instance: instance, host: "h", pid: 1, startedAt: now.addingTimeInterval(-age - 10),
                lastSeen: now.addingTimeInterval(-age), intervalMilliseconds: 2000, state: "running", httpPort: nil, consumers: []
            )
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .millisecondsSince1970
            try await fixture.redis.send("HSET", key, instance, try encoder.encode(beat))
        }
        let live = try await inspector.pruneHeartbeats(key: key, olderThan: .seconds(600), now: now)
        #expect(live.map(\.instance) == ["extraction-1"])
        #expect(live.first?.isFresh(at: now) == true)
        #expect(try await fixture.redis.send("HLEN", key).int == 1)
        try await fixture.tearDown()
    }
}
