import Foundation
@testable import GatewayService
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Messaging
import Redis
import Runtime
import Synchronization
import Testing

/// Serialized for the same reason as `AuthTests`.
@Suite("Status", .serialized) struct StatusTests {
    @Test func aFullyRunningSystemSaysOk() async throws {
        try await withGateway { client, context in
            let beats = ServiceName.allCases.map { heartbeat(of: $0, instance: "\($0.rawValue)-1") }
            try await withHeartbeatPublishers(beats, context: context) {
                try await client.execute(uri: "/api/status", method: .get) { response in
                    #expect(response.status == .ok)
                    let report = try response.object()
                    #expect(report["status"] as? String == "ok", "reasons: \(report["reasons"] ?? "none")")
                    #expect((report["reasons"] as? [Any])?.isEmpty == true)
                    let services = report["services"] as? [[String: Any]] ?? []
                    #expect(services.map { $0["name"] as? String } == ServiceName.allCases.map(\.rawValue))
                    #expect(services.allSatisfy { $0["healthy"] as? Bool == true })
                    let replica = try #require((services.first?["replicas"] as? [[String: Any]])?.first)
                    #expect(replica["instance"] as? String == "ingestion-1")
                    #expect(replica["version"] as? String == "9.8.7")
                    #expect(replica["stale"] as? Bool == false)
                    #expect((replica["uptime_seconds"] as? Double ?? -1) >= 60)
                    #expect((replica["heartbeat_age_seconds"] as? Double ?? -1) < 30)
                    for store in ["redis", "database"] {
                        let health = report[store] as? [String: Any]
                        #expect(health?["reachable"] as? Bool == true, "\(store): \(health ?? [:])")
                        #expect((health?["latency_ms"] as? Double ?? -1) >= 0)
                    }
                    #expect((report["streams"] as? [Any])?.count == context.streams.subscriptions.count)
                    let stages = (report["throughput"] as? [String: Any])?["stages"] as? [[String: Any]] ?? []
                    #expect(stages.map { $0["stream"] as? String } == ["jobs:ingested", "jobs:extracted", "jobs:researched", "jobs:cv-generated"])
                }
            }
        }
    }

    @Test func aServiceWhoseOnlyReplicaIsStaleDegradesTheStatus() async throws {
        try await withGateway { client, context in
            var beats = ServiceName.allCases.filter { $0 != .research }.map { heartbeat(of: $0, instance: "\($0.rawValue)-1") }
            // Its last beat 2 minutes ago, with a 10 s interval: three beats missed long since.
            beats.append(heartbeat(of: .research, instance: "research-1", lastSeen: { Date().addingTimeInterval(-120) }))
            try await withHeartbeatPublishers(beats, context: context) {
                // A heartbeat in the format of a release that did not report its version yet.
                let old = #"{"service":"extraction","instance":"extraction-old","host":"h","pid":7,"started_at":\#(Self.milliseconds(-120)),"last_seen":\#(Self.milliseconds(0)),"interval_ms":10000,"state":"running","consumers":[]}"#
                try await context.redis.send("HSET", context.streams.heartbeats, "extraction-old", old)
                try await client.execute(uri: "/api/status", method: .get) { response in
                    #expect(response.status == .ok)
                    let report = try response.object()
                    #expect(report["status"] as? String == "degraded")
                    #expect((report["reasons"] as? [String] ?? []).contains { $0.contains("research has no healthy replica") })
                    let services = report["services"] as? [[String: Any]] ?? []
                    let research = try #require(services.first { $0["name"] as? String == "research" })
                    #expect(research["healthy"] as? Bool == false)
                    let stale = try #require((research["replicas"] as? [[String: Any]])?.first)
                    #expect(stale["stale"] as? Bool == true && stale["healthy"] as? Bool == false)
                    #expect((stale["heartbeat_age_seconds"] as? Double ?? 0) >= 119)
                    let extraction = try #require(services.first { $0["name"] as? String == "extraction" })
                    let replicas = extraction["replicas"] as? [[String: Any]] ?? []
                    #expect(replicas.map { $0["instance"] as? String } == ["extraction-1", "extraction-old"])
                    #expect(replicas.last?["version"] == nil || replicas.last?["version"] is NSNull)
                    #expect(replicas.last?["healthy"] as? Bool == true)
                }
            }
        }
    }

