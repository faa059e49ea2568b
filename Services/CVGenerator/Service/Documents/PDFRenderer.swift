import Dispatch
import Foundation
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Prints an HTML page to PDF with headless Chromium.
///
/// Chromium is the one dependency of PDF output and is optional: without it Markdown and HTML
/// still work, and ``unavailableReason`` says what to install so a PDF request can fail with a clear
/// message instead of a stack of process errors. Each render runs a fresh Chromium with its own
/// temporary profile, so parallel renders share nothing, and waits for it on the thread pool given,
/// because waiting for a process blocks a thread and must not hold up Swift's cooperative pool.
///
/// Chromium runs with `--no-sandbox`, which it requires as root (as the services and CI run). That is
/// acceptable because it only ever loads pages written by ``MarkdownHTMLRenderer``: every text
/// escaped, no script, and a Content-Security-Policy that forbids scripts and network loads.
///
/// ```swift
/// let renderer = PDFRenderer(threadPool: threadPool)
/// if let reason = renderer.unavailableReason { throw HTTPError(.serviceUnavailable, message: reason) }
/// let pdf = try await renderer.render(html: MarkdownHTMLRenderer.document(markdown: cv.markdown, title: name))
/// ```
public struct PDFRenderer: Sendable {
    /// The names looked up on `PATH` when no path is given, in order.
    public static let executableNames = ["chromium", "chromium-browser", "google-chrome"]

    /// The Chromium executable that will run, or nil when there is none.
    public let executable: String?
    /// Why PDFs cannot be rendered, or nil when Chromium is there.
    public let unavailableReason: String?
    private let threadPool: NIOThreadPool
    private let timeout: Duration

    /// Finds Chromium once; rendering never searches again.
    ///
    /// - Parameters:
    ///   - chromiumPath: The Chromium executable; by default the first of ``executableNames`` on `PATH`.
    ///   - threadPool: Where the blocking wait for Chromium runs.
    ///   - timeout: How long one render may take before Chromium is killed (default 60 s).
    public init(chromiumPath: String? = nil, threadPool: NIOThreadPool, timeout: Duration = .seconds(60)) {
        self.threadPool = threadPool
        self.timeout = timeout
        if let chromiumPath {
            let found = FileManager.default.isExecutableFile(atPath: chromiumPath)
            executable = found ? chromiumPath : nil
            unavailableReason =
                found
                ? nil
                : "Chromium is not installed at \(chromiumPath) (apt-get install chromium); PDF output is unavailable, Markdown and HTML still work."
        } else {
            executable = Self.findOnPath(Self.executableNames)
            unavailableReason =
                executable == nil
                ? "Chromium is not installed (apt-get install chromium): none of \(Self.executableNames.joined(separator: ", ")) is on PATH; PDF output is unavailable, Markdown and HTML still work."
                : nil
        }
    }

    /// Renders `html` to PDF.
    ///
    /// The page is written to a temporary directory and loaded from there, so relative references
    /// resolve to nothing and the page cannot read other files by accident; the directory is removed
    /// afterwards whatever happens.
    ///
    /// - Parameter html: A complete HTML page, normally from ``MarkdownHTMLRenderer/document(markdown:title:language:)``.
    /// - Returns: The PDF file's bytes (they start with `%PDF`).
    /// - Throws: ``PDFRenderError`` when Chromium is missing, fails, times out or writes no PDF.
    public func render(html: String) async throws -> [UInt8] {
        guard let executable else {
            throw PDFRenderError.chromiumMissing(unavailableReason ?? "Chromium is not installed (apt-get install chromium).")
        }
        let timeout = self.timeout
        return try await threadPool.runIfActive {
            try Self.renderBlocking(html: html, executable: executable, timeout: timeout)
        }
    }

    // MARK: Running Chromium

