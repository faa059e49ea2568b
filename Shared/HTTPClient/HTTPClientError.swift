/// Why ``HTTPClient`` could not produce a response.
///
/// A struct with a private code, like NIO's and async-http-client's errors, so new cases can be added
/// without breaking callers' exhaustive `switch`es. Compare ``kind`` in code and tests; the
/// ``description`` carries libcurl's own message for logs.
///
/// ```swift
/// do { _ = try await client.get(url) } catch let error as HTTPClientError where error.kind == .timedOut { … }
/// ```
public struct HTTPClientError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is, for matching.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case timedOut, responseTooLarge, invalidURL, invalidHeader, connectionFailed, transport
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// The transfer (or the connect phase) took longer than its limit.
        public static let timedOut = Kind(.timedOut)
        /// The body grew past the response cap; the transfer was aborted there.
        public static let responseTooLarge = Kind(.responseTooLarge)
        /// The URL is not an absolute `http`/`https` URL libcurl can parse.
        public static let invalidURL = Kind(.invalidURL)
        /// A request header's name or value cannot be sent safely.
        public static let invalidHeader = Kind(.invalidHeader)
        /// The host could not be resolved or refused or dropped the connection attempt.
        public static let connectionFailed = Kind(.connectionFailed)
        /// Any other libcurl failure (TLS, a broken connection mid-response, too many redirects…).
        public static let transport = Kind(.transport)

        public var description: String { base.rawValue }
    }

    private enum Code: Sendable {
        case timedOut
        case responseTooLarge(limit: Int)
        case invalidURL
        case invalidHeader(name: String)
        case connectionFailed
        case transport(code: Int, message: String)
    }

    private let code: Code
    /// libcurl's detailed message (its error buffer), when there is one.
    private var detail: String?

    private init(_ code: Code, detail: String? = nil) {
        self.code = code
        self.detail = detail
    }

    /// The transfer took longer than its timeout.
    public static var timedOut: HTTPClientError { .init(.timedOut) }

    /// The response body passed `limit` bytes.
    public static func responseTooLarge(limit: Int) -> HTTPClientError { .init(.responseTooLarge(limit: limit)) }

    /// The URL was not an absolute `http`/`https` URL.
    public static var invalidURL: HTTPClientError { .init(.invalidURL) }

    /// The header called `name` holds a line break or its name is not an HTTP token.
    public static func invalidHeader(name: String) -> HTTPClientError { .init(.invalidHeader(name: name)) }

    /// No connection could be made.
    public static var connectionFailed: HTTPClientError { .init(.connectionFailed) }

    /// libcurl failed with `code` (a `CURLcode`) for another reason.
    public static func transport(code: Int, message: String) -> HTTPClientError {
        .init(.transport(code: code, message: message))
    }

    /// What kind of failure this is.
    public var kind: Kind {
        switch code {
        case .timedOut: .timedOut
        case .responseTooLarge: .responseTooLarge
        case .invalidURL: .invalidURL
        case .invalidHeader: .invalidHeader
        case .connectionFailed: .connectionFailed
        case .transport: .transport
        }
    }

    /// The same error with libcurl's detailed message attached for ``description``.
    func withDetail(_ detail: String?) -> HTTPClientError {
        guard let detail, !detail.isEmpty else { return self }
        var copy = self
        copy.detail = detail
        return copy
    }

    public var description: String {
        let summary: String
        switch code {
        case .timedOut: summary = "HTTP request timed out"
        case .responseTooLarge(let limit): summary = "HTTP response body exceeded \(limit) bytes"
        case .invalidURL: summary = "invalid URL (need an absolute http or https URL)"
        case .invalidHeader(let name): summary = "invalid request header '\(name)'"
        case .connectionFailed: summary = "HTTP connection failed"
        case .transport(let code, let message): summary = "HTTP transport error \(code): \(message)"
        }
        guard let detail else { return "HTTPClientError: \(summary)" }
        return "HTTPClientError: \(summary) (\(detail))"
    }
}
