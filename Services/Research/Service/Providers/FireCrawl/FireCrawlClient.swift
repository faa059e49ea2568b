import Foundation
import HTTPClient
import Logging

/// FireCrawl's search and scrape endpoints (API v1), with the guards a metered, sometimes-flaky API
/// needs: a rate limiter, a circuit breaker, and retries with backoff that honour `Retry-After`.
///
/// Each HTTP attempt — retries included — asks the ``CircuitBreaker`` for permission, then takes a
/// ``RateLimiter`` slot, then goes out through our libcurl ``HTTPClient/HTTPClient``. What happens next
/// follows FireCrawl's error catalogue:
///
/// - 408, 429, 5xx, timeouts and connection failures are retried up to
///   ``Configuration-swift.struct/maximumAttempts`` times in all, pausing with exponential backoff and
///   jitter, or for the server's `Retry-After` (delta-seconds) when it sends one. A `Retry-After`
///   longer than ``Configuration-swift.struct/maximumDelay`` fails at once instead: waiting less than
///   the server asked only earns another 429, and waiting longer would park a research worker.
/// - 401, 402 (credits spent), 403 and every other 4xx fail at once: retrying cannot change them.
///
/// The API key travels only in the `Authorization` header: it is never part of an error, a log line
/// or a note, and any echo of it in a server message is redacted.
///
/// ```swift
/// let client = FireCrawlClient(
///     configuration: .init(apiKey: "fc-…"),
///     httpClient: httpClient,
///     rateLimiter: RateLimiter(),
///     circuitBreaker: CircuitBreaker()
/// )
/// let results = try await client.search("Acme company about", limit: 5)
/// ```
public struct FireCrawlClient: Sendable {
    /// Where the API is and how patiently to call it.
    public struct Configuration: Sendable {
        /// The API key (`fc-…`), sent as `Authorization: Bearer <key>`.
        public var apiKey: String
        /// The API's origin, without a trailing slash; paths such as `/v1/search` are appended. Default
        /// `https://api.firecrawl.dev` (`FIRECRAWL_BASE_URL`; a self-hosted FireCrawl or a test server).
        public var baseURL: String
        /// The limit for one HTTP attempt. Default 30 s (`FIRECRAWL_TIMEOUT_SECONDS`): a search that
        /// scrapes its results takes several seconds, and a hung request must still free its thread.
        public var timeout: Duration
        /// Attempts per request in all, the first included; `1` disables retrying. Default 3
        /// (`FIRECRAWL_MAX_ATTEMPTS`).
        public var maximumAttempts: Int
        /// The pause before the first retry; each later pause doubles it. Default 1 s.
        public var baseDelay: Duration
        /// The longest pause, for backoff and `Retry-After` alike. Default 30 s.
        public var maximumDelay: Duration

        public init(
            apiKey: String,
            baseURL: String = "https://api.firecrawl.dev",
            timeout: Duration = .seconds(30),
            maximumAttempts: Int = 3,
            baseDelay: Duration = .seconds(1),
            maximumDelay: Duration = .seconds(30)
        ) {
            self.apiKey = apiKey
            self.baseURL = baseURL
            self.timeout = timeout
            self.maximumAttempts = max(1, maximumAttempts)
            self.baseDelay = max(.zero, baseDelay)
            self.maximumDelay = max(.zero, maximumDelay)
        }
    }

    /// One result of ``search(_:limit:includeMarkdown:)``.
    public struct SearchResult: Sendable, Equatable {
        public var url: String
        public var title: String?
        /// The search engine's snippet.
        public var description: String?
        /// The page's main content, when the search was asked to scrape its results and the scrape of
        /// this one worked.
        public var markdown: String?

        public init(url: String, title: String? = nil, description: String? = nil, markdown: String? = nil) {
            self.url = url
            self.title = title
            self.description = description
            self.markdown = markdown
        }
    }

    /// What ``scrape(_:)`` read from a page.
    public struct ScrapedPage: Sendable, Equatable {
        /// The URL the content came from (after redirects, as FireCrawl reports it).
        public var url: String
        public var title: String?
        /// The page's main content as markdown; empty when the page had none.
        public var markdown: String
        /// The status the page's own server answered with, when FireCrawl reports it.
        public var statusCode: Int?

        public init(url: String, title: String? = nil, markdown: String, statusCode: Int? = nil) {
            self.url = url
            self.title = title
            self.markdown = markdown
            self.statusCode = statusCode
        }
    }

