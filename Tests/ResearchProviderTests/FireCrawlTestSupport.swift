import Foundation
import HTTPClient
import NIOPosix
import ResearchService
import Synchronization

/// A ``ResilienceClock`` under the test's control: it records every wait it is asked for and returns at
/// once, moving its time on by the wait (as a sequential caller would see), so rate limits, cool-downs,
/// backoff and `Retry-After` are asserted as values instead of by sleeping.
final class FireCrawlTestClock: ResilienceClock {
    private struct State {
        var elapsed: Duration = .zero
        var sleeps: [Duration] = []
    }

    private let origin = ContinuousClock.now
    /// 2023-11-14T22:13:20Z.
    static let wallOrigin = Date(timeIntervalSince1970: 1_700_000_000)
    private let state = Mutex(State())

    /// Every wait asked for, in order.
    var sleeps: [Duration] {
        state.withLock { $0.sleeps }
    }

    /// Moves time on by `duration`.
    func advance(by duration: Duration) {
        state.withLock { $0.elapsed += duration }
    }

    var now: ContinuousClock.Instant {
        origin + state.withLock { $0.elapsed }
    }

    var wallClock: Date {
        let (seconds, attoseconds) = state.withLock { $0.elapsed }.components
        return Self.wallOrigin.addingTimeInterval(Double(seconds) + Double(attoseconds) / 1e18)
    }

    func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        state.withLock { state in
            state.sleeps.append(duration)
            state.elapsed += duration
        }
    }
}

/// What a provider test works with.
struct FireCrawlHarness: Sendable {
    let api: FireCrawlFakeAPI
    let provider: FireCrawlProvider
    /// A bare client over the same limiter and breaker, for the endpoint tests.
    let client: FireCrawlClient
    let clock: FireCrawlTestClock
}

/// Settings for tests: generous rate limits (the tests of limits set their own), short retry pauses
/// (virtual anyway), and a timeout far above a loopback reply.
func fireCrawlTestConfiguration(baseURL: String, apiKey: String? = FireCrawlFakeAPI.apiKey) -> FireCrawlProvider.Configuration {
    FireCrawlProvider.Configuration(
        apiKey: apiKey,
        baseURL: baseURL,
        ratePerMinute: 1000,
        ratePerDay: 100_000,
        rateMaximumWait: .seconds(30),
        timeout: .seconds(10),
        maximumAttempts: 3,
        breakerFailures: 5,
        breakerCoolDown: .seconds(60),
        retryBaseDelay: .milliseconds(100),
        retryMaximumDelay: .seconds(10)
    )
}

/// Runs `body` with `api` on loopback and a provider (and client) pointed at it, over a started thread
/// pool that is shut down afterwards.
///
/// - Parameter configure: Adjusts the test configuration (rate limits, attempts, the key).
func withFireCrawlHarness<Result: Sendable>(
    _ api: FireCrawlFakeAPI = FireCrawlFakeAPI(),
    baseURL overrideBaseURL: String? = nil,
    configure: (inout FireCrawlProvider.Configuration) -> Void = { _ in },
    _ body: (FireCrawlHarness) async throws -> Result
) async throws -> Result {
    try await withFakeFireCrawl(api) { serverURL in
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        do {
            let httpClient = HTTPClient(threadPool: pool)
            var configuration = fireCrawlTestConfiguration(baseURL: overrideBaseURL ?? serverURL)
            configure(&configuration)
            let clock = FireCrawlTestClock()
            let provider = FireCrawlProvider(configuration: configuration, httpClient: httpClient, clock: clock)
            let client = FireCrawlClient(
                configuration: .init(
                    apiKey: configuration.apiKey ?? "",
                    baseURL: configuration.baseURL,
                    timeout: configuration.timeout,
                    maximumAttempts: configuration.maximumAttempts,
                    baseDelay: configuration.retryBaseDelay,
                    maximumDelay: configuration.retryMaximumDelay
                ),
                httpClient: httpClient,
                rateLimiter: provider.rateLimiter,
                circuitBreaker: provider.circuitBreaker,
                clock: clock
            )
            let result = try await body(FireCrawlHarness(api: api, provider: provider, client: client, clock: clock))
            try await pool.shutdownGracefully()
            return result
        } catch {
            try? await pool.shutdownGracefully()
            throw error
        }
    }
}

/// Runs `operation` and returns the ``FireCrawlError`` it threw, or nil when it threw nothing or
/// something else.
func fireCrawlError(of operation: () async throws -> Void) async -> FireCrawlError? {
    do {
        try await operation()
        return nil
    } catch {
        return error as? FireCrawlError
    }
}
