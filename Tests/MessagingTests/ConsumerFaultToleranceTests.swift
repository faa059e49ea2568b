import Foundation
import IntegrationTesting
import JobsmithTesting
import Logging
@testable import Messaging
import Redis
import Synchronization
import Testing

/// How a consumer copes with handlers that hang, dependencies that go away, a replica that stops,
/// replicas that are gone, and a stream that grows.
@Suite struct ConsumerFaultToleranceTests {
    func consumer(
        _ fixture: StreamFixture,
        _ name: String,
        handler: any MessageHandler,
        concurrency: Int = 4,
        visibility: Duration = .seconds(60),
        maximumDeliveries: Int = 5,
        handlerTimeout: Duration = .seconds(600),
        heartbeats: String? = nil,
        lifecycle: ReplicaLifecycle = ReplicaLifecycle()
    ) -> StreamConsumer {
        StreamConsumer(
            configuration: ConsumerConfiguration(
                stream: fixture.stream, group: fixture.group, consumer: name, batchSize: 10, concurrency: concurrency,
                blockTime: .milliseconds(100), visibilityTimeout: visibility, maximumDeliveries: maximumDeliveries,
                handlerTimeout: handlerTimeout, heartbeats: heartbeats
            ),
            redis: fixture.redis,
            threadPool: fixture.threads,
            handler: handler,
            lifecycle: lifecycle,
            logger: Logger(label: "test")
        )
    }

    @Test func aHangingHandlerIsCancelledAtItsDeadlineAndFreesTheWorker() async throws {
        let fixture = try StreamFixture()
        // Probe 0 hangs every time; with one worker, the others get through only if the deadline frees it.
        let handler = HangingHandler(hangs: [0])
        let consumer = consumer(
            fixture, "c1", handler: handler, concurrency: 1, visibility: .milliseconds(300), maximumDeliveries: 2, handlerTimeout: .milliseconds(200)
        )
        try await fixture.publish((0..<5).map { Probe(number: $0) })
        try await fixture.run(consumer) {
            let dead = try await fixture.deadEntries().count
            return try await fixture.settled(handler.finished.count == 4 && dead == 1)
        }
        #expect(handler.finished.sorted() == [1, 2, 3, 4])
        #expect(handler.started.filter { $0 == 0 }.count == 2, "tried once per delivery")
        let dead = try #require(try await fixture.deadEntries().first)
        let error = dead.first { $0.key == StreamInspector.DeadLetter.Field.error }?.value.string ?? ""
        #expect(error.contains("deadline"))
        #expect(consumer.statistics.snapshot.inFlight == 0)
        try await fixture.tearDown()
    }

    @Test func aHandlerThatLosesItsDatabaseIsRetriedInPlaceWithoutUsingUpDeliveries() async throws {
        let fixture = try StreamFixture()
        // Fails twice as if Redis were restarting; a single allowed delivery must still succeed.
        let handler = FlakyHandler(failures: 2)
        let consumer = consumer(fixture, "c1", handler: handler, maximumDeliveries: 1)
        try await fixture.publish([Probe(number: 7)])
        try await fixture.run(consumer) { try await fixture.settled(handler.successes.load(ordering: .relaxed) == 1) }
        #expect(handler.attempts.load(ordering: .relaxed) == 3)
        #expect(handler.deliveryCounts.withLock { $0 } == [1, 1, 1], "retried in place, not redelivered")
        #expect(try await fixture.deadEntries().isEmpty)
        try await fixture.tearDown()
    }

    @Test func drainingFinishesShortWorkAndHandsBackTheRestForAnotherReplica() async throws {
        let fixture = try StreamFixture()
        let lifecycle = ReplicaLifecycle(shutdownDeadline: .milliseconds(300))
        // Probe 0 takes a moment and finishes within the deadline; probe 1 hangs past it.
        let handler = HangingHandler(hangs: [1], delay: .milliseconds(100))
        let first = consumer(fixture, "leaving", handler: handler, lifecycle: lifecycle)
        try await fixture.publish([Probe(number: 0), Probe(number: 1)])
        let running = Task { try await first.run() }
        while handler.started.count < 2 { try await Task.sleep(for: .milliseconds(20)) }
        lifecycle.beginDraining()
        while first.statistics.snapshot.inFlight > 0 { try await Task.sleep(for: .milliseconds(20)) }
        running.cancel()
        try await running.value
        #expect(handler.finished == [0])
        #expect(first.statistics.snapshot.processed == 1)

        // The visibility timeout is a minute, yet another replica takes the handed-back entry at once.
        let taker = RecordingHandler()
        let second = consumer(fixture, "staying", handler: taker)
        let started = ContinuousClock.now
        try await fixture.run(second, timeout: .seconds(10)) { try await fixture.settled(taker.numbers == [1]) }
        #expect(taker.numbers == [1])
        #expect(ContinuousClock.now - started < .seconds(10))
        // Handing back adds no delivery; the other replica's claim counts one, as every reclaim does.
        #expect(taker.deliveries.withLock { $0.first?.deliveryCount } == 2)
        try await fixture.tearDown()
    }