    public let configuration: Configuration
    private let httpClient: HTTPClient
    private let rateLimiter: RateLimiter
    private let circuitBreaker: CircuitBreaker
    private let clock: any ResilienceClock
    private let logger: Logger

    /// - Parameters:
    ///   - rateLimiter: Shared by every client of the same API key, since the quota is the key's.
    ///   - circuitBreaker: Shared likewise: the API's health is not per request.
    ///   - clock: Waits between retries; tests pass a manual clock to assert the pauses.
    ///   - logger: Retries are logged at `info`, without the key.
    public init(
        configuration: Configuration,
        httpClient: HTTPClient,
        rateLimiter: RateLimiter,
        circuitBreaker: CircuitBreaker,
        clock: any ResilienceClock = SystemResilienceClock(),
        logger: Logger = Logger(label: "jobsmith.research.firecrawl", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.rateLimiter = rateLimiter
        self.circuitBreaker = circuitBreaker
        self.clock = clock
        self.logger = logger
    }

    // MARK: Endpoints

    /// Searches the web: `POST /v1/search`.
    ///
    /// - Parameters:
    ///   - query: Search-engine syntax is passed through (`site:`, quotes, `OR`).
    ///   - limit: Results wanted; FireCrawl returns at most this many.
    ///   - includeMarkdown: Whether FireCrawl scrapes each result and returns its markdown (one credit per
    ///     result). Off for searches whose snippets are all that is needed, such as LinkedIn titles.
    /// - Returns: The results in the engine's order; empty when nothing matched.
    /// - Throws: ``FireCrawlError``.
    public func search(_ query: String, limit: Int = 5, includeMarkdown: Bool = true) async throws -> [SearchResult] {
        let body = SearchRequestBody(
            query: query,
            limit: max(1, limit),
            scrapeOptions: includeMarkdown ? ScrapeOptions(formats: ["markdown"]) : nil
        )
        let bytes = try await send(operation: "search", path: "/v1/search", body: try encode(body))
        let decoded: SearchResponseBody = try decode(bytes, operation: "search")
        guard decoded.success != false else {
            throw FireCrawlError.invalidResponse(operation: "search", detail: redacted(decoded.error ?? "success is false"))
        }
        return (decoded.data?.items ?? []).compactMap { item in
            guard let url = nonEmpty(item.url) ?? nonEmpty(item.metadata?.sourceURL) else { return nil }
            return SearchResult(
                url: url,
                title: nonEmpty(item.title) ?? nonEmpty(item.metadata?.title),
                description: nonEmpty(item.description) ?? nonEmpty(item.metadata?.description),
                markdown: nonEmpty(item.markdown)
            )
        }
    }

    /// Reads one page's main content as markdown: `POST /v1/scrape` with `onlyMainContent`.
    ///
    /// - Throws: ``FireCrawlError``; kind `.invalidResponse` when FireCrawl answered `success: false`.
    public func scrape(_ url: String) async throws -> ScrapedPage {
        let body = ScrapeRequestBody(url: url, formats: ["markdown"], onlyMainContent: true)
        let bytes = try await send(operation: "scrape", path: "/v1/scrape", body: try encode(body))
        let decoded: ScrapeResponseBody = try decode(bytes, operation: "scrape")
        guard decoded.success != false, let data = decoded.data else {
            throw FireCrawlError.invalidResponse(operation: "scrape", detail: redacted(decoded.error ?? "no data in the response"))
        }
        return ScrapedPage(
            url: nonEmpty(data.metadata?.sourceURL) ?? nonEmpty(data.metadata?.url) ?? url,
            title: nonEmpty(data.metadata?.title),
            markdown: data.markdown ?? "",
            statusCode: data.metadata?.statusCode
        )
    }

    // MARK: Sending

    /// POSTs `body` until a 2xx arrives or a failure is final, through the breaker and the limiter.
    ///
    /// - Returns: The successful response's body.
    private func send(operation: String, path: String, body: [UInt8]) async throws -> [UInt8] {
        let request = HTTPRequest(
            method: .post,
            url: configuration.baseURL + path,
            headers: [
                HTTPHeader(name: "Authorization", value: "Bearer \(configuration.apiKey)"),
                HTTPHeader(name: "Content-Type", value: "application/json"),
                HTTPHeader(name: "Accept", value: "application/json"),
            ],
            body: body,
            timeout: configuration.timeout
        )
        var attempt = 1
        while true {
            do {
                try await circuitBreaker.permit()
            } catch let error as CircuitOpenError {
                throw FireCrawlError.circuitOpen(operation: operation, attempts: attempt - 1, detail: error.description)
            }
            do {
                try await rateLimiter.acquire()
            } catch let error as RateLimitError {
                await circuitBreaker.recordAbandoned()
                throw FireCrawlError.locallyRateLimited(operation: operation, attempts: attempt - 1, limit: error)
            } catch {
                await circuitBreaker.recordAbandoned()
                throw error
            }

            let failure: FireCrawlError
            do {
                let response = try await httpClient.execute(request)
                if response.isSuccess {
                    await circuitBreaker.recordSuccess()
                    return response.body
                }
                failure = statusError(response, operation: operation, attempts: attempt)
            } catch let error as HTTPClientError {
                failure = transportError(error, operation: operation, attempts: attempt)
            } catch {
                // Cancellation, or a thread pool that is shutting down: nothing learnt about FireCrawl.
                await circuitBreaker.recordAbandoned()
                throw error
            }

            if failure.countsAgainstService {
                await circuitBreaker.recordFailure(failure.shortReason)
            } else {
                await circuitBreaker.recordSuccess()
            }
            guard failure.isRetryable, attempt < configuration.maximumAttempts else { throw failure }
            if let retryAfter = failure.retryAfter, retryAfter > configuration.maximumDelay {
                throw FireCrawlError.retryAfterTooLong(operation: operation, attempts: attempt, retryAfter: retryAfter, limit: configuration.maximumDelay)
            }
            let pause = delay(afterAttempt: attempt, retryAfter: failure.retryAfter)
            logger.info(
                "Retrying FireCrawl request",
                metadata: [
                    "firecrawl.operation": "\(operation)",
                    "firecrawl.attempt": "\(attempt)",
                    "firecrawl.retry_delay": "\(ResilienceFormatting.duration(pause))",
                    "firecrawl.error": "\(failure.shortReason)",
                ]
            )
            try await clock.sleep(for: pause)
            attempt += 1
        }
    }

    /// The pause after attempt `attempt` (1-based) failed: the server's `Retry-After` when it sent one,
    /// else exponential backoff with "equal jitter" — a random point in the upper half of the doubled
    /// delay, so clients that failed together do not return together, yet never wait less than half
    /// the backoff.
    func delay(afterAttempt attempt: Int, retryAfter: Duration?) -> Duration {
        if let retryAfter {
            return max(.zero, retryAfter)
        }
        let exponent = min(max(0, attempt - 1), 30)
        let backoff = min(configuration.baseDelay * (1 << exponent), configuration.maximumDelay)
        let half = backoff / 2
        return half + half * Double.random(in: 0...1)
    }

    /// The error for a non-2xx response.
    private func statusError(_ response: HTTPResponse, operation: String, attempts: Int) -> FireCrawlError {
        let message = redacted(Self.apiErrorMessage(in: response.bodyText))
        let retryAfter = Self.retryAfter(response.header("Retry-After"))
        return FireCrawlError.status(response.status, operation: operation, attempts: attempts, message: message, retryAfter: retryAfter)
    }

    /// The error for a transfer that produced no response.
    private func transportError(_ error: HTTPClientError, operation: String, attempts: Int) -> FireCrawlError {
        switch error.kind {
        case .timedOut:
            return .timedOut(operation: operation, attempts: attempts, after: configuration.timeout)
        case .connectionFailed:
            return .connectionFailed(operation: operation, attempts: attempts, detail: redacted(error.description))
        case .invalidURL, .invalidHeader, .responseTooLarge:
            return .requestFailed(operation: operation, attempts: attempts, detail: redacted(error.description), retryable: false)
        default:
            // A broken connection mid-response, a TLS hiccup: worth another attempt.
            return .requestFailed(operation: operation, attempts: attempts, detail: redacted(error.description), retryable: true)
        }
    }

    // MARK: Helpers

    /// `text` with the API key, and anything shaped like another FireCrawl key, replaced — so an API
    /// that echoes a key cannot leak it into an error, a log line or a run's notes.
    func redacted(_ text: String) -> String {
        var text = text
        if configuration.apiKey.count >= 4 {
            text = text.replacingOccurrences(of: configuration.apiKey, with: "[redacted]")
        }
        return Self.redactingKeyShapes(text)
    }

    /// Replaces `fc-` followed by 8 or more key characters.
    static func redactingKeyShapes(_ text: String) -> String {
        guard text.contains("fc-") else { return text }
        var result = ""
        var rest = text[...]
        while let marker = rest.range(of: "fc-") {
            result += rest[..<marker.lowerBound]
            let tail = rest[marker.upperBound...]
            let keyCharacters = tail.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
            if keyCharacters.count >= 8 {
                result += "fc-[redacted]"
            } else {
                result += "fc-" + keyCharacters
            }
            rest = tail[keyCharacters.endIndex...]
        }
        return result + rest
    }

    /// FireCrawl's `error` (and `details`, when a string) from an error body, or the body's start when
    /// it is not FireCrawl's JSON (a proxy's HTML 502 page).
    static func apiErrorMessage(in body: String) -> String {
        if let data = body.data(using: .utf8), let parsed = try? JSONDecoder().decode(ErrorResponseBody.self, from: data),
            let error = parsed.error, !error.isEmpty
        {
            if let details = parsed.details, !details.isEmpty { return "\(error) (\(details))" }
            return error
        }
        let flattened = body.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        return flattened.count > 200 ? String(flattened.prefix(200)) + "…" : flattened
    }

    /// `Retry-After` as delta-seconds (whole or fractional), which is what FireCrawl sends. An HTTP
    /// date, or anything else unreadable, gives nil: backoff applies rather than a guess.
    static func retryAfter(_ value: String?) -> Duration? {
        guard let text = value?.trimmingCharacters(in: .whitespaces), !text.isEmpty,
            let seconds = Double(text), seconds.isFinite, seconds >= 0
        else { return nil }
        // Far beyond any sane wait; keeps the conversion to Duration from overflowing.
        return .seconds(min(seconds, 1e9))
    }

    private func encode(_ body: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return Array(try encoder.encode(body))
    }

    private func decode<Body: Decodable>(_ bytes: [UInt8], operation: String) throws -> Body {
        do {
            return try JSONDecoder().decode(Body.self, from: Data(bytes))
        } catch {
            let excerpt = Self.apiErrorMessage(in: String(decoding: bytes.prefix(400), as: UTF8.self))
            throw FireCrawlError.invalidResponse(operation: operation, detail: "not FireCrawl's JSON: \(redacted(excerpt))")
        }
    }

    private func nonEmpty(_ text: String?) -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return trimmed
    }
}

