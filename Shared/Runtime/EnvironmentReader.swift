import Foundation

/// Reads typed settings from environment variables, failing with the variable's name on a bad value.
public struct EnvironmentReader: Sendable {
    public let values: [String: String]

    public init(_ values: [String: String] = ProcessInfo.processInfo.environment) {
        self.values = values
    }

    public func string(_ name: String, default fallback: String) -> String {
        string(name) ?? fallback
    }

    public func string(_ name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    public func int(_ name: String, default fallback: Int, range: ClosedRange<Int> = 0...Int.max) throws -> Int {
        guard let text = string(name) else { return fallback }
        guard let value = Int(text) else {
            throw ConfigurationError(variable: name, problem: "'\(text)' is not a whole number")
        }
        guard range.contains(value) else {
            throw ConfigurationError(variable: name, problem: "\(value) is outside \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    public func milliseconds(_ name: String, default fallback: Duration, range: ClosedRange<Int> = 1...86_400_000) throws -> Duration {
        guard string(name) != nil else { return fallback }
        return .milliseconds(try int(name, default: 0, range: range))
    }
}
