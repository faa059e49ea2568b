import Foundation
import Glibc

/// One of the built service binaries, running as a child process with its output in a log file.
final class ServiceProcess: @unchecked Sendable {
    // Safety of `@unchecked Sendable`: `process` is only started and signalled from the test's task.
    let name: String
    let port: Int
    let logURL: URL
    private let process = Process()

    init(executable: URL, name: String, port: Int, environment: [String: String], logDirectory: URL) throws {
        self.name = name
        self.port = port
        logURL = logDirectory.appendingPathComponent("\(name).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        process.executableURL = executable
        process.environment = environment
        process.standardOutput = log
        process.standardError = log
    }

    func start() throws { try process.run() }

    var isRunning: Bool { process.isRunning }

    /// Sends SIGTERM and waits up to `timeout` for the process to exit; returns its exit status, or nil
    /// when it had to be killed.
    func terminate(timeout: Duration = .seconds(20)) async -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        guard !process.isRunning else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }

    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    /// A loopback TCP port nobody is listening on right now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