// MARK: - Wire format

extension FireCrawlClient {
    /// `POST /v1/search`'s body.
    struct SearchRequestBody: Encodable {
        var query: String
        var limit: Int
        /// Absent unless results are to be scraped.
        var scrapeOptions: ScrapeOptions?
    }

    struct ScrapeOptions: Encodable {
        var formats: [String]
    }

    /// `POST /v1/scrape`'s body.
    struct ScrapeRequestBody: Encodable {
        var url: String
        var formats: [String]
        var onlyMainContent: Bool
    }

    /// `{"success": true, "data": [{"url", "title", "description", "markdown", "metadata"}], "warning"}`.
    struct SearchResponseBody: Decodable {
        var success: Bool?
        var data: SearchData?
        var error: String?
    }

    /// v1 answers with an array; v2 (and newer self-hosted builds) with `{"web": […]}`. Both are read,
    /// so pointing `FIRECRAWL_BASE_URL` at either kind of server works.
    struct SearchData: Decodable {
        var items: [SearchItem]

        private enum CodingKeys: String, CodingKey { case web }

        init(from decoder: any Decoder) throws {
            if let items = try? decoder.singleValueContainer().decode([SearchItem].self) {
                self.items = items
                return
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            items = try container.decodeIfPresent([SearchItem].self, forKey: .web) ?? []
        }
    }

