import Foundation
import Redis

/// Reads the live state of the pipeline's streams and replicas from Redis, for status pages.
public struct StreamInspector: Sendable {
    public struct StreamStatus: Codable, Sendable, Equatable {
        public var stream: String
        public var group: String
        /// Entries in the stream (`XLEN`); trimmed entries are gone from this count.
        public var length: Int
        /// Entries not yet delivered to the group; nil when Redis cannot tell (after trimming).
        public var lag: Int?
        /// Delivered but not yet acknowledged.
        public var pending: Int
        public var consumers: Int
        /// Entries in `<stream>:dead`.
        public var deadLetters: Int

        enum CodingKeys: String, CodingKey {
            case stream, group, length, lag, pending, consumers
            case deadLetters = "dead_letters"
        }
    }

    private let redis: RedisClient

    public init(redis: RedisClient) {
        self.redis = redis
    }

    /// The state of each subscription, in one round trip.
    public func status(of subscriptions: [StreamNames.Subscription]) async throws -> [StreamStatus] {
        var commands: [[any RedisArgument]] = []
        for subscription in subscriptions {
            commands.append(["XLEN", subscription.stream])
            commands.append(["XINFO", "GROUPS", subscription.stream])
            commands.append(["XLEN", StreamNames.deadLetters(of: subscription.stream)])
        }
        let replies = try await redis.pipeline(commands)
        return subscriptions.enumerated().map { index, subscription in
            let length = replies[index * 3].int ?? 0
            // A stream that does not exist yet answers XINFO with an error: no group, nothing pending.
            let groups = replies[index * 3 + 1].array ?? []
            let group = groups.compactMap(\.pairs).first { pairs in
                pairs.first { $0.key == "name" }?.value.string == subscription.group
            }
            func value(_ name: String) -> RedisReply? { group?.first { $0.key == name }?.value }
            return StreamStatus(
                stream: subscription.stream,
                group: subscription.group,
                length: length,
                lag: group == nil ? length : value("lag")?.int,
                pending: value("pending")?.int ?? 0,
                consumers: value("consumers")?.int ?? 0,
                deadLetters: replies[index * 3 + 2].int ?? 0
            )
        }
    }

    /// Removes heartbeats of replicas gone silent for longer than `age` (ones that died without a
    /// graceful shutdown, or containers replaced under a new name), and returns the rest.
    public func pruneHeartbeats(key: String, olderThan age: Duration, now: Date = Date()) async throws -> [ReplicaHeartbeat] {
        let all = try await heartbeats(key: key)
        let limit = Double(age.components.seconds)
        let (stale, live) = (all.filter { now.timeIntervalSince($0.lastSeen) > limit }, all.filter { now.timeIntervalSince($0.lastSeen) <= limit })
        if !stale.isEmpty {
            try await redis.withConnection { [instances = stale.map(\.instance)] connection in
                _ = try connection.send(arguments: [Array("HDEL".utf8), Array(key.utf8)] + instances.map { Array($0.utf8) })
            }
        }
        return live
    }

    /// Every replica's latest heartbeat.
    public func heartbeats(key: String) async throws -> [ReplicaHeartbeat] {
        let reply = try await redis.send("HGETALL", key)
        return (reply.pairs ?? []).compactMap { pair in
            guard let bytes = pair.value.bytes else { return nil }
            return try? ReplicaHeartbeat.decoder.decode(ReplicaHeartbeat.self, from: Data(bytes))
        }
    }
}
