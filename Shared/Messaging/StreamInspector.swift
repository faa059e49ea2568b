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

    // MARK: - Entry IDs

    /// A stream entry ID: the time Redis added the entry, and its order within that millisecond.
    public typealias EntryID = StreamPosition

    /// The IDs of the entries that follow `after` in each stream, oldest first, at most `count` per
    /// stream, in one round trip.
    ///
    /// Only the IDs are kept, but Redis sends whole entries: callers bound `count` and move their
    /// cursor on, so each entry is read once.
    public func entryIDs(of ranges: [(stream: String, after: EntryID)], count: Int) async throws -> [[EntryID]] {
        let commands: [[any RedisArgument]] = ranges.map { range in
            ["XRANGE", range.stream, "(\(range.after)", "+", "COUNT", count]
        }
        let replies = try await redis.pipeline(commands)
        return try replies.map { reply in
            if case .error(let message) = reply { throw RedisError.server(message) }
            return try StreamEntry.list(reply).compactMap { EntryID($0.id) }
        }
    }

    // MARK: - Dead letters

    /// One entry of `<stream>:dead`, as `StreamConsumer` moves a failed entry there: the original
    /// entry's fields, followed by `dead_*` fields saying where it came from and why it failed.
    public struct DeadLetter: Sendable {
        /// The names of the fields `StreamConsumer` adds.
        public enum Field {
            public static let prefix = "dead_"
            public static let originalID = "dead_original_id"
            public static let group = "dead_group"
            public static let consumer = "dead_consumer"
            public static let deliveries = "dead_deliveries"
            public static let error = "dead_error"
            public static let deadAt = "dead_at"
        }

        /// Its ID in the dead-letter stream.
        public var entryID: String
        /// The ID the entry had in its own stream.
        public var originalEntryID: String?
        public var group: String?
        public var consumer: String?
        /// Deliveries before it was given up on.
        public var deliveries: Int?
        public var error: String?
        public var deadAt: Date?
        /// The envelope's `type`, `job_id` and `id`, when the original entry had them (an entry that
        /// could not be read as an envelope may lack any of them).
        public var type: String?
        public var jobID: Int?
        public var messageID: String?
        /// The original entry's fields in their order, ready to be added to its stream again.
        public var originalFields: [(name: String, value: [UInt8])]

        public init(entryID: String, fields: [(key: String, value: RedisReply)]) {
            self.entryID = entryID
            var dead: [String: String] = [:]
            var original: [(name: String, value: [UInt8])] = []
            for (key, value) in fields {
                let bytes = value.bytes ?? Array((value.string ?? "").utf8)
                if key.hasPrefix(Field.prefix) {
                    dead[key] = String(decoding: bytes, as: UTF8.self)
                } else {
                    original.append((key, bytes))
                }
            }
            func originalText(_ name: String) -> String? {
                original.first { $0.name == name }.map { String(decoding: $0.value, as: UTF8.self) }
            }
            originalEntryID = dead[Field.originalID]
            group = dead[Field.group]
            consumer = dead[Field.consumer]
            deliveries = dead[Field.deliveries].flatMap { Int($0) }
            error = dead[Field.error]
            deadAt = dead[Field.deadAt].flatMap { Double($0) }.map { Date(timeIntervalSince1970: $0 / 1000) }
            type = originalText(Envelope.Field.type)
            jobID = originalText(Envelope.Field.jobID).flatMap { Int($0) }
            messageID = originalText(Envelope.Field.id)
            originalFields = original
        }

        /// The original fields as `XADD` takes them to put the message back on its stream, with the
        /// envelope's `attempt` counted up: a retry from the dead letters is a deliberate re-send.
        public var retryFields: [[UInt8]] {
            originalFields.flatMap { field -> [[UInt8]] in
                if field.name == Envelope.Field.attempt, let attempt = Int(String(decoding: field.value, as: UTF8.self)) {
                    return [Array(field.name.utf8), Array(String(attempt + 1).utf8)]
                }
                return [Array(field.name.utf8), field.value]
            }
        }
    }

    /// Each stream's number of dead letters and its newest `limit` of them (newest first), in one
    /// round trip.
    public func deadLetters(of streams: [String], newest limit: Int) async throws -> [(count: Int, newest: [DeadLetter])] {
        var commands: [[any RedisArgument]] = []
        for stream in streams {
            let dead = StreamNames.deadLetters(of: stream)
            commands.append(["XLEN", dead])
            commands.append(["XREVRANGE", dead, "+", "-", "COUNT", limit])
        }
        let replies = try await redis.pipeline(commands)
        return try streams.indices.map { index in
            let (length, entries) = (replies[index * 2], replies[index * 2 + 1])
            for reply in [length, entries] {
                if case .error(let message) = reply { throw RedisError.server(message) }
            }
            return (length.int ?? 0, try Self.deadLetters(in: entries))
        }
    }

    /// The oldest dead letters of `stream` after `after` (from the start when nil) up to and
    /// including `through`, at most `count`.
    public func deadLetters(of stream: String, after: EntryID?, through: EntryID, count: Int) async throws -> [DeadLetter] {
        let start = after.map { "(\($0)" } ?? "-"
        let reply = try await redis.send("XRANGE", StreamNames.deadLetters(of: stream), start, through.description, "COUNT", count)
        return try Self.deadLetters(in: reply)
    }

    /// One dead letter of `stream`, or nil when there is no such entry.
    public func deadLetter(_ id: EntryID, of stream: String) async throws -> DeadLetter? {
        let reply = try await redis.send("XRANGE", StreamNames.deadLetters(of: stream), id.description, id.description)
        return try Self.deadLetters(in: reply).first
    }

    /// The newest dead letter's ID, nil when there is none.
    public func newestDeadLetterID(of stream: String) async throws -> EntryID? {
        let reply = try await redis.send("XREVRANGE", StreamNames.deadLetters(of: stream), "+", "-", "COUNT", 1)
        return try StreamEntry.list(reply).first.flatMap { EntryID($0.id) }
    }

    private static func deadLetters(in reply: RedisReply) throws -> [DeadLetter] {
        try StreamEntry.list(reply).map { DeadLetter(entryID: $0.id, fields: $0.fields ?? []) }
    }
}