    struct SearchItem: Decodable {
        var url: String?
        var title: String?
        var description: String?
        var markdown: String?
        var metadata: PageMetadata?
    }

    /// `{"success": true, "data": {"markdown", "metadata": {"title", "sourceURL", "statusCode"}}}`.
    struct ScrapeResponseBody: Decodable {
        var success: Bool?
        var data: ScrapeData?
        var error: String?
    }

    struct ScrapeData: Decodable {
        var markdown: String?
        var metadata: PageMetadata?
    }

    struct PageMetadata: Decodable {
        var title: String?
        var description: String?
        var sourceURL: String?
        var url: String?
        var statusCode: Int?
        var error: String?
    }

    /// `{"success": false, "error": "…", "details": …}`; `details` is read only when it is a string.
    struct ErrorResponseBody: Decodable {
        var error: String?
        var details: String?

        private enum CodingKeys: String, CodingKey { case error, details }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            error = try? container.decodeIfPresent(String.self, forKey: .error)
            details = try? container.decodeIfPresent(String.self, forKey: .details)
        }
    }
}

// MARK: - Errors

/// Why a FireCrawl request failed.
///
/// A struct with a private code, like `HTTPClientError`, so new cases do not break callers' `switch`es:
/// compare ``kind`` in code and tests. The ``description`` is a sentence for run notes and logs; it never
/// contains the API key.
public struct FireCrawlError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is, for matching.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case notConfigured, unauthorized, paymentRequired, forbidden, rejected, rateLimited, serverError
            case timedOut, connectionFailed, requestFailed, retryAfterTooLong, invalidResponse, circuitOpen
            case locallyRateLimited, dailyQuotaSpent
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// No API key is configured.
        public static let notConfigured = Kind(.notConfigured)
        /// 401: the key is missing, malformed or revoked.
        public static let unauthorized = Kind(.unauthorized)
        /// 402: the plan's credits are spent.
        public static let paymentRequired = Kind(.paymentRequired)
        /// 403: the key may not use this endpoint.
        public static let forbidden = Kind(.forbidden)
        /// Another 4xx (a bad request, a URL FireCrawl will not scrape): retrying cannot change it.
        public static let rejected = Kind(.rejected)
        /// 429 on every attempt.
        public static let rateLimited = Kind(.rateLimited)
        /// 5xx (or 408) on every attempt.
        public static let serverError = Kind(.serverError)
        /// No response within the timeout, on every attempt.
        public static let timedOut = Kind(.timedOut)
        /// The API could not be reached.
        public static let connectionFailed = Kind(.connectionFailed)
        /// The transfer failed otherwise (TLS, a broken connection, a bad base URL).
        public static let requestFailed = Kind(.requestFailed)
        /// FireCrawl asked us to wait longer than the client's maximum delay.
        public static let retryAfterTooLong = Kind(.retryAfterTooLong)
        /// A 2xx whose body was not what FireCrawl sends, or said `success: false`.
        public static let invalidResponse = Kind(.invalidResponse)
        /// The circuit breaker refused the call.
        public static let circuitOpen = Kind(.circuitOpen)
        /// Our own rate limiter had no minute slot within its maximum wait.
        public static let locallyRateLimited = Kind(.locallyRateLimited)
        /// Our own daily quota is spent.
        public static let dailyQuotaSpent = Kind(.dailyQuotaSpent)

        public var description: String { base.rawValue }
    }

    private enum Code: Sendable {
        case notConfigured
        case status(Int, message: String)
        case timedOut(after: Duration)
        case connectionFailed(detail: String)
        case requestFailed(detail: String, retryable: Bool)
        case retryAfterTooLong(limit: Duration)
        case invalidResponse(detail: String)
        case circuitOpen(detail: String)
        case locallyRateLimited(RateLimitError)
    }

    private let code: Code
    /// The request that failed: `search` or `scrape`.
    public let operation: String
    /// HTTP attempts made (0 when the call was refused before any).
    public let attempts: Int
    /// How long the server (or our limiter) asked us to wait, when it said.
    public let retryAfter: Duration?

    private init(_ code: Code, operation: String, attempts: Int, retryAfter: Duration? = nil) {
        self.code = code
        self.operation = operation
        self.attempts = attempts
        self.retryAfter = retryAfter
    }

    static var notConfigured: FireCrawlError {
        FireCrawlError(.notConfigured, operation: "configure", attempts: 0)
    }

    static func status(_ status: Int, operation: String, attempts: Int, message: String, retryAfter: Duration?) -> FireCrawlError {
        FireCrawlError(.status(status, message: message), operation: operation, attempts: attempts, retryAfter: retryAfter)
    }

    static func timedOut(operation: String, attempts: Int, after timeout: Duration) -> FireCrawlError {
        FireCrawlError(.timedOut(after: timeout), operation: operation, attempts: attempts)
    }

    static func connectionFailed(operation: String, attempts: Int, detail: String) -> FireCrawlError {
        FireCrawlError(.connectionFailed(detail: detail), operation: operation, attempts: attempts)
    }

    static func requestFailed(operation: String, attempts: Int, detail: String, retryable: Bool) -> FireCrawlError {
        FireCrawlError(.requestFailed(detail: detail, retryable: retryable), operation: operation, attempts: attempts)
    }

    static func retryAfterTooLong(operation: String, attempts: Int, retryAfter: Duration, limit: Duration) -> FireCrawlError {
        FireCrawlError(.retryAfterTooLong(limit: limit), operation: operation, attempts: attempts, retryAfter: retryAfter)
    }

    static func invalidResponse(operation: String, detail: String) -> FireCrawlError {
        FireCrawlError(.invalidResponse(detail: detail), operation: operation, attempts: 1)
    }

    static func circuitOpen(operation: String, attempts: Int, detail: String) -> FireCrawlError {
        FireCrawlError(.circuitOpen(detail: detail), operation: operation, attempts: attempts)
    }

    static func locallyRateLimited(operation: String, attempts: Int, limit: RateLimitError) -> FireCrawlError {
        FireCrawlError(.locallyRateLimited(limit), operation: operation, attempts: attempts, retryAfter: limit.retryAfter)
    }

    /// What kind of failure this is.
    public var kind: Kind {
        switch code {
        case .notConfigured: .notConfigured
        case .status(401, _): .unauthorized
        case .status(402, _): .paymentRequired
        case .status(403, _): .forbidden
        case .status(429, _): .rateLimited
        case .status(let status, _) where status == 408 || status >= 500: .serverError
        case .status: .rejected
        case .timedOut: .timedOut
        case .connectionFailed: .connectionFailed
        case .requestFailed: .requestFailed
        case .retryAfterTooLong: .retryAfterTooLong
        case .invalidResponse: .invalidResponse
        case .circuitOpen: .circuitOpen
        case .locallyRateLimited(let limit): limit.kind == .dailyQuota ? .dailyQuotaSpent : .locallyRateLimited
        }
    }

    /// The HTTP status of the last response, when the last attempt got one.
    public var status: Int? {
        if case .status(let status, _) = code { return status }
        return nil
    }

    /// Whether another attempt may succeed: 408, 429, 5xx, timeouts and connection failures.
    public var isRetryable: Bool {
        switch code {
        case .status(let status, _): status == 408 || status == 429 || status >= 500
        case .timedOut, .connectionFailed: true
        case .requestFailed(_, let retryable): retryable
        default: false
        }
    }

    /// Whether the failure says the service is unwell, which is what the circuit breaker counts.
    var countsAgainstService: Bool {
        switch code {
        case .requestFailed(_, let retryable): retryable
        default: isRetryable
        }
    }

    /// A few words for the breaker's messages and retry logs: `HTTP 503`, `timed out`.
    var shortReason: String {
        switch code {
        case .status(let status, _): "HTTP \(status)"
        case .timedOut: "timed out"
        case .connectionFailed: "connection failed"
        case .requestFailed: "transfer failed"
        default: kind.description
        }
    }

    public var description: String {
        let tries = attempts > 1 ? " after \(attempts) attempts" : ""
        switch code {
        case .notConfigured:
            return "FireCrawl is not configured: no FIRECRAWL_API_KEY"
        case .status(let status, let message):
            let said = message.isEmpty ? "" : ": \(message)"
            switch status {
            case 401: return "FireCrawl \(operation) rejected the API key (HTTP 401\(said)); check FIRECRAWL_API_KEY"
            case 402: return "FireCrawl \(operation) refused: payment required, the plan's credits are spent (HTTP 402\(said))"
            case 403: return "FireCrawl \(operation) forbidden for this API key (HTTP 403\(said))"
            default: return "FireCrawl \(operation) failed\(tries): HTTP \(status)\(said)"
            }
        case .timedOut(let timeout):
            return "FireCrawl \(operation) timed out\(tries) (limit \(ResilienceFormatting.duration(timeout)) each)"
        case .connectionFailed(let detail):
            return "FireCrawl \(operation) could not connect\(tries): \(detail)"
        case .requestFailed(let detail, _):
            return "FireCrawl \(operation) failed\(tries): \(detail)"
        case .retryAfterTooLong(let limit):
            let wait = retryAfter.map { ResilienceFormatting.duration($0) } ?? "?"
            return "FireCrawl \(operation) rate limited: the API asks to retry after \(wait), longer than the \(ResilienceFormatting.duration(limit)) we wait"
        case .invalidResponse(let detail):
            return "FireCrawl \(operation) answered unexpectedly: \(detail)"
        case .circuitOpen(let detail):
            return "FireCrawl \(operation) not attempted: \(detail)"
        case .locallyRateLimited(let limit):
            return "FireCrawl \(operation) not attempted: \(limit.description)"
        }
    }
}
