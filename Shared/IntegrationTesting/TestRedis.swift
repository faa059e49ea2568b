import JobsmithTesting
import Redis

/// The test Redis server.
public enum TestRedis {
    public static func configuration() throws -> RedisConfiguration {
        try RedisConfiguration(url: TestEnvironment.redisURL)
    }

    /// Deletes every key starting with `prefix` (a test's streams and hashes).
    public static func deleteKeys(prefix: String) {
        guard let connection = try? RedisConnection(configuration: configuration()) else { return }
        defer { connection.close() }
        var cursor = "0"
        repeat {
            guard let reply = try? connection.send("SCAN", cursor, "MATCH", "\(prefix)*", "COUNT", 1000),
                  let parts = reply.array, parts.count == 2, let next = parts[0].string else { return }
            cursor = next
            for key in parts[1].array ?? [] {
                if let name = key.bytes { _ = try? connection.send("DEL", name) }
            }
        } while cursor != "0"
    }
}