    @Test func deadLettersAskForAttention() async throws {
        try await withGateway { client, context in
            let beats = ServiceName.allCases.map { heartbeat(of: $0, instance: "\($0.rawValue)-1") }
            try await withHeartbeatPublishers(beats, context: context) {
                try await context.redis.send("XADD", StreamNames.deadLetters(of: context.streams.jobsExtracted), "*", "dead_error", "boom")
                try await client.execute(uri: "/api/status", method: .get) { response in
                    let report = try response.object()
                    #expect(report["status"] as? String == "attention")
                    #expect(report["reasons"] as? [String] == ["1 dead letter in jobs:extracted"])
                }
            }
        }
    }

    @Test func throughputCountsTheEntriesOfTheLastFifteenMinutes() async throws {
        try await withGateway { client, context in
            let now = try await redisMilliseconds(context.redis)
            let ingested = context.streams.jobsIngested
            // Entry IDs are the time an entry was added: these were added 20 min, 9.5 min and 30 s ago.
            let additions: [(offset: Int64, count: Int)] = [(-1_200_000, 1), (-570_000, 3), (-30_000, 2)]
            for (offset, count) in additions {
                for sequence in 0..<count {
                    try await context.redis.send("XADD", ingested, "\(now + offset)-\(sequence)", "type", "job.ingested")
                }
            }
            try await context.redis.send("XADD", context.streams.jobsExtracted, "\(now - 300_000)-0", "type", "job.extracted")

            func stages() async throws -> [String: [String: Any]] {
                var stages: [String: [String: Any]] = [:]
                try await client.execute(uri: "/api/status", method: .get) { response in
                    let throughput = try #require(try response.object()["throughput"] as? [String: Any])
                    #expect(throughput["window_minutes"] as? Int == 15)
                    for stage in throughput["stages"] as? [[String: Any]] ?? [] {
                        stages[stage["stream"] as? String ?? ""] = stage
                    }
                }
                return stages
            }
            let first = try await stages()
            let jobsIngested = try #require(first["jobs:ingested"])
            #expect(jobsIngested["messages"] as? Int == 5)
            #expect(jobsIngested["per_minute"] as? Double == 0.3)
            #expect(jobsIngested["complete"] as? Bool == true)
            let minutes = jobsIngested["minutes"] as? [Int] ?? []
            #expect(minutes.count == 15)
            #expect(minutes[14] == 2 && minutes[5] == 3 && minutes.reduce(0, +) == 5)
            #expect(first["jobs:extracted"]?["messages"] as? Int == 1)
            #expect(first["jobs:researched"]?["messages"] as? Int == 0)

            // The next report counts only what came since, on top of what it knew.
            try await context.redis.send("XADD", ingested, "*", "type", "job.ingested")
            try await Task.sleep(for: StatusRoutes.reportLifetime + .milliseconds(100))
            let second = try await stages()
            #expect(second["jobs:ingested"]?["messages"] as? Int == 6)
            #expect((second["jobs:ingested"]?["minutes"] as? [Int])?.last == 3)
        }
    }

    @Test func aBurstLargerThanOneReadIsCaughtUpAndFlaggedMeanwhile() async throws {
        try await withGateway { _, context in
            let meter = ThroughputMeter(inspector: StreamInspector(redis: context.redis), streams: context.streams, pageSize: 10, maximumPages: 2)
            let commands: [[any RedisArgument]] = (0..<45).map { _ in ["XADD", context.streams.cvGenerated, "*", "type", "cv.generated"] }
            _ = try await context.redis.pipeline(commands)
            let now = Date(timeIntervalSince1970: Double(try await redisMilliseconds(context.redis)) / 1000 + 1)
            var stage = try #require(try await meter.measure(now: now).stages.last)
            #expect(stage.stream == "jobs:cv-generated" && stage.messages == 20 && !stage.complete)
            stage = try #require(try await meter.measure(now: now).stages.last)
            #expect(stage.messages == 40 && !stage.complete)
            stage = try #require(try await meter.measure(now: now).stages.last)
            #expect(stage.messages == 45 && stage.complete)
        }
    }

