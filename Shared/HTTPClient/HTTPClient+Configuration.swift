extension HTTPClient {
    /// The client's limits and defaults; a request's own ``HTTPRequest/timeout`` and
    /// ``HTTPRequest/maxResponseBytes`` override the matching fields.
    ///
    /// Every field has a default that suits calling job boards and public APIs, so
    /// `Configuration()` is a sensible start; services set fields from their environment at the edge.
    public struct Configuration: Sendable {
        /// The limit for a whole transfer — connecting, redirects, sending and receiving. Default 30 s:
        /// long enough for a slow API's large page, short enough that a hung server frees its thread.
        public var timeout: Duration
        /// The limit for establishing each connection (DNS, TCP and TLS). Default 10 s: a host that
        /// cannot be reached in that time is down, and failing early leaves time for a retry.
        public var connectTimeout: Duration
        /// The most response body bytes accepted (after decompression); a larger body aborts the
        /// transfer with ``HTTPClientError/responseTooLarge(limit:)``. Default 10 MiB: far above any
        /// job posting or board page, and bounds the memory a hostile or broken server can make us hold.
        public var maxResponseBytes: Int
        /// How many redirects to follow; `0` returns the `3xx` response itself. Default 5, as browsers
        /// follow a handful and longer chains are loops or abuse.
        public var maxRedirects: Int
        /// The `User-Agent` header unless a request sets its own. Default `Jobsmith/0.1`, so the sites
        /// we call can identify (and contact) us.
        public var userAgent: String

        public init(
            timeout: Duration = .seconds(30),
            connectTimeout: Duration = .seconds(10),
            maxResponseBytes: Int = 10 * 1024 * 1024,
            maxRedirects: Int = 5,
            userAgent: String = "Jobsmith/0.1"
        ) {
            self.timeout = timeout
            self.connectTimeout = connectTimeout
            self.maxResponseBytes = maxResponseBytes
            self.maxRedirects = maxRedirects
            self.userAgent = userAgent
        }
    }
}
