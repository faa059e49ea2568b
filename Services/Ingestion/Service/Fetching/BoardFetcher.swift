import HTTPClient
import Logging

/// Fetches job-board pages the way a polite client does: it says who it is, spaces its requests to each
/// host, retries what is worth retrying with backoff, honours `Retry-After`, and sends conditional
/// requests so an unchanged board costs a `304` instead of its whole body.
///
/// One fetcher serves a whole service: its ``HostRateLimiter`` spaces requests to a host across every
/// task that fetches through it.
///
/// What it retries (up to ``FetchPolicy/maxAttempts`` attempts in all): timeouts, connection failures,
/// `429` and `5xx`. A `Retry-After` on those sets the wait (and holds off the whole host, since the
/// server asked us, not one request, to wait); without one the wait is an exponential backoff with full
/// jitter. Everything else fails at once: a `4xx` will not change by asking again.
///
/// ```swift
/// let fetcher = BoardFetcher(client: client, policy: FetchPolicy(), store: InMemoryConditionalGetStore())
/// switch try await fetcher.fetch("https://api.lever.co/v0/postings/acme?mode=json") {
/// case .fresh(let response): try parse(response.body)
/// case .notModified: break  // nothing changed since the last run
/// }
/// ```
public final class BoardFetcher: Sendable {
    /// The policy every request follows.
    public let policy: FetchPolicy
    private let client: HTTPClient
    private let store: any ConditionalGetStore
    private let sleeper: any FetchSleeper
    private let limiter: HostRateLimiter
    private let logger: Logger

    /// - Parameters:
    ///   - client: Sends the requests. The policy's timeout, response cap and user agent override the
    ///     client's own for every request the fetcher makes.
    ///   - policy: User agent, pacing, retries and limits.
    ///   - store: Where validators are kept between runs, for conditional requests.
    ///   - sleeper: The clocks and the waiting; tests pass a fake that records what it is asked to wait.
    ///   - logger: Retries and store failures are logged here at `info`, with the URL's credentials
    ///     removed; request headers are never logged.
    public init(
        client: HTTPClient,
        policy: FetchPolicy,
        store: any ConditionalGetStore,
        sleeper: any FetchSleeper = RealSleeper(),
        logger: Logger = Logger(label: "jobsmith.ingestion.fetch")
    ) {
        self.client = client
        self.policy = policy
        self.store = store
        self.sleeper = sleeper
        self.limiter = HostRateLimiter(interval: policy.minimumHostInterval, sleeper: sleeper)
        self.logger = logger
    }

    /// Gets `url`, conditionally when validators were saved for it, retrying as the policy allows.
    ///
    /// Validators of a `200` response are saved for the next fetch of the same `url`; those of any
    /// other status are not.
    ///
    /// - Parameters:
    ///   - url: An absolute `http` or `https` URL.
    ///   - headers: Extra request headers (an API key, say); one named like a header the fetcher sets
    ///     (`User-Agent`, `Accept`, `If-None-Match`, `If-Modified-Since`) replaces it.
    ///   - conditional: Whether to send saved validators and save new ones (the default). Pass `false`
    ///     for a URL whose body is needed every time it is fetched — a board's later pages or a
    ///     posting's detail call after a changed first page — since a `304` leaves nothing to parse.
    /// - Returns: ``FetchResult/fresh(_:)`` with a `2xx` response, or ``FetchResult/notModified`` for
    ///   a `304`.
    /// - Throws: ``FetchError`` when the fetch fails (see ``FetchError/Kind``); `CancellationError` when
    ///   the task is cancelled.
    public func fetch(_ url: String, headers: [HTTPHeader] = [], conditional: Bool = true) async throws -> FetchResult {
        let host = FetchURL.host(of: url)
        let shownURL = FetchURL.redacted(url)
        var logger = self.logger
        logger[metadataKey: "fetch.url"] = "\(shownURL)"

        let saved = conditional ? await savedValidators(for: url, logger: logger) : nil
        let request = HTTPRequest(
            method: .get,
            url: url,
            headers: requestHeaders(validators: saved, extra: headers),
            timeout: policy.timeout,
            maxResponseBytes: policy.maxResponseBytes
        )
        let maxAttempts = max(1, policy.maxAttempts)
        var attempt = 0
        while true {
            attempt += 1
            try await limiter.waitForTurn(host: host)
            let step: Step
            do {
                let response = try await client.execute(request)
                step = decide(response, attempt: attempt, maxAttempts: maxAttempts, url: shownURL)
                if conditional, case .done(.fresh) = step, response.status == 200 {
                    await saveValidators(Validators(of: response), replacing: saved, for: url, logger: logger)
                }
            } catch let error as HTTPClientError {
                step = decide(error, attempt: attempt, maxAttempts: maxAttempts, url: shownURL)
            } catch let error as CancellationError {
                throw error
            } catch {
                step = .fail(.requestFailed(url: shownURL, attempts: attempt, reason: "\(error)"))
            }

            switch step {
            case .done(let result):
                return result
            case .fail(let error):
                throw error
            case .retry(let wait, let hostWide, let reason):
                logger.info(
                    "Retrying board request",
                    metadata: [
                        "fetch.attempt": "\(attempt)",
                        "fetch.reason": "\(reason)",
                        "fetch.delay_ms": "\(wait.fetchMilliseconds)",
                        "fetch.retry_after": "\(hostWide)",
                    ]
                )
                if hostWide {
                    // The next `waitForTurn` does the waiting, together with every other task on this host.
                    limiter.holdOff(host: host, for: wait)
                } else if wait > .zero {
                    try await sleeper.sleep(for: wait)
                }
            }
        }
    }

