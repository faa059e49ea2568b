/// Why ``BoardFetcher`` gave up on a URL.
///
/// A struct with a private code, like `HTTPClientError`, so new cases do not break callers' `switch`es:
/// compare ``kind`` in code and tests. The ``description`` is a full sentence for run records and logs
/// ("GET https://api.lever.co/v0/postings/acme failed after 4 attempts: 503 Service Unavailable"); its
/// URL has credentials removed (see ``url``).
public struct FetchError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is, for matching.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case retriesExhausted, rejected, retryAfterTooLong, responseTooLarge, requestFailed
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// Every attempt failed with a retryable status (429, 5xx), a timeout or a connection failure.
        public static let retriesExhausted = Kind(.retriesExhausted)
        /// The server answered a status that retrying cannot change (a 4xx other than 429, an
        /// unexpected 3xx): the URL is wrong, gone or forbidden.
        public static let rejected = Kind(.rejected)
        /// The server asked us to come back later than ``FetchPolicy/maxRetryAfter``.
        public static let retryAfterTooLong = Kind(.retryAfterTooLong)
        /// The body was larger than ``FetchPolicy/maxResponseBytes``.
        public static let responseTooLarge = Kind(.responseTooLarge)
        /// The request could not be made at all (a malformed URL, a TLS failure, too many redirects…).
        public static let requestFailed = Kind(.requestFailed)

        public var description: String { base.rawValue }
    }

    private enum Code: Sendable {
        case retriesExhausted(reason: String)
        case rejected
        case retryAfterTooLong(retryAfter: Duration, limit: Duration)
        case responseTooLarge(limit: Int)
        case requestFailed(reason: String)
    }

    private let code: Code
    /// The URL that failed, with any user name, password and credential-like query values replaced, so
    /// the error can be logged and stored.
    public let url: String
    /// How many requests were sent for it (the last one included).
    public let attempts: Int
    /// The status of the last response, when the last attempt got one.
    public let status: Int?

    private init(_ code: Code, url: String, attempts: Int, status: Int?) {
        self.code = code
        self.url = url
        self.attempts = attempts
        self.status = status
    }

    /// Every one of `attempts` attempts failed; the last with `status` (when it got a response) or
    /// for `reason`.
    public static func retriesExhausted(url: String, attempts: Int, status: Int?, reason: String) -> FetchError {
        FetchError(.retriesExhausted(reason: reason), url: url, attempts: attempts, status: status)
    }

    /// The server answered `status`, which no retry would change.
    public static func rejected(url: String, attempts: Int, status: Int) -> FetchError {
        FetchError(.rejected, url: url, attempts: attempts, status: status)
    }

    /// The server answered `status` with a `Retry-After` of `retryAfter`, longer than `limit`.
    public static func retryAfterTooLong(url: String, attempts: Int, status: Int, retryAfter: Duration, limit: Duration) -> FetchError {
        FetchError(.retryAfterTooLong(retryAfter: retryAfter, limit: limit), url: url, attempts: attempts, status: status)
    }

    /// The response body passed `limit` bytes.
    public static func responseTooLarge(url: String, attempts: Int, limit: Int) -> FetchError {
        FetchError(.responseTooLarge(limit: limit), url: url, attempts: attempts, status: nil)
    }

    /// The request could not be made, for `reason`.
    public static func requestFailed(url: String, attempts: Int, reason: String) -> FetchError {
        FetchError(.requestFailed(reason: reason), url: url, attempts: attempts, status: nil)
    }

    /// What kind of failure this is.
    public var kind: Kind {
        switch code {
        case .retriesExhausted: .retriesExhausted
        case .rejected: .rejected
        case .retryAfterTooLong: .retryAfterTooLong
        case .responseTooLarge: .responseTooLarge
        case .requestFailed: .requestFailed
        }
    }

    public var description: String {
        let onAttempt = attempts > 1 ? " on attempt \(attempts)" : ""
        switch code {
        case .retriesExhausted(let reason):
            let times = attempts == 1 ? "1 attempt" : "\(attempts) attempts"
            return "GET \(url) failed after \(times): \(reason)"
        case .rejected:
            return "GET \(url) answered \(Self.statusText(status ?? 0))\(onAttempt)"
        case .retryAfterTooLong(let retryAfter, let limit):
            return "GET \(url) answered \(Self.statusText(status ?? 0))\(onAttempt): "
                + "Retry-After \(retryAfter.fetchDescription) exceeds the \(limit.fetchDescription) limit"
        case .responseTooLarge(let limit):
            return "GET \(url) failed: the response exceeded the \(Self.byteCount(limit)) cap"
        case .requestFailed(let reason):
            return "GET \(url) failed\(onAttempt): \(reason)"
        }
    }

    // MARK: - Wording

    /// `503 Service Unavailable`, or the bare code for a status without a well-known phrase.
    static func statusText(_ status: Int) -> String {
        guard let phrase = reasonPhrases[status] else { return "\(status)" }
        return "\(status) \(phrase)"
    }

    /// `20 MiB`, `64 KiB`, or `1000 bytes`: caps are set in round binary units, so say them that way.
    static func byteCount(_ bytes: Int) -> String {
        if bytes > 0, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes > 0, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return bytes == 1 ? "1 byte" : "\(bytes) bytes"
    }

    /// The phrases of the statuses job boards and their CDNs actually send (RFC 9110 and RFC 6585).
    private static let reasonPhrases: [Int: String] = [
        300: "Multiple Choices", 301: "Moved Permanently", 302: "Found", 303: "See Other",
        304: "Not Modified", 307: "Temporary Redirect", 308: "Permanent Redirect",
        400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden",
        404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable", 408: "Request Timeout",
        409: "Conflict", 410: "Gone", 412: "Precondition Failed", 413: "Content Too Large",
        414: "URI Too Long", 415: "Unsupported Media Type", 418: "I'm a teapot",
        421: "Misdirected Request", 422: "Unprocessable Content", 425: "Too Early",
        426: "Upgrade Required", 428: "Precondition Required", 429: "Too Many Requests",
        431: "Request Header Fields Too Large", 451: "Unavailable For Legal Reasons",
        500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway",
        503: "Service Unavailable", 504: "Gateway Timeout", 505: "HTTP Version Not Supported",
        507: "Insufficient Storage", 508: "Loop Detected", 511: "Network Authentication Required",
    ]
}

extension Duration {
    /// `60 s` for whole seconds, `250 ms` otherwise: how limits and waits read in messages and logs.
    var fetchDescription: String {
        let (seconds, attoseconds) = components
        // Past a million seconds the fraction says nothing (and the milliseconds could overflow).
        if attoseconds == 0 || seconds >= 1_000_000 { return "\(seconds) s" }
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return "\(milliseconds) ms"
    }
}
