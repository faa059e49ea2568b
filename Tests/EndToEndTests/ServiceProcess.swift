import Foundation
import Glibc

/// One of the built service binaries (or a server the tests run, such as `redis-server`), running as
/// a child process with its output in a log file.
final class ServiceProcess: @unchecked Sendable {
    // Safety of `@unchecked Sendable`: `process` is only started and signalled from the test's task.
    let name: String
    let port: Int
    let logURL: URL
    private let process = Process()

    init(executable: URL, name: String, port: Int, environment: [String: String], logDirectory: URL, arguments: [String] = []) throws {
        self.name = name
        self.port = port
        logURL = logDirectory.appendingPathComponent("\(name).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = log
        process.standardError = log
    }

    /// Starts the process with no signal blocked.
    ///
    /// A child inherits the signal mask of the thread that starts it, and the threads running Swift's
    /// concurrency block nearly every signal: a server that does not reset its mask itself, such as
    /// `redis-server`, would never see the SIGTERM a test sends it.
    func start() throws {
        var none = sigset_t()
        var previous = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        try process.run()
    }

    var isRunning: Bool { process.isRunning }

    /// The process ID, for signalling it and for matching it with what the process reports about itself.
    var pid: Int32 { process.processIdentifier }

    /// How a process ended: its exit status, or the signal that killed it.
    enum Exit: Equatable, CustomStringConvertible {
        case status(Int32)
        case signal(Int32)

        var description: String {
            switch self {
            case .status(let code): "exit status \(code)"
            case .signal(let number): "killed by signal \(number)"
            }
        }
    }

    /// Sends `signal` and returns at once; pair it with `waitForExit(timeout:)`.
    func send(_ signal: Int32) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, signal)
    }

    /// Waits up to `timeout` for the process to end by itself; nil when it is still running then.
    func waitForExit(timeout: Duration) async -> Exit? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        guard !process.isRunning else { return nil }
        return process.terminationReason == .uncaughtSignal ? .signal(process.terminationStatus) : .status(process.terminationStatus)
    }

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
