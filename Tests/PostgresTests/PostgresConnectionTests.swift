import Foundation
import IntegrationTesting
import NIOPosix
import Postgres
import Testing

@Suite struct PostgresConnectionTests {
    @Test func decodesTypedValuesAndNull() async throws {
        try await withTestDatabase { database, _ in
            let connection = try PostgresConnection(configuration: database.configuration)
            let row = try #require(try connection.query(
                """
                SELECT 'héllo'::text AS text, 42::int4 AS small, 9007199254740993::int8 AS big, true AS yes,
                       '2025-08-28 16:27:31.862+02'::timestamptz AS at, '{"a":[1,2]}'::jsonb AS doc,
                       ARRAY['x', 'y,z', NULL, 'q"uote'] AS words, ARRAY[1,2,3] AS numbers, NULL::text AS nothing,
                       1.5::float8 AS ratio
                """
            ).first)
            #expect(try row.decode("text", as: String.self) == "héllo")
            #expect(try row.decode("small", as: Int.self) == 42)
            #expect(try row.decode("big", as: Int64.self) == 9_007_199_254_740_993)
            #expect(try row.decode("yes", as: Bool.self))
            let at = try row.decode("at", as: Date.self)
            #expect(abs(at.timeIntervalSince1970 - 1_756_391_251.862) < 0.001)
            let doc = try row.decode("doc", as: PostgresJSONValue.self).decode([String: [Int]].self)
            #expect(doc == ["a": [1, 2]])
            #expect(try row.decode("words", as: [String?].self) == ["x", "y,z", nil, "q\"uote"])
            #expect(try row.decode("numbers", as: [Int].self) == [1, 2, 3])
            #expect(try row.decode("nothing", as: String?.self) == nil)
            #expect(throws: PostgresError.self) { try row.decode("nothing", as: String.self) }
            #expect(throws: PostgresError.self) { try row.decode("text", as: Int.self) }
            #expect(try row.decode("ratio", as: Double.self) == 1.5)
        }
    }

    @Test func parametersNeverBecomeSQL() async throws {
        try await withTestDatabase { database, _ in
            let connection = try PostgresConnection(configuration: database.configuration)
            try connection.execute("CREATE TABLE notes (id serial PRIMARY KEY, body text, tags text[], at timestamptz, doc jsonb)")
            let hostile = "'); DROP TABLE notes; --"
            let now = Date(timeIntervalSince1970: 1_700_000_000.25)
            try connection.query(
                "INSERT INTO notes (body, tags, at, doc) VALUES ($1, $2::text[], $3, $4::jsonb)",
                [hostile, ["a b", "c\"d", "e\\f"], now, try PostgresJSON(["k": "v"])]
            )
            let row = try #require(try connection.query("SELECT body, tags, at, doc->>'k' AS k FROM notes").first)
            #expect(try row.decode("body", as: String.self) == hostile)
            #expect(try row.decode("tags", as: [String].self) == ["a b", "c\"d", "e\\f"])
            #expect(try row.decode("at", as: Date.self) == now)
            #expect(try row.decode("k", as: String.self) == "v")
            let nulls = try connection.query("SELECT $1::text IS NULL AS missing", [nil])
            #expect(try nulls.first?.decode("missing", as: Bool.self) == true)
        }
    }

    @Test func serverErrorsCarrySQLState() async throws {
        try await withTestDatabase { database, _ in
            let connection = try PostgresConnection(configuration: database.configuration)
            try connection.execute("CREATE TABLE people (email text UNIQUE)")
            try connection.query("INSERT INTO people VALUES ($1)", ["a@example.com"])
            let duplicate = #expect(throws: PostgresError.self) {
                try connection.query("INSERT INTO people VALUES ($1)", ["a@example.com"])
            }
            #expect(duplicate?.sqlState == "23505")
            #expect(duplicate?.isUniqueViolation == true)
            #expect(duplicate?.detail?.contains("a@example.com") == true)
            let syntax = #expect(throws: PostgresError.self) { try connection.query("SELEC 1") }
            #expect(syntax?.sqlState == "42601")
            #expect(connection.isReusable)
        }
    }

    @Test func transactionsCommitOrRollBack() async throws {
        try await withTestDatabase { database, _ in
            let connection = try PostgresConnection(configuration: database.configuration)
            try connection.execute("CREATE TABLE items (name text)")
            _ = try connection.transaction { try $0.query("INSERT INTO items VALUES ($1)", ["kept"]) }
            struct Abort: Error {}
            #expect(throws: Abort.self) {
                try connection.transaction { connection in
                    try connection.query("INSERT INTO items VALUES ($1)", ["discarded"])
                    throw Abort()
                }
            }
            let names = try connection.query("SELECT name FROM items").map { try $0.decode("name", as: String.self) }
            #expect(names == ["kept"])
            #expect(connection.isReusable)
        }
    }

    @Test func badCredentialsOrAddressesFailWithoutLeakingThePassword() {
        let error = #expect(throws: PostgresError.self) {
            try PostgresConnection(configuration: PostgresConfiguration(url: "postgresql://someone:hunter2@127.0.0.1:1/none", connectTimeoutSeconds: 2))
        }
        #expect(error?.kind == .connection)
        #expect(error?.description.contains("hunter2") == false)
    }

    @Test func thePoolBoundsConnectionsAndRunsBlockingCallsOnItsThreads() async throws {
        try await withTestDatabase(threads: 4) { database, threads in
            let client = PostgresClient(configuration: database.configuration, maximumConnections: 3, threadPool: threads)
            let start = ContinuousClock.now
            let runs = try await withThrowingTaskGroup(of: (thread: String, backend: Int).self) { group in
                for _ in 0..<9 {
                    group.addTask {
                        try await client.withConnection { connection in
                            let backend = try connection.query("SELECT pg_backend_pid() AS pid, pg_sleep(0.1)").first!.decode("pid", as: Int.self)
                            return (currentThreadName(), backend)
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // Every blocking call ran on the service's pool ("TP-#n"), never on the cooperative pool.
            #expect(runs.allSatisfy { $0.thread.hasPrefix("TP-#") })
            // Nine sleeps over at most three connections: at least three rounds.
            #expect(Set(runs.map(\.backend)).count <= 3)
            #expect(ContinuousClock.now - start >= .milliseconds(300))
            #expect(client.openConnections <= 3)
            await client.shutDown()
        }
    }

    @Test func aBrokenPooledConnectionIsReplaced() async throws {
        try await withTestDatabase(threads: 2) { database, threads in
            let client = PostgresClient(configuration: database.configuration, maximumConnections: 1, threadPool: threads)
            let pid = try await client.query("SELECT pg_backend_pid() AS pid").first!.decode("pid", as: Int.self)
            let admin = try PostgresConnection(configuration: database.configuration)
            try admin.query("SELECT pg_terminate_backend($1)", [pid])
            await #expect(throws: PostgresError.self) { try await client.query("SELECT 1") }
            let next = try await client.query("SELECT pg_backend_pid() AS pid").first!.decode("pid", as: Int.self)
            #expect(next != pid)
            await client.shutDown()
        }
    }
}

/// The name of the calling thread, as the thread pool set it (Linux keeps it in /proc/thread-self/comm).
func currentThreadName() -> String {
    let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
    return name.trimmingCharacters(in: .whitespacesAndNewlines)
}
