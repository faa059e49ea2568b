import Foundation
import Logging
import Messaging
import Redis

/// Makes sure no live replica already runs under this replica's name.
///
/// Two replicas sharing a consumer name would each re-read the other's pending entries as their own
/// and handle them twice at once. A replica restarting under its configured name, though, finds its
/// predecessor's last heartbeat still fresh for a few seconds; so a fresh heartbeat from another
/// process is watched: if it stops advancing, the predecessor is gone and the name is free once the
/// heartbeat goes stale; if it advances, the name is taken and the start fails with a clear reason.
enum ReplicaIdentity {
    static func claim(_ instance: String, context: ServiceContext) async throws {
        let host = ProcessInfo.processInfo.hostName
        let pid = ProcessInfo.processInfo.processIdentifier
        var firstSeen: Date?
        var attempt = 0
        while true {
            let holder: ReplicaHeartbeat?
            do {
                holder = try await heartbeat(of: instance, context: context)
            } catch let error as RedisError where error.kind == .connection && attempt < 30 {
                attempt += 1
                context.logger.notice("Redis is not reachable yet; retrying", metadata: ["error": "\(error)"])
                try await Task.sleep(for: .seconds(1))
                continue
            }
            guard let holder, holder.host != host || holder.pid != pid, holder.isFresh(at: Date()) else { return }
            if let firstSeen, holder.lastSeen > firstSeen {
                throw ConfigurationError(
                    variable: "JOBSMITH_INSTANCE",
                    problem: "'\(instance)' is the name of a running replica (pid \(holder.pid) on \(holder.host)); give each replica its own name, or leave it unset"
                )
            }
            if firstSeen == nil {
                context.logger.notice("Waiting for the previous replica of this name to go stale", metadata: ["previous.pid": "\(holder.pid)", "previous.host": "\(holder.host)"])
            }
            firstSeen = firstSeen ?? holder.lastSeen
            try await Task.sleep(for: .milliseconds(max(holder.intervalMilliseconds, 100)))
        }
    }

    private static func heartbeat(of instance: String, context: ServiceContext) async throws -> ReplicaHeartbeat? {
        guard let bytes = try await context.redis.send("HGET", context.streams.heartbeats, instance).bytes else { return nil }
        return try? ReplicaHeartbeat.decoder.decode(ReplicaHeartbeat.self, from: Data(bytes))
    }
}
