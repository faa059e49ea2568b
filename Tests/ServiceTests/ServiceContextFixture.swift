import IntegrationTesting
import JobsmithTesting
import Logging
import Messaging
import NIOPosix
import Postgres
import Runtime
import Store

/// Runs `body` with a ServiceContext built as a service binary builds it, on a fresh migrated
/// database, the test Redis and a stream prefix of its own; closes it afterwards.
func withServiceContext(_ service: ServiceName, _ body: (ServiceContext) async throws -> Void) async throws {
    try await withTestDatabase { database, pool in
        let environment = EnvironmentReader([
            "DATABASE_URL": database.url,
            "REDIS_URL": TestEnvironment.redisURL,
            "JOBSMITH_STREAM_PREFIX": TestEnvironment.uniqueName(service.rawValue),
            "JOBSMITH_INSTANCE": "\(service.rawValue)-test",
        ])
        let context = try ServiceContext(
            configuration: try ServiceConfiguration(service: service, environment: environment),
            logger: Logger(label: "test"),
            threadPool: pool
        )
        do {
            _ = try await context.database.withConnection { try Migrations.migrator.migrate(on: $0) }
            try await body(context)
        } catch {
            await context.close()
            throw error
        }
        await context.close()
    }
}
