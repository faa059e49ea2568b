import Foundation
import Glibc
import Postgres

/// A PostgreSQL cluster of the fault suite's own (`initdb` into a temporary folder, a free port), which
/// it may restart while the services use it.
///
/// The server runs in the foreground as the suite's child, like `ManagedRedis`, so the suite signals
/// it directly: SIGINT is PostgreSQL's fast shutdown. (`pg_ctl start` would leave a daemon holding the
/// descriptor through which `Process` notices its child's exit, so `pg_ctl` would never seem to end.)
/// PostgreSQL refuses to run as root; as root, its programs run as the `postgres` user through
/// `setpriv`, which switches user and then executes the program itself, so signals reach the server.
final class ManagedPostgres: @unchecked Sendable {
    // Safety of `@unchecked Sendable`: started, stopped and restarted from the test's task only.
    let port: Int
    let directory: URL
    private let binaries: URL
    private var server: ServiceProcess?
    private var starts = 0

    private var data: URL { directory.appendingPathComponent("data") }

    /// A URL for `database` on this server.
    func url(database: String) -> String { "postgresql://postgres@127.0.0.1:\(port)/\(database)" }

    /// Creates the cluster in `directory` and starts it.
    static func start(in directory: URL) async throws -> ManagedPostgres {
        let server = ManagedPostgres(directory: directory, port: try ServiceProcess.freePort(), binaries: try binaryFolder())
        try await server.initialize()
        try await server.start()
        return server
    }

    private init(directory: URL, port: Int, binaries: URL) {
        self.directory = directory
        self.port = port
        self.binaries = binaries
    }

    private func initialize() async throws {
        // The postgres user must be able to enter the folder and own the data folder inside it.
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        if Self.isRoot {
            try FileManager.default.setAttributes([.ownerAccountName: "postgres", .groupOwnerAccountName: "postgres"], ofItemAtPath: data.path)
        }
        let initdb = try launch("initdb", ["-D", data.path, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], log: "initdb")
        let exit = await initdb.waitForExit(timeout: .seconds(120))
        guard exit == .status(0) else { throw EndToEndFailure("initdb failed (\(exit.map(\.description) ?? "still running")):\n\(initdb.log.suffix(2000))") }
    }

    /// Starts the server and waits until it accepts connections.
    func start() async throws {
        starts += 1
        // Durability is not what is tested here: PostgreSQL's own crash safety is not in question, only
        // whether the services survive its restart. fsync off keeps a 1,000-job batch quick.
        let settings = [
            "listen_addresses=127.0.0.1", "unix_socket_directories=", "max_connections=300",
            "fsync=off", "synchronous_commit=off", "full_page_writes=off",
        ]
        let server = try launch("postgres", ["-D", data.path, "-p", String(port)] + settings.flatMap { ["-c", $0] }, log: "postgres-\(starts)")
        self.server = server
        let deadline = ContinuousClock.now + .seconds(30)
        while !accepts() {
            guard server.isRunning, ContinuousClock.now < deadline else {
                throw EndToEndFailure("PostgreSQL did not accept connections on port \(port):\n\(server.log.suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Fast shutdown (SIGINT): open transactions are rolled back and every client is disconnected, as
    /// when an operator restarts the database.
    func stop() async throws {
        guard let server else { return }
        server.send(SIGINT)
        let exit = await server.waitForExit(timeout: .seconds(30))
        guard exit == .status(0) else {
            throw EndToEndFailure("PostgreSQL did not stop cleanly (\(exit.map(\.description) ?? "still running")):\n\(server.log.suffix(2000))")
        }
        self.server = nil
    }

    /// Creates an empty database.
    func createDatabase(_ name: String) throws {
        let admin = try PostgresConnection(configuration: PostgresConfiguration(url: url(database: "postgres")))
        defer { admin.close() }
        try admin.execute("CREATE DATABASE \(name)")
    }

    /// Stops the server at once and deletes its folder; never throws, for clean-up paths.
    func shutDown() async {
        if let server {
            // SIGQUIT is PostgreSQL's immediate shutdown: nothing here needs to survive.
            server.send(SIGQUIT)
            if await server.waitForExit(timeout: .seconds(10)) == nil { _ = await server.terminate(timeout: .seconds(1)) }
        }
        server = nil
        try? FileManager.default.removeItem(at: directory)
    }

    private func accepts() -> Bool {
        guard let connection = try? PostgresConnection(configuration: PostgresConfiguration(url: url(database: "postgres"))) else { return false }
        defer { connection.close() }
        return (try? connection.query("SELECT 1")) != nil
    }

    // MARK: - Running the server's programs

    private static var isRoot: Bool { getuid() == 0 }

    /// Starts one of PostgreSQL's programs, as the postgres user when we are root.
    private func launch(_ program: String, _ arguments: [String], log: String) throws -> ServiceProcess {
        let path = binaries.appendingPathComponent(program).path
        let (executable, all) = Self.isRoot
            ? ("/usr/bin/setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", path] + arguments)
            : (path, arguments)
        let process = try ServiceProcess(
            executable: URL(fileURLWithPath: executable), name: log, port: port,
            environment: ProcessInfo.processInfo.environment, logDirectory: directory, arguments: all
        )
        try process.start()
        return process
    }

    /// The folder holding `initdb` and `postgres`: PostgreSQL 15 when installed, else the newest.
    private static func binaryFolder() throws -> URL {
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [])
            .compactMap { Int($0) }.sorted { ($0 == 15 ? Int.max : $0) > ($1 == 15 ? Int.max : $1) }
        for version in versions {
            let folder = root.appendingPathComponent("\(version)/bin")
            if FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("initdb").path) { return folder }
        }
        throw EndToEndFailure("no PostgreSQL server binaries under /usr/lib/postgresql")
    }
}