    private static func renderBlocking(html: String, executable: String, timeout: Duration) throws -> [UInt8] {
        let fileManager = FileManager.default
        let directory = fileManager.temporaryDirectory.appendingPathComponent("jobsmith-pdf-\(UUID().uuidString)", isDirectory: true)
        do {
            try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw PDFRenderError.io("cannot create a temporary directory: \(error)")
        }
        defer { try? fileManager.removeItem(at: directory) }

        let page = directory.appendingPathComponent("cv.html")
        let output = directory.appendingPathComponent("cv.pdf")
        let log = directory.appendingPathComponent("chromium.log")
        do {
            try Data(html.utf8).write(to: page)
            // stderr goes to a file, not a pipe: Chromium logs a lot, and a full pipe would block it.
            _ = fileManager.createFile(atPath: log.path, contents: nil)
        } catch {
            throw PDFRenderError.io("cannot write the page to \(page.path): \(error)")
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--hide-scrollbars",
            "--no-pdf-header-footer",
            "--user-data-dir=\(directory.appendingPathComponent("profile").path)",
            "--print-to-pdf=\(output.path)",
            page.absoluteString,
        ]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let logHandle: FileHandle
        do {
            logHandle = try FileHandle(forWritingTo: log)
        } catch {
            throw PDFRenderError.io("cannot open \(log.path): \(error)")
        }
        defer { try? logHandle.close() }
        process.standardError = logHandle

        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        do {
            try process.run()
        } catch {
            throw PDFRenderError.chromiumMissing("Chromium at \(executable) could not be started: \(error)")
        }

        if exited.wait(timeout: .now() + .nanoseconds(nanoseconds(timeout))) == .timedOut {
            stop(process, exited: exited)
            throw PDFRenderError.timeout(timeout, stderr: excerpt(of: log))
        }
        guard process.terminationReason == .exit else {
            throw PDFRenderError.exitStatus(process.terminationStatus, signalled: true, stderr: excerpt(of: log))
        }
        guard process.terminationStatus == 0 else {
            throw PDFRenderError.exitStatus(process.terminationStatus, signalled: false, stderr: excerpt(of: log))
        }
        guard let data = fileManager.contents(atPath: output.path), !data.isEmpty else {
            throw PDFRenderError.noPDF("Chromium exited normally but wrote no PDF", stderr: excerpt(of: log))
        }
        let bytes = [UInt8](data)
        guard bytes.starts(with: Array("%PDF".utf8)) else {
            throw PDFRenderError.noPDF("Chromium wrote a file that is not a PDF", stderr: excerpt(of: log))
        }
        return bytes
    }

    /// Asks Chromium to quit, then kills it (and its process group when it leads one) if it lingers.
    private static func stop(_ process: Process, exited: DispatchSemaphore) {
        let pid = process.processIdentifier
        process.terminate()
        if exited.wait(timeout: .now() + .seconds(2)) == .success { return }
        if getpgid(pid) == pid { kill(-pid, SIGKILL) } else { kill(pid, SIGKILL) }
        _ = exited.wait(timeout: .now() + .seconds(2))
    }

    private static func nanoseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let total = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !total.overflow, seconds >= 0 else { return seconds < 0 ? 0 : Int.max }
        return Int(total.partialValue) + Int(attoseconds / 1_000_000_000)
    }

    /// The last lines of Chromium's log that say something: its D-Bus complaints on a server are noise.
    private static func excerpt(of log: URL) -> String {
        guard let data = FileManager.default.contents(atPath: log.path) else { return "" }
        let lines = String(decoding: data, as: UTF8.self)
            .split(separator: "\n")
            .filter { !$0.contains("dbus") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        let text = lines.suffix(8).joined(separator: "\n")
        return text.count > 1_500 ? String(text.suffix(1_500)) : text
    }

    /// The first executable file called one of `names` in a directory of `PATH`.
    private static func findOnPath(_ names: [String]) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        let directories = path.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        for name in names {
            for directory in directories {
                let candidate = URL(fileURLWithPath: directory).appendingPathComponent(name).path
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }
}

/// Why a PDF could not be rendered.
///
/// A struct with a code rather than an enum, so codes can be added without breaking callers' switches;
/// ``description`` is written for the user who asked for the PDF, with Chromium's own words appended.
public struct PDFRenderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable { case chromiumMissing, exitStatus, timeout, noPDF, io }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Chromium is not installed or could not be started.
        public static let chromiumMissing = Code(.chromiumMissing)
        /// Chromium exited with a non-zero status or a signal.
        public static let exitStatus = Code(.exitStatus)
        /// Chromium took longer than the renderer's timeout and was killed.
        public static let timeout = Code(.timeout)
        /// Chromium finished but no PDF was written.
        public static let noPDF = Code(.noPDF)
        /// The temporary files could not be written.
        public static let io = Code(.io)

        public var description: String { base.rawValue }
    }

    public let code: Code
    /// What went wrong, in a sentence.
    public let message: String
    /// The last meaningful lines Chromium wrote to stderr, if any.
    public let stderr: String

    private init(code: Code, message: String, stderr: String = "") {
        self.code = code
        self.message = message
        self.stderr = stderr
    }

    public var description: String {
        stderr.isEmpty ? message : "\(message)\nChromium said:\n\(stderr)"
    }

    static func chromiumMissing(_ reason: String) -> Self {
        Self(code: .chromiumMissing, message: reason)
    }

    static func exitStatus(_ status: Int32, signalled: Bool, stderr: String) -> Self {
        let how = signalled ? "was killed by signal \(status)" : "failed with exit status \(status)"
        return Self(code: .exitStatus, message: "Chromium \(how) while printing the PDF.", stderr: stderr)
    }

    static func timeout(_ limit: Duration, stderr: String) -> Self {
        Self(code: .timeout, message: "Chromium did not finish the PDF within \(limit) and was stopped.", stderr: stderr)
    }

    static func noPDF(_ message: String, stderr: String) -> Self {
        Self(code: .noPDF, message: message + ".", stderr: stderr)
    }

    static func io(_ message: String) -> Self {
        Self(code: .io, message: "Could not prepare the PDF: \(message).")
    }
}
