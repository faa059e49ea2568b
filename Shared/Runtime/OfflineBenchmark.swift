import Foundation

/// The `<service> bench …` mode some executables have: measure the service's engine on files, with
/// no Redis and no PostgreSQL, and print one JSON report for `scripts/bench` to read.
public enum OfflineBenchmark {
    /// Runs `measure` when the arguments (without the program name) start with `bench`, prints its
    /// report as one JSON line, and returns true; returns false for any other arguments. A failure is
    /// printed to standard error and exits with status 1.
    public static func runIfRequested<Report: Encodable>(
        _ arguments: [String],
        program: String,
        _ measure: ([String]) throws -> Report
    ) -> Bool {
        guard arguments.first == "bench" else { return false }
        do {
            let report = try measure(Array(arguments.dropFirst()))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } catch {
            FileHandle.standardError.write(Data("\(program) bench: \(error)\n".utf8))
            exit(1)
        }
        return true
    }

    /// `VmHWM` of /proc/self/status: the most resident memory the process has had, in megabytes.
    public static func peakResidentMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kilobytes / 1024
    }

    /// A bad command line, said as the usage line.
    public struct UsageError: Error, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }
}

extension Duration {
    /// The duration in seconds, for rates and averages.
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
