import JobsmithTesting
import Logging
import Messaging
import NIOPosix
import Postgres
import Redis
import Runtime
import Store

/// Runs `body` with a ServiceContext built as a service binary builds it, on a fresh migrated
/// database, the test Redis and a stream prefix of its own; closes it afterwards.
///
/// - Parameter environment: Settings added to (or replacing) the test's database, Redis and prefix.
public func withServiceContext(
    _ service: ServiceName,
    environment extra: [String: String] = [:],
    threads: Int = 4,
    _ body: (ServiceContext) async throws -> Void
) async throws {
    try await withTestDatabase(threads: threads) { database, pool in
        let prefix = TestEnvironment.uniqueName(service.rawValue)
        var values = [
            "DATABASE_URL": database.url,
            "REDIS_URL": TestEnvironment.redisURL,
            "JOBSMITH_STREAM_PREFIX": prefix,
            "JOBSMITH_INSTANCE": "\(service.rawValue)-test",
        ]
        values.merge(extra) { _, new in new }
        let context = try ServiceContext(
            configuration: try ServiceConfiguration(service: service, environment: EnvironmentReader(values)),
            logger: Logger(label: "test"),
            threadPool: pool
        )
        do {
            _ = try await context.database.withConnection { try Migrations.migrator.migrate(on: $0) }
            try await body(context)
        } catch {
            await context.close()
            TestRedis.deleteKeys(prefix: prefix)
            throw error
        }
        await context.close()
        TestRedis.deleteKeys(prefix: prefix)
    }
}

/// The operation commands waiting on a service's commands stream, oldest first, with their entry IDs.
public func operationCommands(_ context: ServiceContext, for service: ServiceName) async throws -> [(id: String, command: OperationCommand)] {
    let reply = try await context.redis.send("XRANGE", context.streams.commands(for: service), "-", "+")
    return try (reply.array ?? []).map { entry in
        guard let id = entry.array?.first?.string, let fields = entry.array?.last?.pairs else {
            throw MessagingError.malformed("XRANGE returned \(entry)")
        }
        return (id, try Envelope(fields: fields).decode(OperationCommand.self))
    }
}