    // MARK: - Deciding

    /// What to do after an attempt.
    private enum Step {
        case done(FetchResult)
        /// Try again after `wait`; `hostWide` when the server set it with `Retry-After`. `reason` is
        /// for the log.
        case retry(wait: Duration, hostWide: Bool, reason: String)
        case fail(FetchError)
    }

    private func decide(_ response: HTTPResponse, attempt: Int, maxAttempts: Int, url: String) -> Step {
        let status = response.status
        switch status {
        case 200..<300:
            return .done(.fresh(response))
        case 304:
            return .done(.notModified)
        case 429, 500..<600:
            let reason = FetchError.statusText(status)
            guard attempt < maxAttempts else {
                return .fail(.retriesExhausted(url: url, attempts: attempt, status: status, reason: reason))
            }
            if let value = response.header("Retry-After"), let wait = RetryAfter.delay(value, now: sleeper.wallClock) {
                guard wait <= policy.maxRetryAfter else {
                    return .fail(
                        .retryAfterTooLong(url: url, attempts: attempt, status: status, retryAfter: wait, limit: policy.maxRetryAfter)
                    )
                }
                return .retry(wait: wait, hostWide: true, reason: reason)
            }
            return .retry(wait: backoff(beforeRetry: attempt), hostWide: false, reason: reason)
        default:
            return .fail(.rejected(url: url, attempts: attempt, status: status))
        }
    }

    private func decide(_ error: HTTPClientError, attempt: Int, maxAttempts: Int, url: String) -> Step {
        let reason: String
        switch error.kind {
        case .timedOut:
            reason = "no response within \(policy.timeout.fetchDescription)"
        case .connectionFailed:
            reason = error.description
        case .responseTooLarge:
            return .fail(.responseTooLarge(url: url, attempts: attempt, limit: policy.maxResponseBytes))
        default:
            return .fail(.requestFailed(url: url, attempts: attempt, reason: error.description))
        }
        guard attempt < maxAttempts else {
            return .fail(.retriesExhausted(url: url, attempts: attempt, status: nil, reason: reason))
        }
        return .retry(wait: backoff(beforeRetry: attempt), hostWide: false, reason: reason)
    }

    private func backoff(beforeRetry retry: Int) -> Duration {
        policy.backoff(beforeRetry: retry, jitter: Double.random(in: 0...1))
    }

    // MARK: - Request

    /// The fetcher's headers, then the conditional ones, with the caller's replacing any of the same
    /// name (compared case-insensitively, as HTTP field names are).
    private func requestHeaders(validators: Validators?, extra: [HTTPHeader]) -> [HTTPHeader] {
        let own = [
            HTTPHeader(name: "User-Agent", value: policy.userAgent),
            HTTPHeader(name: "Accept", value: policy.accept),
        ] + (validators?.conditionalHeaders ?? [])
        let overridden = Set(extra.map { $0.name.lowercased() })
        return own.filter { !overridden.contains($0.name.lowercased()) } + extra
    }

    // MARK: - Validators

    /// The saved validators, or `nil` when there are none or the store fails: a failing store costs a
    /// full download, not the fetch.
    private func savedValidators(for url: String, logger: Logger) async -> Validators? {
        do {
            return try await store.validators(for: url)
        } catch {
            logger.info("Could not read saved validators; fetching unconditionally", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Saves the validators of a `200` when they differ from those sent (so an unchanged board costs no
    /// write, and a board that stopped sending validators has the stale ones cleared). A failing store
    /// is logged and otherwise ignored: the response is good, and the next fetch is merely unconditional.
    private func saveValidators(_ validators: Validators, replacing saved: Validators?, for url: String, logger: Logger) async {
        guard validators != (saved ?? Validators()) else { return }
        do {
            try await store.save(validators, for: url)
        } catch {
            logger.info("Could not save validators", metadata: ["error": "\(error)"])
        }
    }
}

extension Duration {
    /// Whole milliseconds, for log metadata.
    var fetchMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds.multipliedReportingOverflow(by: 1000).overflow ? .max : seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
