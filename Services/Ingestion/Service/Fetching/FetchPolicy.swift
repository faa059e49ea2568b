/// How politely ``BoardFetcher`` treats the job boards it calls: who it says it is, how often it calls a
/// host, how it retries and how long and how much it waits for.
///
/// Every field has a default suited to public job-board APIs, so `FetchPolicy()` is a sensible start;
/// the service sets fields from its environment at the edge (see `IngestionService`).
///
/// ```swift
/// var policy = FetchPolicy()
/// policy.minimumHostInterval = .milliseconds(250)
/// let fetcher = BoardFetcher(client: client, policy: policy, store: InMemoryConditionalGetStore())
/// ```
public struct FetchPolicy: Sendable {
    /// The default ``userAgent``.
    public static let defaultUserAgent = "Jobsmith/0.1 (+https://github.com/jobsmith; self-hosted job search)"

    /// The default ``accept``.
    public static let defaultAccept = "application/json, application/xml;q=0.9, text/html;q=0.8, */*;q=0.5"

    /// The `User-Agent` sent with every request. Default ``defaultUserAgent``: names the project and
    /// where to learn about it, so a board's operators can tell who calls them and how to reach us
    /// instead of blocking an anonymous client.
    public var userAgent: String

    /// The `Accept` header. Default ``defaultAccept``: board APIs answer JSON, feeds XML and careers
    /// pages HTML, in that order of preference; anything else is still taken.
    public var accept: String

    /// The least time between the starts of two requests to the same host, whoever makes them.
    /// Default 1 s (`INGESTION_HOST_INTERVAL_MS`): a board's pages and detail calls then arrive at a
    /// pace no API limit we know of objects to, while other hosts are fetched at the same time.
    public var minimumHostInterval: Duration

    /// How many times one URL is tried, counting the first. Default 4 (`INGESTION_MAX_ATTEMPTS`):
    /// rides out a short outage or a burst of 429s without hammering a board that is really down.
    /// Values below 1 count as 1.
    public var maxAttempts: Int

    /// The backoff ceiling before the first retry; it doubles for each further retry. Default 500 ms.
    public var baseBackoff: Duration

    /// The most a backoff ceiling grows to. Default 30 s, so a run with a few retries still ends in
    /// minutes.
    public var maxBackoff: Duration

    /// The longest `Retry-After` that is waited out. Default 60 s: a board that asks for more (an hour
    /// is common) fails the fetch at once with the reason, and the next scheduled run tries again,
    /// rather than a run blocking for an hour.
    public var maxRetryAfter: Duration

    /// The limit for one attempt, from connecting to the last body byte. Default 30 s: long enough for
    /// a slow API's large page, short enough that a hung server frees its thread for a retry.
    public var timeout: Duration

    /// The most body bytes accepted per response. Default 20 MiB: above the largest board dump we have
    /// seen (a few MiB), and a bound on what a broken or hostile server can make us hold in memory.
    public var maxResponseBytes: Int

    public init(
        userAgent: String = FetchPolicy.defaultUserAgent,
        accept: String = FetchPolicy.defaultAccept,
        minimumHostInterval: Duration = .seconds(1),
        maxAttempts: Int = 4,
        baseBackoff: Duration = .milliseconds(500),
        maxBackoff: Duration = .seconds(30),
        maxRetryAfter: Duration = .seconds(60),
        timeout: Duration = .seconds(30),
        maxResponseBytes: Int = 20 * 1024 * 1024
    ) {
        self.userAgent = userAgent
        self.accept = accept
        self.minimumHostInterval = minimumHostInterval
        self.maxAttempts = maxAttempts
        self.baseBackoff = baseBackoff
        self.maxBackoff = maxBackoff
        self.maxRetryAfter = maxRetryAfter
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }
}

// MARK: - Backoff

extension FetchPolicy {
    /// The longest wait before retry number `retry` (1 for the retry after the first attempt):
    /// ``baseBackoff`` doubled `retry - 1` times, capped at ``maxBackoff``.
    public func backoffCeiling(beforeRetry retry: Int) -> Duration {
        let cap = max(maxBackoff, .zero)
        var ceiling = max(baseBackoff, .zero)
        var doublings = max(0, retry - 1)
        // Doubling stops at the cap, so a large retry number cannot overflow.
        while doublings > 0, ceiling < cap {
            ceiling = ceiling * 2
            doublings -= 1
        }
        return min(ceiling, cap)
    }

    /// The wait before retry number `retry` with "full jitter": a point between zero and
    /// ``backoffCeiling(beforeRetry:)`` chosen by `jitter`.
    ///
    /// Full jitter (rather than the bare exponential) keeps the instances that failed together — every
    /// replica hitting a board that just went down — from retrying together.
    ///
    /// - Parameters:
    ///   - jitter: Where in the range to land, from 0 (no wait) to 1 (the ceiling); the fetcher draws it
    ///     at random, tests pass fixed values. Values outside 0...1 are clamped.
    public func backoff(beforeRetry retry: Int, jitter: Double) -> Duration {
        let fraction = jitter.isNaN ? 0 : min(max(jitter, 0), 1)
        return backoffCeiling(beforeRetry: retry) * fraction
    }
}
