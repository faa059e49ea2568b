import JobsmithTesting
import Logging
import Messaging
import NIOPosix
import Postgres
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