    @Test func consumersOfDepartedReplicasAreRemovedOnlyOnceTheirEntriesWereClaimed() async throws {
        let fixture = try StreamFixture()
        let heartbeats = fixture.stream + ":heartbeats"
        try await fixture.redis.send("XGROUP", "CREATE", fixture.stream, fixture.group, "0", "MKSTREAM")
        try await fixture.publish([Probe(number: 1)])
        // "gone" took the entry and died; "idle" is alive (fresh heartbeat) but has nothing pending.
        try await fixture.redis.send("XREADGROUP", "GROUP", fixture.group, "gone", "COUNT", 1, "STREAMS", fixture.stream, ">")
        try await fixture.redis.send("XGROUP", "CREATECONSUMER", fixture.stream, fixture.group, "idle")
        let alive = ReplicaHeartbeat(
            service: "test", instance: "idle", host: "h", pid: 1, startedAt: Date(), lastSeen: Date().addingTimeInterval(3600),
            intervalMilliseconds: 1000, state: "running", httpPort: nil, consumers: []
        )
        try await fixture.redis.send("HSET", heartbeats, "idle", try ReplicaHeartbeat.encoder.encode(alive))
        let maintenance = ConsumerGroupMaintenance(
            configuration: ConsumerConfiguration(stream: fixture.stream, group: fixture.group, consumer: "live", visibilityTimeout: .milliseconds(100), heartbeats: heartbeats),
            redis: fixture.redis,
            logger: Logger(label: "test")
        )
        try await Task.sleep(for: .milliseconds(200))
        #expect(try await maintenance.removeDepartedConsumers().isEmpty, "gone still holds an entry")

        try await fixture.redis.send("XAUTOCLAIM", fixture.stream, fixture.group, "live", 0, "0-0")
        try await Task.sleep(for: .milliseconds(200))
        #expect(try await maintenance.removeDepartedConsumers() == ["gone"])
        let names = try await fixture.redis.send("XINFO", "CONSUMERS", fixture.stream, fixture.group).array?.compactMap {
            Dictionary($0.pairs ?? [], uniquingKeysWith: { first, _ in first })["name"]?.string
        }
        #expect(names?.sorted() == ["idle", "live"])
        try await fixture.tearDown()
        TestRedis.deleteKeys(prefix: heartbeats)
    }

    @Test func trimmingKeepsEveryEntryAGroupHasNotFinished() async throws {
        let fixture = try StreamFixture()
        try await fixture.redis.send("XGROUP", "CREATE", fixture.stream, "fast", "0", "MKSTREAM")
        try await fixture.redis.send("XGROUP", "CREATE", fixture.stream, "slow", "0")
        let ids = try await fixture.producer.publish((0..<3000).map { try Envelope(Probe(number: $0), producer: "test") }, to: fixture.stream)
        // "fast" reads and acknowledges everything; "slow" has read 2,000, acknowledged 1,500.
        try await fixture.redis.send("XREADGROUP", "GROUP", "fast", "f", "COUNT", 3000, "STREAMS", fixture.stream, ">")
        _ = try await fixture.redis.pipeline(ids.map { ["XACK", fixture.stream, "fast", $0] })
        try await fixture.redis.send("XREADGROUP", "GROUP", "slow", "s", "COUNT", 2000, "STREAMS", fixture.stream, ">")
        let maintenance = ConsumerGroupMaintenance(
            configuration: ConsumerConfiguration(stream: fixture.stream, group: "fast", consumer: "f", retainedLength: 100),
            redis: fixture.redis,
            logger: Logger(label: "test")
        )
        #expect(try await maintenance.trim() == 0, "slow has all 3,000 pending or unread")

        _ = try await fixture.redis.pipeline(ids.prefix(1500).map { ["XACK", fixture.stream, "slow", $0] })
        let removed = try await maintenance.trim()
        #expect(removed > 0 && removed <= 1500)
        let oldest = try #require(try await fixture.redis.send("XRANGE", fixture.stream, "-", "+", "COUNT", 1).array?.first?.array?.first?.string)
        #expect(StreamPosition(oldest)! <= StreamPosition(ids[1500])!, "the oldest entry slow has pending is still there")
        try await fixture.tearDown()
    }
}

/// Hangs (until cancelled) on the probes it is told to; otherwise finishes after `delay`.
final class HangingHandler: MessageHandler {
    let hangs: Set<Int>
    let delay: Duration
    private let log = Mutex<(started: [Int], finished: [Int])>(([], []))

    init(hangs: Set<Int>, delay: Duration = .zero) {
        self.hangs = hangs
        self.delay = delay
    }

    var started: [Int] { log.withLock { $0.started } }
    var finished: [Int] { log.withLock { $0.finished } }

    func handle(_ message: ReceivedMessage) async throws {
        let probe = try message.envelope.decode(Probe.self)
        log.withLock { $0.started.append(probe.number) }
        try await Task.sleep(for: hangs.contains(probe.number) ? .seconds(3600) : delay)
        log.withLock { $0.finished.append(probe.number) }
    }
}

/// Throws a Redis connection error the first `failures` times, then succeeds.
final class FlakyHandler: MessageHandler {
    let failures: Int
    let attempts = Atomic<Int>(0)
    let successes = Atomic<Int>(0)
    let deliveryCounts = Mutex<[Int]>([])

    init(failures: Int) { self.failures = failures }

    func handle(_ message: ReceivedMessage) async throws {
        deliveryCounts.withLock { $0.append(message.deliveryCount) }
        let attempt = attempts.add(1, ordering: .relaxed).newValue
        if attempt <= failures { throw RedisError.connection("connection refused (restarting)") }
        successes.add(1, ordering: .relaxed)
    }
}
