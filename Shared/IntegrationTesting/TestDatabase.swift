import Foundation
import JobsmithTesting
import NIOPosix
import Postgres

/// A PostgreSQL database of its own for one test, created on the test server and dropped afterwards.
public struct TestDatabase: Sendable {
    public let name: String
    /// A URL that connects to this database.
    public let url: String

    /// Creates an empty database with a unique name.
    public static func create(prefix: String = "test") throws -> TestDatabase {
        let name = TestEnvironment.uniqueName(prefix)
        let admin = try PostgresConnection(configuration: PostgresConfiguration(url: TestEnvironment.databaseURL))
        defer { admin.close() }
        // Identifiers cannot be parameters; the name is generated here from [a-z0-9_] only.
        try admin.execute("CREATE DATABASE \(name)")
        return TestDatabase(name: name, url: Self.url(replacingDatabaseIn: TestEnvironment.databaseURL, with: name))
    }

    /// Drops the database, disconnecting whoever still uses it.
    public func drop() {
        guard let admin = try? PostgresConnection(configuration: PostgresConfiguration(url: TestEnvironment.databaseURL)) else { return }
        defer { admin.close() }
        try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    public var configuration: PostgresConfiguration { PostgresConfiguration(url: url) }

    static func url(replacingDatabaseIn url: String, with database: String) -> String {
        var components = URLComponents(string: url)!
        components.path = "/" + database
        return components.string!
    }
}

/// Runs `body` with a fresh database and a started thread pool, cleaning both up afterwards.
///
/// Creating and dropping the database are blocking libpq calls that take PostgreSQL a while (a drop
/// waits for a checkpoint): they run on the test's thread pool, not on the few threads that every
/// test's async code shares, so that many tests starting at once do not stall the others.
public func withTestDatabase<Result>(
    threads: Int = 4,
    _ body: (TestDatabase, NIOThreadPool) async throws -> Result
) async throws -> Result {
    let pool = NIOThreadPool(numberOfThreads: threads)
    pool.start()
    let database: TestDatabase
    do {
        database = try await pool.runIfActive { try TestDatabase.create() }
    } catch {
        try? await pool.shutdownGracefully()
        throw error
    }
    do {
        let result = try await body(database, pool)
        try? await pool.runIfActive { database.drop() }
        try await pool.shutdownGracefully()
        return result
    } catch {
        try? await pool.runIfActive { database.drop() }
        try? await pool.shutdownGracefully()
        throw error
    }
}
