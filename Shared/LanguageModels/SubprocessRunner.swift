import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a program to completion with a deadline, collecting its output without deadlocks.
///
/// Blocking from start to finish, so it runs only on a thread-pool thread (see
/// ``ClaudeCLIProvider``). Why it is built this way:
/// - stdout and stderr are drained together in one `poll(2)` loop: reading one pipe to its end while
///   the child blocks writing more than a pipe buffer (64 KiB) to the other would deadlock.
/// - `Process` starts the child in its own process group, so on timeout or cancellation the whole
///   group is killed — a CLI's own children (a shell's `sleep`, node workers) too, which would
///   otherwise keep the pipes open and the reads blocked.
/// - Input goes through an already-unlinked temporary file rather than a pipe: no writer to keep
///   fed, and no `SIGPIPE` if the child never reads it.
/// - Output past a limit is read and dropped, so a runaway child cannot exhaust memory.
enum SubprocessRunner {
    struct Output: Sendable {
        /// The exit status, or the signal number when ``wasSignalled``.
        var status: Int32
        var wasSignalled: Bool
        var standardOutput: [UInt8]
        var standardError: [UInt8]
    }

    enum Outcome: Sendable {
        case finished(Output)
        case timedOut
    }

    enum Failure: Error {
        case couldNotStart(String)
    }

    /// Polling slice: how quickly cancellation is noticed while the child is silent.
    private static let pollMilliseconds: Int32 = 50

    static func run(
        executable: String,
        arguments: [String],
        standardInput: [UInt8]?,
        environment: [String: String]?,
        workingDirectory: String?,
        timeout: Duration,
        outputLimit: Int,
        cancellation: ProcessCancellation
    ) throws -> Outcome {
        let inputFile = try standardInput.map(unlinkedTemporaryFile(containing:))
        defer { try? inputFile?.close() }
        let (process, outputPipe, errorPipe) = try start {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            if let environment { process.environment = environment }
            if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
            let outputPipe = Pipe()
            let errorPipe = Pipe()
            process.standardOutput = outputPipe
            process.standardError = errorPipe
            process.standardInput = inputFile ?? FileHandle.nullDevice
            return (process, outputPipe, errorPipe)
        }
        let deadline = ContinuousClock.now + timeout
        let streams = drain(
            outputPipe.fileHandleForReading.fileDescriptor,
            errorPipe.fileHandleForReading.fileDescriptor,
            limit: outputLimit,
            deadline: deadline,
            cancellation: cancellation
        )
        if streams.stop == .running {
            // Both pipes closed; the child is exiting (or lingers without its output).
            while process.isRunning {
                if cancellation.isCancelled {
                    killGroup(of: process)
                    waitForExit(process)
                    throw CancellationError()
                }
                if ContinuousClock.now >= deadline {
                    killGroup(of: process)
                    waitForExit(process)
                    return .timedOut
                }
                usleep(2_000)
            }
        } else {
            killGroup(of: process)
            waitForExit(process)
            if streams.stop == .cancelled { throw CancellationError() }
            return .timedOut
        }
        return .finished(
            Output(
                status: process.terminationStatus,
                wasSignalled: process.terminationReason == .uncaughtSignal,
                standardOutput: streams.output,
                standardError: streams.error
            )
        )
    }

    // MARK: Reading

    private enum Stop { case running, timedOut, cancelled }

    /// Reads both descriptors until both reach end of file, the deadline passes or cancellation.
    private static func drain(
        _ outputDescriptor: Int32,
        _ errorDescriptor: Int32,
        limit: Int,
        deadline: ContinuousClock.Instant,
        cancellation: ProcessCancellation
    ) -> (output: [UInt8], error: [UInt8], stop: Stop) {
        var descriptors = [
            pollfd(fd: outputDescriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: errorDescriptor, events: Int16(POLLIN), revents: 0),
        ]
        var collected: [[UInt8]] = [[], []]
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)

        while descriptors.contains(where: { $0.fd >= 0 }) {
            if cancellation.isCancelled { return (collected[0], collected[1], .cancelled) }
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return (collected[0], collected[1], .timedOut) }
            let (seconds, attoseconds) = remaining.components
            let remainingMilliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1
            let sliceMilliseconds = min(pollMilliseconds, Int32(clamping: remainingMilliseconds))
            let ready = poll(&descriptors, nfds_t(descriptors.count), sliceMilliseconds)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            for index in descriptors.indices where descriptors[index].fd >= 0 && descriptors[index].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(descriptors[index].fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    let room = max(0, limit - collected[index].count)
                    collected[index].append(contentsOf: buffer[0..<min(count, room)])
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    // End of file (or a broken descriptor): a negative fd makes poll skip the entry.
                    descriptors[index].fd = -1
                }
            }
        }
        return (collected[0], collected[1], .running)
    }

    // MARK: Process control

    /// Starts a process from `makeProcess`, retrying briefly (with a fresh `Process`, as one that
    /// failed to launch is not reusable) while the executable is "busy".
    ///
    /// `ETXTBSY` means some process still has the file open for writing: typically the executable was
    /// just written (an update, or a test's script) and a child forked by another thread inherited
    /// the descriptor for the moment before its own `exec`. It clears within milliseconds.
    private static func start(
        _ makeProcess: () -> (Process, Pipe, Pipe)
    ) throws -> (process: Process, output: Pipe, error: Pipe) {
        var attempt = 0
        while true {
            let launch = makeProcess()
            do {
                try launch.0.run()
                return launch
            } catch {
                let code = posixCode(of: error)
                if code == ETXTBSY, attempt < 50 {
                    attempt += 1
                    usleep(10_000)
                    continue
                }
                throw Failure.couldNotStart(code.map { String(cString: strerror($0)) } ?? error.localizedDescription)
            }
        }
    }

    /// The `errno` behind a Foundation error, when there is one.
    private static func posixCode(of error: any Error) -> Int32? {
        let error = error as NSError
        if error.domain == NSPOSIXErrorDomain { return Int32(error.code) }
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return Int32(underlying.code)
        }
        return nil
    }

    /// SIGKILL to the child's process group (its own, as `Process` spawns it), and to the child itself
    /// in case a platform's `Process` did not give it a group.
    private static func killGroup(of process: Process) {
        guard process.isRunning else { return }
        let pid = process.processIdentifier
        guard pid > 0 else { return }
        kill(-pid, SIGKILL)
        kill(pid, SIGKILL)
    }

    /// Waits (briefly: the child was just killed) for `Process` to reap the child.
    private static func waitForExit(_ process: Process) {
        let limit = ContinuousClock.now + .seconds(5)
        while process.isRunning && ContinuousClock.now < limit {
            usleep(2_000)
        }
    }

    /// A file holding `bytes`, opened for reading and already removed from the directory, so nothing
    /// is left behind whatever happens next. Readable by the owner only: prompts hold personal data.
    private static func unlinkedTemporaryFile(containing bytes: [UInt8]) throws -> FileHandle {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("jobsmith-llm-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
            throw Failure.couldNotStart("could not write the prompt to a temporary file")
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw Failure.couldNotStart("could not open the prompt's temporary file")
        }
        return handle
    }
}

/// Set when the task awaiting a subprocess is cancelled; read by the loop on the pool thread, where
/// task cancellation is invisible.
final class ProcessCancellation: Sendable {
    private let cancelled = Atomic<Bool>(false)

    var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    func cancel() { cancelled.store(true, ordering: .relaxed) }
}
