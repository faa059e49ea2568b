import Foundation
import Messaging
import Runtime

/// `GET /api/status`: the whole pipeline in one answer — every service with its replicas, every
/// stream with its backlog and dead letters, the throughput of each stage, and whether Redis and
/// PostgreSQL answer.
///
/// `status` is `ok` when everything runs, `attention` when it runs but dead letters wait for someone
/// to look at them, and `degraded` when a service has no healthy replica or a store is unreachable;
/// `reasons` says why in sentences.
struct StatusReport: Codable, Sendable {
    struct Service: Codable, Sendable {
        var name: String
        /// At least one replica beat within the last three intervals.
        var healthy: Bool
        var replicas: [Replica]
    }

    struct Replica: Codable, Sendable {
        var instance: String
        var host: String
        var pid: Int32
        var state: String
        /// Beat within the last three of its intervals.
        var healthy: Bool
        /// The opposite of `healthy`, spelled out for readers that look for a stale flag.
        var stale: Bool
        /// Nil for replicas of a release that did not report one.
        var version: String?
        var startedAt: Date
        var lastSeen: Date
        var heartbeatAgeSeconds: Double
        var uptimeSeconds: Double
        var consumers: [ConsumerStatistics.Snapshot]

        enum CodingKeys: String, CodingKey {
            case instance, host, pid, state, healthy, stale, version, consumers
            case startedAt = "started_at"
            case lastSeen = "last_seen"
            case heartbeatAgeSeconds = "heartbeat_age_seconds"
            case uptimeSeconds = "uptime_seconds"
        }
    }

    /// Whether a store answered a trivial command, and how fast.
    struct StoreHealth: Codable, Sendable, Equatable {
        var reachable: Bool
        /// The round trip of the probe, in milliseconds; nil when it failed.
        var latencyMilliseconds: Double?
        /// Why the probe failed, as text.
        var error: String?

        enum CodingKeys: String, CodingKey {
            case reachable, error
            case latencyMilliseconds = "latency_ms"
        }

        static func reachable(in latency: Duration) -> StoreHealth {
            StoreHealth(reachable: true, latencyMilliseconds: (latency.seconds * 100_000).rounded() / 100, error: nil)
        }

        static func unreachable(_ error: any Error) -> StoreHealth {
            StoreHealth(reachable: false, latencyMilliseconds: nil, error: String(describing: error))
        }
    }

    /// What the collector found; a part is nil when reading it failed, and `problems` says why.
    struct Findings: Sendable {
        var redis: StoreHealth
        var database: StoreHealth
        var heartbeats: [ReplicaHeartbeat]?
        var streams: [StreamInspector.StreamStatus]?
        var throughput: ThroughputMeter.Report?
        var problems: [String] = []
    }

    var status: String
    var reasons: [String]
    var generatedAt: Date
    var services: [Service]
    var streams: [StreamInspector.StreamStatus]
    /// Nil when the streams could not be read.
    var throughput: ThroughputMeter.Report?
    var redis: StoreHealth
    var database: StoreHealth

    enum CodingKeys: String, CodingKey {
        case status, reasons, services, streams, throughput, redis, database
        case generatedAt = "generated_at"
    }

    /// Groups heartbeats by service (listing all five services even when one has no replica) and
    /// decides the overall status.
    ///
    /// - Parameter streamPrefix: Taken off stream names in `reasons`, so they read as the API names them.
    init(_ findings: Findings, streamPrefix: String, now: Date) {
        generatedAt = now
        redis = findings.redis
        database = findings.database
        streams = findings.streams ?? []
        throughput = findings.throughput
        services = ServiceName.allCases.map { name in
            let replicas = (findings.heartbeats ?? [])
                .filter { $0.service == name.rawValue }
                .sorted { $0.instance < $1.instance }
                .map { Self.replica($0, now: now) }
            return Service(name: name.rawValue, healthy: replicas.contains { $0.healthy }, replicas: replicas)
        }

        var degradations: [String] = []
        if !redis.reachable { degradations.append("Redis is unreachable: \(redis.error ?? "no answer")") }
        if !database.reachable { degradations.append("PostgreSQL is unreachable: \(database.error ?? "no answer")") }
        // Without heartbeats nothing is known about the services; the unreachable store, or the
        // problem reading them, is the reason to show.
        if findings.heartbeats != nil {
            for service in services where !service.healthy {
                degradations.append(
                    service.replicas.isEmpty
                        ? "\(service.name) has no replica"
                        : "\(service.name) has no healthy replica: every heartbeat is stale"
                )
            }
        }
        degradations += findings.problems
        let prefix = streamPrefix + ":"
        let deadLetterNotes = streams.filter { $0.deadLetters > 0 }.map { stream in
            let name = stream.stream.hasPrefix(prefix) ? String(stream.stream.dropFirst(prefix.count)) : stream.stream
            return "\(stream.deadLetters) dead letter\(stream.deadLetters == 1 ? "" : "s") in \(name)"
        }
        status = !degradations.isEmpty ? "degraded" : (deadLetterNotes.isEmpty ? "ok" : "attention")
        reasons = degradations + deadLetterNotes
    }

    private static func replica(_ beat: ReplicaHeartbeat, now: Date) -> Replica {
        let healthy = beat.isFresh(at: now)
        return Replica(
            instance: beat.instance,
            host: beat.host,
            pid: beat.pid,
            state: beat.state,
            healthy: healthy,
            stale: !healthy,
            version: beat.version,
            startedAt: beat.startedAt,
            lastSeen: beat.lastSeen,
            heartbeatAgeSeconds: tenths(now.timeIntervalSince(beat.lastSeen)),
            uptimeSeconds: tenths(now.timeIntervalSince(beat.startedAt)),
            consumers: beat.consumers
        )
    }

    private static func tenths(_ seconds: TimeInterval) -> Double {
        (max(0, seconds) * 10).rounded() / 10
    }
}
