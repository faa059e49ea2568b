import Foundation
import Logging
import Redis
import ServiceLifecycle

/// Writes this replica's heartbeat into `<prefix>:heartbeats` (field = instance name) on an interval,
/// and removes it on a graceful shutdown so the status page does not show a departed replica.
///
/// A hash, rather than a key per replica with a TTL, lets the gateway read every replica in one
/// `HGETALL`. A replica that died without removing itself shows as unhealthy until it restarts under
/// the same name, or until the gateway prunes it (`StreamInspector.pruneHeartbeats`).
public struct HeartbeatPublisher: Service {
    public let key: String
    public let interval: Duration
    private let redis: RedisClient
    private let logger: Logger
    private let makeHeartbeat: @Sendable (_ state: String) -> ReplicaHeartbeat

    public init(
        key: String,
        interval: Duration,
        redis: RedisClient,
        logger: Logger,
        makeHeartbeat: @escaping @Sendable (_ state: String) -> ReplicaHeartbeat
    ) {
        self.key = key
        self.interval = interval
        self.redis = redis
        self.logger = logger
        self.makeHeartbeat = makeHeartbeat
    }

    public func run() async throws {
        let instance = makeHeartbeat("running").instance
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await beat("running")
            try? await gracefulShutdown(orSleep: interval)
        }
        do {
            try await redis.send("HDEL", key, instance)
        } catch {
            logger.warning("Could not remove the heartbeat", metadata: ["error": "\(error)"])
        }
    }

    private func beat(_ state: String) async {
        do {
            let heartbeat = makeHeartbeat(state)
            let json = try ReplicaHeartbeat.encoder.encode(heartbeat)
            try await redis.send("HSET", key, heartbeat.instance, json)
        } catch {
            logger.warning("Writing the heartbeat failed", metadata: ["error": "\(error)"])
        }
    }
}

/// Sleeps for `duration`, returning early when a graceful shutdown begins.
func gracefulShutdown(orSleep duration: Duration) async throws {
    try await cancelWhenGracefulShutdown {
        try await Task.sleep(for: duration)
    }
}
