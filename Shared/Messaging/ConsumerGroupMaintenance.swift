import Foundation
import Logging
import Redis

/// The upkeep a consumer group needs besides handling messages, done by every replica now and then
/// (the commands are idempotent, so replicas doing it at once do no harm):
///
/// - **Departed consumers.** Redis keeps a consumer until it is deleted, so replicas that come and go
///   under fresh names would pile up in the group. A consumer is deleted once its replica no longer
///   beats, it has been idle past the visibility timeout, and it holds no pending entries, meaning
///   other replicas claimed its work. The last check and the delete run as one script, so an entry
///   still pending is never dropped with its consumer.
/// - **Trimming.** A stream consumed by groups is trimmed here rather than on every `XADD`, because
///   `MAXLEN` cannot tell read entries from unread ones. It keeps about `retainedLength` entries,
///   and never trims past the oldest entry that some group has pending, or has not read yet.
struct ConsumerGroupMaintenance: Sendable {
    let configuration: ConsumerConfiguration
    let redis: RedisClient
    let logger: Logger

    /// Deletes the entry's consumer when it holds nothing pending; answers 1 when deleted.
    private static let deleteIfIdle = """
        if #redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2]) > 0 then return 0 end
        redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
        return 1
        """

    /// The most entries one pass trims, so a long backlog is trimmed over several passes in small steps.
    static let trimStep = 10_000

    /// Deletes the group's consumers whose replicas are gone; returns their names.
    @discardableResult
    func removeDepartedConsumers(now: Date = Date()) async throws -> [String] {
        guard let heartbeats = configuration.heartbeats else { return [] }
        let consumers = try await redis.send("XINFO", "CONSUMERS", configuration.stream, configuration.group)
        let live = try await liveReplicas(heartbeats, now: now)
        var removed: [String] = []
        for consumer in consumers.array ?? [] {
            let fields = Dictionary(consumer.pairs ?? [], uniquingKeysWith: { first, _ in first })
            guard let name = fields["name"]?.string, name != configuration.consumer, !live.contains(name),
                  fields["pending"]?.int == 0,
                  let idle = fields["idle"]?.int, idle > configuration.visibilityTimeoutMilliseconds
            else { continue }
            let reply = try await redis.send("EVAL", Self.deleteIfIdle, 1, configuration.stream, configuration.group, name)
            if reply.int == 1 { removed.append(name) }
        }
        if !removed.isEmpty {
            logger.info("Removed consumers of departed replicas", metadata: ["stream.consumers": "\(removed.joined(separator: ","))"])
        }
        return removed
    }

    /// The instances whose heartbeat is fresh at `now`.
    private func liveReplicas(_ key: String, now: Date) async throws -> Set<String> {
        let reply = try await redis.send("HGETALL", key)
        var live: Set<String> = []
        for (instance, value) in reply.pairs ?? [] {
            guard let bytes = value.bytes, let heartbeat = try? ReplicaHeartbeat.decoder.decode(ReplicaHeartbeat.self, from: Data(bytes)) else {
                // Unreadable (written by a newer release, say): count it as alive rather than delete a live consumer.
                live.insert(instance)
                continue
            }
            if heartbeat.isFresh(at: now) { live.insert(instance) }
        }
        return live
    }

    /// Trims entries every group has finished with, beyond the newest `retainedLength`; returns how
    /// many were removed.
    @discardableResult
    func trim() async throws -> Int {
        let length = try await redis.send("XLEN", configuration.stream).int ?? 0
        let excess = length - configuration.retainedLength
        guard excess > 0, let finished = try await firstEntryNotFinished() else { return 0 }
        let oldest = try await redis.send("XRANGE", configuration.stream, "-", "+", "COUNT", min(excess, Self.trimStep))
        guard let lastOfExcess = oldest.array?.last?.array?.first?.string.flatMap(StreamPosition.init) else { return 0 }
        let cut = min(finished, lastOfExcess.successor)
        let removed = try await redis.send("XTRIM", configuration.stream, "MINID", "~", cut.description).int ?? 0
        if removed > 0 {
            logger.debug("Trimmed the stream", metadata: ["stream.trimmed": "\(removed)", "stream.minid": "\(cut)"])
        }
        return removed
    }

    /// The oldest entry some group of the stream is not finished with (pending, or not yet read):
    /// everything before it may go. Nil when the stream has no group.
    func firstEntryNotFinished() async throws -> StreamPosition? {
        let groups = try await redis.send("XINFO", "GROUPS", configuration.stream)
        var first: StreamPosition?
        for group in groups.array ?? [] {
            let fields = Dictionary(group.pairs ?? [], uniquingKeysWith: { first, _ in first })
            guard let name = fields["name"]?.string, let delivered = fields["last-delivered-id"]?.string.flatMap(StreamPosition.init) else { continue }
            var boundary = delivered.successor
            if (fields["pending"]?.int ?? 0) > 0 {
                // The summary form: [count, smallest id, greatest id, consumers].
                let summary = try await redis.send("XPENDING", configuration.stream, name)
                if let smallest = summary.array?[1].string.flatMap(StreamPosition.init) { boundary = min(boundary, smallest) }
            }
            first = first.map { min($0, boundary) } ?? boundary
        }
        return first
    }
}
