import Foundation
import IntegrationTesting
import NIOPosix
import Postgres
import Store
import Testing

@Suite struct MigratorTests {
    @Test func severalReplicasMigratingAtOnceApplyEachMigrationOnce() async throws {
        try await withTestDatabase(threads: 4) { database, threads in
            let results = try await withThrowingTaskGroup(of: [Int].self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await threads.runIfActive {
                            let connection = try PostgresConnection(configuration: database.configuration)
                            defer { connection.close() }
                            return try Migrations.migrator.migrate(on: connection)
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let expected = Migrations.all.map(\.version)
            #expect(results.filter { !$0.isEmpty } == [expected])
            let connection = try PostgresConnection(configuration: database.configuration)
            let versions = try connection.query("SELECT version FROM schema_migrations ORDER BY version").map { try $0.decode("version", as: Int.self) }
            #expect(versions == expected)
        }
    }

    @Test func aFailingMigrationRollsBackAndAChangedOneIsRefused() async throws {
        try await withTestDatabase { database, _ in
            let connection = try PostgresConnection(configuration: database.configuration)
            let first = Migration(version: 1, name: "table", sql: "CREATE TABLE a (x int)")
            let broken = Migration(version: 2, name: "broken", sql: "CREATE TABLE b (y int); SELECT no_such_function()")
            #expect(throws: PostgresError.self) { try Migrator(migrations: [first, broken]).migrate(on: connection) }
            let tables = try connection.query("SELECT to_regclass('b') IS NULL AS missing").first!.decode("missing", as: Bool.self)
            #expect(tables)
            let edited = Migration(version: 1, name: "table", sql: "CREATE TABLE a (x bigint)")
            let error = #expect(throws: PostgresError.self) { try Migrator(migrations: [edited]).migrate(on: connection) }
            #expect(error?.kind == .migration)
        }
    }
}
