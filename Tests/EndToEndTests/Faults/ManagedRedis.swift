import Foundation
import Glibc
import Redis

/// A Redis server of the fault suite's own, which it may stop and start again.
///
/// The shared test Redis serves suites running in parallel, so restarting it is not an option. This
/// one keeps an append-only file (`--appendonly yes`) in its folder, so a restart on the same port and
/// folder brings back every stream, group and pending entry, as a real deployment's Redis would.
final class ManagedRedis: @unchecked Sendable {
    // Safety of `@unchecked Sendable`: started, stopped and restarted from the test's task only.
    let port: Int
    let directory: URL
    private var server: ServiceProcess?
    private var starts = 0

    var url: String { "redis://127.0.0.1:\(port)/0" }

    init(directory: URL) throws {
        self.directory = directory
        port = try ServiceProcess.freePort()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Starts the server and waits until it answers `PING`.
    func start() async throws {
        starts += 1
        let executable = try Self.executable()
        // In the foreground (no --daemonize), so the suite owns the process and can signal it.
        let server = try ServiceProcess(
            executable: executable, name: "redis-\(starts)", port: port, environment: [:], logDirectory: directory,
            arguments: [
                "--port", String(port), "--bind", "127.0.0.1", "--dir", directory.path,
                "--appendonly", "yes", "--save", "", "--maxmemory-policy", "noeviction",
            ]
        )
        try server.start()
        self.server = server
        let deadline = ContinuousClock.now + .seconds(15)
        while !Self.answers(url: url) {
            guard server.isRunning, ContinuousClock.now < deadline else {
                throw EndToEndFailure("redis-server did not answer on port \(port):\n\(server.log.suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Stops the server with SIGTERM, which makes it flush its append-only file before it exits.
    func stop() async throws {
        guard let server else { return }
        server.send(SIGTERM)
        guard let exit = await server.waitForExit(timeout: .seconds(20)) else {
            _ = await server.terminate(timeout: .seconds(1))
            throw EndToEndFailure("redis-server did not stop within 20 s of SIGTERM")
        }
        guard exit == .status(0) else { throw EndToEndFailure("redis-server stopped with \(exit):\n\(server.log.suffix(2000))") }
        self.server = nil
    }

    /// Stops the server for good and deletes its folder; never throws, for clean-up paths.
    func shutDown() async {
        if let server { _ = await server.terminate(timeout: .seconds(10)) }
        server = nil
        try? FileManager.default.removeItem(at: directory)
    }

    private static func executable() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let folders = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        for folder in folders {
            let candidate = URL(fileURLWithPath: folder).appendingPathComponent("redis-server")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw EndToEndFailure("no redis-server on PATH")
    }

    /// Whether the server answers `PING` (a server still loading its append-only file answers an error).
    private static func answers(url: String) -> Bool {
        guard let connection = try? RedisConnection(configuration: RedisConfiguration(url: url)) else { return false }
        defer { connection.close() }
        return (try? connection.send("PING"))?.string == "PONG"
    }
}
