import Foundation
import Messaging

/// `GET /api/status`: every service with its live replicas, and every stream with its backlog.
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
        var healthy: Bool
        var startedAt: Date
        var lastSeen: Date
        var secondsSinceLastSeen: Double
        var consumers: [ConsumerStatistics.Snapshot]

        enum CodingKeys: String, CodingKey {
            case instance, host, pid, state, healthy, consumers
            case startedAt = "started_at"
            case lastSeen = "last_seen"
            case secondsSinceLastSeen = "seconds_since_last_seen"
        }
    }

    var status: String
    var generatedAt: Date
    var services: [Service]
    var streams: [StreamInspector.StreamStatus]

    enum CodingKeys: String, CodingKey {
        case status, services, streams
        case generatedAt = "generated_at"
    }

    /// Groups heartbeats by service, listing all five services even when one has no replica.
    init(heartbeats: [ReplicaHeartbeat], streams: [StreamInspector.StreamStatus], now: Date) {
        self.generatedAt = now
        self.streams = streams
        self.services = ServiceName.allCases.map { name in
            let replicas = heartbeats
                .filter { $0.service == name.rawValue }
                .sorted { $0.instance < $1.instance }
                .map { beat in
                    Replica(
                        instance: beat.instance,
                        host: beat.host,
                        pid: beat.pid,
                        state: beat.state,
                        healthy: beat.isFresh(at: now),
                        startedAt: beat.startedAt,
                        lastSeen: beat.lastSeen,
                        secondsSinceLastSeen: (now.timeIntervalSince(beat.lastSeen) * 10).rounded() / 10,
                        consumers: beat.consumers
                    )
                }
            return Service(name: name.rawValue, healthy: replicas.contains { $0.healthy }, replicas: replicas)
        }
        let allHealthy = services.allSatisfy(\.healthy)
        let anyDead = streams.contains { $0.deadLetters > 0 }
        status = allHealthy ? (anyDead ? "attention" : "ok") : "degraded"
    }
}