    @Test func anUnreachableRedisIsReportedNotFailed() async throws {
        // Port 1 on loopback: nothing listens there, so every connection is refused.
        try await withGateway(environment: ["REDIS_URL": "redis://127.0.0.1:1/0"]) { client, _ in
            try await client.execute(uri: "/api/status", method: .get) { response in
                #expect(response.status == .ok)
                let report = try response.object()
                #expect(report["status"] as? String == "degraded")
                let redis = report["redis"] as? [String: Any]
                #expect(redis?["reachable"] as? Bool == false)
                #expect((redis?["error"] as? String)?.isEmpty == false)
                #expect((report["database"] as? [String: Any])?["reachable"] as? Bool == true)
                #expect((report["reasons"] as? [String])?.first?.hasPrefix("Redis is unreachable") == true)
                #expect((report["streams"] as? [Any])?.isEmpty == true)
                #expect(report["throughput"] == nil || report["throughput"] is NSNull)
                #expect((report["services"] as? [Any])?.count == ServiceName.allCases.count)
            }
        }
    }

    @Test func concurrentCallersShareOneComputation() async throws {
        let computations = Atomic<Int>(0)
        let cache = RefreshingCache(maximumAge: .seconds(60)) {
            try? await Task.sleep(for: .milliseconds(100))
            return computations.add(1, ordering: .relaxed).newValue
        }
        let values = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<50 { group.addTask { await cache.value() } }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(values == Array(repeating: 1, count: 50))
        #expect(await cache.value() == 1)
        #expect(computations.load(ordering: .relaxed) == 1)
    }

    @Test func aValueOlderThanItsAgeIsComputedAgain() async throws {
        let computations = Atomic<Int>(0)
        let cache = RefreshingCache(maximumAge: .milliseconds(20)) { computations.add(1, ordering: .relaxed).newValue }
        #expect(await cache.value() == 1)
        try await Task.sleep(for: .milliseconds(50))
        #expect(await cache.value() == 2)
    }

    // MARK: - Helpers

    static let heartbeatInterval: Duration = .seconds(10)

    static func milliseconds(_ secondsFromNow: Double) -> Int64 {
        Int64((Date().timeIntervalSince1970 + secondsFromNow) * 1000)
    }

    /// A replica's heartbeat as `ServiceRunner` makes it, started a few minutes ago.
    ///
    /// The interval is a generous 10 s (fresh for 30 s), so that a test process stalled for a few
    /// seconds on a loaded machine does not see its own replicas go stale.
    func heartbeat(
        of service: ServiceName,
        instance: String,
        lastSeen: @escaping @Sendable () -> Date = { Date() }
    ) -> @Sendable (String) -> ReplicaHeartbeat {
        let startedAt = Date().addingTimeInterval(-300)
        return { state in
            ReplicaHeartbeat(
                service: service.rawValue, instance: instance, host: "test-host", pid: 4242, startedAt: startedAt,
                lastSeen: lastSeen(), intervalMilliseconds: Self.heartbeatInterval.wholeMilliseconds, state: state, httpPort: nil, consumers: [], version: "9.8.7"
            )
        }
    }

    /// Runs a real `HeartbeatPublisher` per heartbeat while `body` runs, once every one has beaten.
    func withHeartbeatPublishers(
        _ heartbeats: [@Sendable (String) -> ReplicaHeartbeat],
        context: ServiceContext,
        _ body: () async throws -> Void
    ) async throws {
        let publishers = heartbeats.map { make in
            let publisher = HeartbeatPublisher(
                key: context.streams.heartbeats, interval: Self.heartbeatInterval, redis: context.redis, logger: Logger(label: "test"), makeHeartbeat: make
            )
            return Task { try await publisher.run() }
        }
        func stop() async {
            for publisher in publishers { publisher.cancel() }
            for publisher in publishers { _ = await publisher.result }
        }
        do {
            let deadline = ContinuousClock.now + .seconds(10)
            while try await context.redis.send("HLEN", context.streams.heartbeats).int ?? 0 < heartbeats.count {
                guard ContinuousClock.now < deadline else { throw StatusTestFailure("the heartbeats were not written") }
                try await Task.sleep(for: .milliseconds(20))
            }
            try await body()
        } catch {
            await stop()
            throw error
        }
        await stop()
    }

    func redisMilliseconds(_ redis: RedisClient) async throws -> Int64 {
        let parts = try #require(try await redis.send("TIME").array)
        return Int64(parts[0].int ?? 0) * 1000 + Int64(parts[1].int ?? 0) / 1000
    }
}

struct StatusTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
