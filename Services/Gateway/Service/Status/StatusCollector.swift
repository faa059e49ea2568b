import Foundation
import Messaging
import Postgres
import Redis
import Runtime

/// Gathers what `GET /api/status` reports: probes Redis and PostgreSQL, then reads the heartbeats,
/// the streams and the throughput from Redis.
///
/// Nothing here throws: a part that cannot be read is reported as such, so the endpoint still answers
/// (with `degraded`) when a store is down — which is when people look at it.
struct StatusCollector: Sendable {
    /// A replica silent for this long is gone for good (it died without a graceful shutdown, or its
    /// container was replaced under a new name): its heartbeat is removed rather than shown forever.
    static let forgetReplicasAfter: Duration = .seconds(600)

    private let redis: RedisClient
    private let database: PostgresClient
    private let streams: StreamNames
    private let inspector: StreamInspector
    private let throughput: ThroughputMeter

    init(context: ServiceContext) {
        self.redis = context.redis
        self.database = context.database
        self.streams = context.streams
        self.inspector = StreamInspector(redis: context.redis)
        self.throughput = ThroughputMeter(inspector: inspector, streams: context.streams)
    }

    func collect() async -> StatusReport {
        async let redisProbe = probeRedis()
        async let databaseHealth = probeDatabase()
        let (redisHealth, redisTime) = await redisProbe
        var findings = StatusReport.Findings(redis: redisHealth, database: await databaseHealth)
        // Every other part comes from Redis: when it did not answer a ping, asking again only waits
        // for more timeouts.
        if redisHealth.reachable {
            async let heartbeats = outcome { try await inspector.pruneHeartbeats(key: streams.heartbeats, olderThan: Self.forgetReplicasAfter) }
            async let streamStatus = outcome { try await inspector.status(of: streams.subscriptions) }
            async let throughputReport = outcome { try await throughput.measure(now: redisTime ?? Date()) }
            findings.heartbeats = read(await heartbeats, "heartbeats", into: &findings.problems)
            findings.streams = read(await streamStatus, "streams", into: &findings.problems)
            findings.throughput = read(await throughputReport, "throughput", into: &findings.problems)
        }
        return StatusReport(findings, streamPrefix: streams.prefix, now: Date())
    }

    private func read<Value>(_ result: Result<Value, any Error>, _ part: String, into problems: inout [String]) -> Value? {
        switch result {
        case .success(let value):
            return value
        case .failure(let error):
            problems.append("reading the \(part) from Redis failed: \(error)")
            return nil
        }
    }

    /// Asks Redis for its clock: the round trip is the latency, and the answer is the time that
    /// stamps stream entry IDs, which the throughput windows are measured against.
    private func probeRedis() async -> (StatusReport.StoreHealth, Date?) {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let reply = try await redis.send("TIME")
            let latency = clock.now - start
            var time: Date?
            if let parts = reply.array, parts.count == 2, let seconds = parts[0].int, let microseconds = parts[1].int {
                time = Date(timeIntervalSince1970: Double(seconds) + Double(microseconds) / 1_000_000)
            }
            return (.reachable(in: latency), time)
        } catch {
            return (.unreachable(error), nil)
        }
    }

    private func probeDatabase() async -> StatusReport.StoreHealth {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            try await database.query("SELECT 1")
            return .reachable(in: clock.now - start)
        } catch {
            return .unreachable(error)
        }
    }
}

/// The outcome of an async throwing call, for collecting several without stopping at the first failure.
private func outcome<Value: Sendable>(_ body: @Sendable () async throws -> Value) async -> Result<Value, any Error> {
    do {
        return .success(try await body())
    } catch {
        return .failure(error)
    }
}
