import Foundation

/// Why a language-model call failed, worded for the person reading a job's notes or a log.
///
/// A struct with a private code, like ``HTTPClientError``, so cases can be added without breaking
/// callers. Match on ``kind``; show ``description``. Descriptions name the provider, the HTTP status
/// and the API's own message, and never the API key: providers redact their key from any text they
/// quote (some APIs echo part of a rejected key back).
///
/// ```swift
/// catch let error as LanguageModelError where error.kind == .budgetExhausted { … }
/// ```
public struct LanguageModelError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is, for matching.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case httpStatus, timedOut, connectionFailed, transport, invalidResponse, emptyReply
            case processFailed, executableNotFound, budgetExhausted, invalidConfiguration
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The API answered with a non-2xx status.
        public static let httpStatus = Kind(.httpStatus)
        /// No reply within the configured timeout.
        public static let timedOut = Kind(.timedOut)
        /// The provider could not be reached.
        public static let connectionFailed = Kind(.connectionFailed)
        /// Any other transport failure (TLS, a dropped connection, an oversized body…).
        public static let transport = Kind(.transport)
        /// A 2xx response whose body is not the provider's documented format.
        public static let invalidResponse = Kind(.invalidResponse)
        /// The provider answered, but with no text (a refusal, or only non-text content).
        public static let emptyReply = Kind(.emptyReply)
        /// The CLI exited non-zero, or printed an `Error:` message instead of an answer.
        public static let processFailed = Kind(.processFailed)
        /// The CLI's executable is not on `PATH`, or the system would not start it.
        public static let executableNotFound = Kind(.executableNotFound)
        /// The spending limit is reached; no call was made.
        public static let budgetExhausted = Kind(.budgetExhausted)
        /// The configuration cannot work (a provider without its key, an unknown provider name…).
        public static let invalidConfiguration = Kind(.invalidConfiguration)

        public var description: String { base.rawValue }
    }

    private enum Code: Sendable {
        case httpStatus(status: Int, apiErrorType: String?, message: String?)
        case timedOut(after: Duration)
        case connectionFailed(detail: String)
        case transport(detail: String)
        case invalidResponse(detail: String)
        case emptyReply(detail: String?)
        case processFailed(exitCode: Int32?, output: String)
        case executableNotFound(executable: String)
        case couldNotStart(executable: String, reason: String)
        case budgetExhausted(limit: Double, spent: Double)
        case invalidConfiguration(message: String)
    }

    private let code: Code
    /// The provider that failed, when there is one (budget and configuration errors have none).
    public let provider: String?
    /// How long the server asked us to wait before retrying (`Retry-After`), when it said.
    public let retryAfter: Duration?
    /// Whether trying the same request again may succeed; overrides the default derived from the kind.
    private let retryableOverride: Bool?

    private init(_ code: Code, provider: String?, retryAfter: Duration? = nil, retryable: Bool? = nil) {
        self.code = code
        self.provider = provider
        self.retryAfter = retryAfter
        self.retryableOverride = retryable
    }

    // MARK: Factories

    /// The API answered `status`; `apiErrorType` and `message` are its error body's fields.
    ///
    /// - Parameter retryable: Overrides the default (retry 429 and 5xx) when the API says otherwise,
    ///   e.g. a 429 for an exhausted quota, which no amount of waiting fixes.
    public static func httpStatus(
        provider: String,
        status: Int,
        apiErrorType: String? = nil,
        message: String? = nil,
        retryAfter: Duration? = nil,
        retryable: Bool? = nil
    ) -> LanguageModelError {
        .init(.httpStatus(status: status, apiErrorType: apiErrorType, message: message), provider: provider,
              retryAfter: retryAfter, retryable: retryable)
    }

    public static func timedOut(provider: String, after timeout: Duration) -> LanguageModelError {
        .init(.timedOut(after: timeout), provider: provider)
    }

    public static func connectionFailed(provider: String, detail: String) -> LanguageModelError {
        .init(.connectionFailed(detail: detail), provider: provider)
    }

    public static func transport(provider: String, detail: String, retryable: Bool = true) -> LanguageModelError {
        .init(.transport(detail: detail), provider: provider, retryable: retryable)
    }

    public static func invalidResponse(provider: String, detail: String) -> LanguageModelError {
        .init(.invalidResponse(detail: detail), provider: provider)
    }

    public static func emptyReply(provider: String, detail: String? = nil) -> LanguageModelError {
        .init(.emptyReply(detail: detail), provider: provider)
    }

    /// The CLI failed: `exitCode` is `nil` when it exited 0 but printed an error or nothing useful.
    public static func processFailed(provider: String, exitCode: Int32?, output: String) -> LanguageModelError {
        .init(.processFailed(exitCode: exitCode, output: output), provider: provider)
    }

    public static func executableNotFound(provider: String, executable: String) -> LanguageModelError {
        .init(.executableNotFound(executable: executable), provider: provider)
    }

    /// The executable exists but the system would not run it (permissions, a bad interpreter line…).
    public static func couldNotStart(provider: String, executable: String, reason: String) -> LanguageModelError {
        .init(.couldNotStart(executable: executable, reason: reason), provider: provider)
    }

    /// `spent` US dollars of a `limit` are used up.
    public static func budgetExhausted(limit: Double, spent: Double) -> LanguageModelError {
        .init(.budgetExhausted(limit: limit, spent: spent), provider: nil)
    }

    public static func invalidConfiguration(_ message: String) -> LanguageModelError {
        .init(.invalidConfiguration(message: message), provider: nil)
    }

    // MARK: Inspection

    public var kind: Kind {
        switch code {
        case .httpStatus: .httpStatus
        case .timedOut: .timedOut
        case .connectionFailed: .connectionFailed
        case .transport: .transport
        case .invalidResponse: .invalidResponse
        case .emptyReply: .emptyReply
        case .processFailed: .processFailed
        case .executableNotFound, .couldNotStart: .executableNotFound
        case .budgetExhausted: .budgetExhausted
        case .invalidConfiguration: .invalidConfiguration
        }
    }

    /// The HTTP status, for ``Kind/httpStatus``.
    public var status: Int? {
        if case .httpStatus(let status, _, _) = code { return status }
        return nil
    }

    /// The API's own error message, for ``Kind/httpStatus``.
    public var apiMessage: String? {
        if case .httpStatus(_, _, let message) = code { return message }
        return nil
    }

    /// Whether the same request may succeed if sent again after a pause: rate limits (429), server
    /// errors and overload (5xx, Anthropic's 529), timeouts and connection failures. Other 4xx
    /// responses (a bad key, a malformed request) fail the same way every time.
    public var isRetryable: Bool {
        if let retryableOverride { return retryableOverride }
        switch code {
        case .httpStatus(let status, _, _): return status == 429 || status >= 500
        case .timedOut, .connectionFailed, .transport: return true
        default: return false
        }
    }

    public var description: String {
        let prefix = provider.map { "\($0): " } ?? ""
        switch code {
        case .httpStatus(let status, let type, let message):
            var text = "\(prefix)HTTP \(status)"
            if let type, !type.isEmpty { text += " \(type)" }
            if let message, !message.isEmpty { text += ": \(message)" }
            return text
        case .timedOut(let timeout):
            return "\(prefix)no reply within \(timeout.secondsDescription)"
        case .connectionFailed(let detail):
            return "\(prefix)could not connect (\(detail))"
        case .transport(let detail):
            return "\(prefix)transport error (\(detail))"
        case .invalidResponse(let detail):
            return "\(prefix)unexpected response (\(detail))"
        case .emptyReply(let detail):
            return "\(prefix)empty reply" + (detail.map { " (\($0))" } ?? "")
        case .processFailed(let exitCode, let output):
            let what = exitCode.map { "exited with status \($0)" } ?? "reported an error"
            return output.isEmpty ? "\(prefix)\(what)" : "\(prefix)\(what): \(output)"
        case .executableNotFound(let executable):
            return "\(prefix)executable '\(executable)' not found or not executable"
        case .couldNotStart(let executable, let reason):
            return "\(prefix)could not start '\(executable)': \(reason)"
        case .budgetExhausted(let limit, let spent):
            return "language-model budget exhausted: spent $\(formatDollars(spent)) of $\(formatDollars(limit))"
        case .invalidConfiguration(let message):
            return "language-model configuration: \(message)"
        }
    }
}

/// Dollars with two to four decimals (`2.50`, `0.018`), for messages.
func formatDollars(_ amount: Double) -> String {
    var text = String(format: "%.4f", amount)
    // Four decimals; drop trailing zeros down to cents.
    for _ in 0..<2 where text.hasSuffix("0") {
        text.removeLast()
    }
    return text
}

extension Duration {
    /// `1.5 s`, `250 ms`: for messages.
    var secondsDescription: String {
        let (seconds, attoseconds) = components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        if milliseconds < 1000 { return "\(milliseconds) ms" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000) s" }
        return "\(Double(milliseconds) / 1000) s"
    }
}
