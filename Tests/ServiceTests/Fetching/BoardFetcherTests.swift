import Foundation
import HTTPClient
import IngestionService
import Logging
import NIOPosix
import Testing

/// A fetcher over a real ``HTTPClient`` and a fresh loopback ``FetchTestServer``, with a recording
/// sleeper and an in-memory validator store, so each test sees exactly its own requests and waits.
struct FetchHarness: Sendable {
    let fetcher: BoardFetcher
    let server: FetchTestServer
    let sleeper: RecordingSleeper
    let store: InMemoryConditionalGetStore
    let logs: CapturedLogs.Storage

    /// The default policy without host spacing, so the only waits recorded are those of retries.
    static var retryPolicy: FetchPolicy {
        var policy = FetchPolicy()
        policy.minimumHostInterval = .zero
        return policy
    }
}

/// Runs `body` with a ``FetchHarness`` and shuts its server and thread pool down afterwards.
func withFetchHarness<Result: Sendable>(
    policy: FetchPolicy = FetchHarness.retryPolicy,
    sleeper: RecordingSleeper = RecordingSleeper(),
    store: any ConditionalGetStore = InMemoryConditionalGetStore(),
    _ body: @Sendable (FetchHarness) async throws -> Result
) async throws -> Result {
    let pool = NIOThreadPool(numberOfThreads: 2)
    pool.start()
    let memory = store as? InMemoryConditionalGetStore ?? InMemoryConditionalGetStore()
    let (logger, logs) = CapturedLogs.logger()
    let fetcher = BoardFetcher(client: HTTPClient(threadPool: pool), policy: policy, store: store, sleeper: sleeper, logger: logger)
    do {
        let result = try await withFetchServer { server in
            try await body(FetchHarness(fetcher: fetcher, server: server, sleeper: sleeper, store: memory, logs: logs))
        }
        try await pool.shutdownGracefully()
        return result
    } catch {
        try? await pool.shutdownGracefully()
        throw error
    }
}

/// The error `operation` threw as a ``FetchError``; records an issue when it threw nothing or
/// something else.
func fetchError(_ operation: () async throws -> FetchResult, sourceLocation: SourceLocation = #_sourceLocation) async -> FetchError? {
    do {
        let result = try await operation()
        Issue.record("expected a FetchError, got \(result)", sourceLocation: sourceLocation)
        return nil
    } catch let error as FetchError {
        return error
    } catch {
        Issue.record("expected a FetchError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

@Suite("BoardFetcher against a loopback board")
struct BoardFetcherTests {
    // MARK: Identity

    @Test func sendsItsUserAgentAcceptAndTheCallersHeaders() async throws {
        try await withFetchHarness { harness in
            let result = try await harness.fetcher.fetch(
                harness.server.url("/headers"),
                headers: [HTTPHeader(name: "X-Board", value: "acme")]
            )
            let lines = try #require(result.response).bodyText.split(separator: "\n").map(String.init)
            #expect(lines.contains("user-agent: Jobsmith/0.1 (+https://github.com/jobsmith; self-hosted job search)"))
            #expect(lines.contains("accept: application/json, application/xml;q=0.9, text/html;q=0.8, */*;q=0.5"))
            #expect(lines.contains("x-board: acme"))
            // Nothing was saved yet, so the first request is unconditional.
            #expect(!lines.contains { $0.hasPrefix("if-none-match") || $0.hasPrefix("if-modified-since") })
        }
    }

    @Test func callerHeadersReplaceTheFetchersOwn() async throws {
        try await withFetchHarness { harness in
            _ = try await harness.fetcher.fetch(
                harness.server.url("/headers"),
                headers: [HTTPHeader(name: "accept", value: "application/rss+xml")]
            )
            let seen = try #require(harness.server.log.requests(to: "/headers").first)
            #expect(seen.headers["accept"] == "application/rss+xml")
        }
    }

    // MARK: Retries

    @Test func retriesA429AfterExactlyItsRetryAfter() async throws {
        try await withFetchHarness { harness in
            let result = try await harness.fetcher.fetch(harness.server.url("/rate-limited"))
            #expect(try #require(result.response).bodyText == FetchTestServer.boardBody)
            #expect(harness.server.log.count("/rate-limited") == 2)
            #expect(harness.sleeper.sleeps == [.seconds(1)])
        }
    }

    @Test func retryAfterGivenAsAnHTTPDateIsMeasuredFromTheWallClock() async throws {
        let threeSecondsBefore = Date(timeIntervalSince1970: FetchTestServer.boardDateSeconds - 3)
        try await withFetchHarness(sleeper: RecordingSleeper(wallClock: threeSecondsBefore)) { harness in
            let result = try await harness.fetcher.fetch(harness.server.url("/unavailable-until"))
            #expect(result.response?.status == 200)
            #expect(harness.sleeper.sleeps == [.seconds(3)])
        }
    }

    @Test func retries503sWithJitteredExponentialBackoff() async throws {
        try await withFetchHarness { harness in
            let result = try await harness.fetcher.fetch(harness.server.url("/flaky"))
            #expect(result.response?.status == 200)
            #expect(harness.server.log.count("/flaky") == 3)
            let sleeps = harness.sleeper.sleeps
            try #require(sleeps.count == 2)
            // Full jitter: anywhere from zero up to 500 ms, then up to 1 s.
            #expect(sleeps[0] >= .zero && sleeps[0] <= .milliseconds(500))
            #expect(sleeps[1] >= .zero && sleeps[1] <= .seconds(1))
        }
    }

    @Test func givesUpAfterMaxAttemptsWithTheLastStatus() async throws {
        try await withFetchHarness { harness in
            let url = harness.server.url("/broken")
            let error = try #require(await fetchError { try await harness.fetcher.fetch(url) })
            #expect(error.kind == .retriesExhausted)
            #expect(error.attempts == 4)
            #expect(error.status == 500)
            #expect(error.description == "GET \(url) failed after 4 attempts: 500 Internal Server Error")
            #expect(harness.server.log.count("/broken") == 4)
            let sleeps = harness.sleeper.sleeps
            try #require(sleeps.count == 3)
            for (sleep, ceiling) in zip(sleeps, [Duration.milliseconds(500), .seconds(1), .seconds(2)]) {
                #expect(sleep >= .zero && sleep <= ceiling)
            }
        }
    }

    @Test func retriesATimeout() async throws {
        var policy = FetchHarness.retryPolicy
        policy.timeout = .milliseconds(500)
        try await withFetchHarness(policy: policy) { harness in
            let result = try await harness.fetcher.fetch(harness.server.url("/slow-once"))
            #expect(result.response?.status == 200)
            #expect(harness.server.log.count("/slow-once") == 2)
            #expect(harness.sleeper.sleeps.count == 1)
            let retry = try #require(harness.logs.all.first { $0.message == "Retrying board request" })
            #expect(retry.metadata["fetch.reason"] == "no response within 500 ms")
        }
    }

    @Test func retriesConnectionFailures() async throws {
        var policy = FetchHarness.retryPolicy
        policy.maxAttempts = 2
        try await withFetchHarness(policy: policy) { harness in
            // Nothing listens on port 1 of the loopback address: the connection is refused at once.
            let url = "http://127.0.0.1:1/jobs"
            let error = try #require(await fetchError { try await harness.fetcher.fetch(url) })
            #expect(error.kind == .retriesExhausted)
            #expect(error.attempts == 2)
            #expect(error.status == nil)
            #expect(error.description.hasPrefix("GET \(url) failed after 2 attempts: HTTPClientError: HTTP connection failed"))
            #expect(harness.sleeper.sleeps.count == 1)
        }
    }

    // MARK: Failing at once

    @Test func a404FailsAtOnceWithoutSavingItsValidators() async throws {
        try await withFetchHarness { harness in
            let url = harness.server.url("/missing")
            let error = try #require(await fetchError { try await harness.fetcher.fetch(url) })
            #expect(error.kind == .rejected)
            #expect(error.status == 404)
            #expect(error.attempts == 1)
            #expect(error.description == "GET \(url) answered 404 Not Found")
            #expect(harness.server.log.count("/missing") == 1)
            #expect(harness.sleeper.sleeps.isEmpty)
            #expect(try await harness.store.validators(for: url) == nil)
        }
    }

    @Test func aRetryAfterBeyondTheLimitFailsWithTheReason() async throws {
        try await withFetchHarness { harness in
            let url = harness.server.url("/unavailable-long")
            let error = try #require(await fetchError { try await harness.fetcher.fetch(url) })
            #expect(error.kind == .retryAfterTooLong)
            #expect(error.description == "GET \(url) answered 503 Service Unavailable: Retry-After 3600 s exceeds the 60 s limit")
            #expect(harness.server.log.count("/unavailable-long") == 1)
            #expect(harness.sleeper.sleeps.isEmpty)
        }
    }

    @Test func aBodyOverTheCapFailsNamingTheCap() async throws {
        var policy = FetchHarness.retryPolicy
        policy.maxResponseBytes = 64 * 1024
        try await withFetchHarness(policy: policy) { harness in
            let url = harness.server.url("/large")
            let error = try #require(await fetchError { try await harness.fetcher.fetch(url) })
            #expect(error.kind == .responseTooLarge)
            #expect(error.description == "GET \(url) failed: the response exceeded the 64 KiB cap")
            #expect(harness.server.log.count("/large") == 1)
        }
    }

    // MARK: Conditional requests

    @Test func anETagMakesTheNextFetchConditional() async throws {
        try await withFetchHarness { harness in
            let url = harness.server.url("/etag")
            let first = try await harness.fetcher.fetch(url)
            #expect(first.response?.bodyText == FetchTestServer.boardBody)
            #expect(try await harness.store.validators(for: url) == Validators(etag: FetchTestServer.etag))

            let second = try await harness.fetcher.fetch(url)
            guard case .notModified = second else {
                Issue.record("expected .notModified, got \(second)")
                return
            }
            let seen = harness.server.log.requests(to: "/etag")
            try #require(seen.count == 2)
            #expect(seen[0].headers["if-none-match"] == nil)
            #expect(seen[1].headers["if-none-match"] == FetchTestServer.etag)
        }
    }

    @Test func lastModifiedMakesTheNextFetchConditional() async throws {
        try await withFetchHarness { harness in
            let url = harness.server.url("/last-modified")
            let first = try await harness.fetcher.fetch(url)
            #expect(first.response?.status == 200)
            #expect(try await harness.store.validators(for: url) == Validators(lastModified: FetchTestServer.boardDate))

            let second = try await harness.fetcher.fetch(url)
            guard case .notModified = second else {
                Issue.record("expected .notModified, got \(second)")
                return
            }
            let seen = harness.server.log.requests(to: "/last-modified")
            try #require(seen.count == 2)
            #expect(seen[0].headers["if-modified-since"] == nil)
            #expect(seen[1].headers["if-modified-since"] == FetchTestServer.boardDate)
            #expect(seen[1].headers["if-none-match"] == nil)
        }
    }

    @Test func anUnconditionalFetchNeitherSendsNorSavesValidators() async throws {
        try await withFetchHarness { harness in
            let url = harness.server.url("/etag")
            for _ in 0..<2 {
                let result = try await harness.fetcher.fetch(url, conditional: false)
                #expect(result.response?.bodyText == FetchTestServer.boardBody)
            }
            #expect(harness.server.log.requests(to: "/etag").allSatisfy { $0.headers["if-none-match"] == nil })
            #expect(try await harness.store.validators(for: url) == nil)
        }
    }

    @Test func staleValidatorsAreClearedWhenABoardStopsSendingThem() async throws {
        let store = InMemoryConditionalGetStore()
        try await withFetchHarness(store: store) { harness in
            let url = harness.server.url("/jobs")
            try await store.save(Validators(etag: "\"old\""), for: url)
            let result = try await harness.fetcher.fetch(url)
            #expect(result.response?.status == 200)
            #expect(harness.server.log.requests(to: "/jobs").first?.headers["if-none-match"] == "\"old\"")
            #expect(try await store.validators(for: url) == nil)
        }
    }

    @Test func aFailingStoreCostsAFullDownloadNotTheFetch() async throws {
        try await withFetchHarness(store: FailingConditionalGetStore()) { harness in
            let result = try await harness.fetcher.fetch(harness.server.url("/etag"))
            #expect(result.response?.status == 200)
            let messages = harness.logs.all.map(\.message)
            #expect(messages.contains("Could not read saved validators; fetching unconditionally"))
            #expect(messages.contains("Could not save validators"))
        }
    }

    // MARK: Politeness and secrecy

    @Test func concurrentFetchesToOneHostAreSpacedByTheInterval() async throws {
        var policy = FetchHarness.retryPolicy
        policy.minimumHostInterval = .seconds(1)
        try await withFetchHarness(policy: policy) { harness in
            let url = harness.server.url("/jobs")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<3 {
                    group.addTask { _ = try await harness.fetcher.fetch(url) }
                }
                try await group.waitForAll()
            }
            // The clock stands still: the three reserved slots 0, 1 s and 2 s from now.
            #expect(harness.sleeper.sleeps.sorted() == [.seconds(1), .seconds(2)])
            #expect(harness.server.log.count("/jobs") == 3)
        }
    }

    @Test func credentialsStayOutOfErrorsAndLogs() async throws {
        var policy = FetchHarness.retryPolicy
        policy.maxAttempts = 2
        try await withFetchHarness(policy: policy) { harness in
            let base = harness.server.baseURL.replacingOccurrences(of: "http://", with: "http://reader:pa55word@")
            let url = "\(base)/broken?api_key=s3cr3t&page=2"
            let error = try #require(
                await fetchError {
                    try await harness.fetcher.fetch(url, headers: [HTTPHeader(name: "Authorization", value: "Bearer t0ken")])
                }
            )
            let shown = "\(harness.server.baseURL)/broken?api_key=<redacted>&page=2"
            #expect(error.url == shown)
            #expect(error.description == "GET \(shown) failed after 2 attempts: 500 Internal Server Error")
            // The server did get the credentials: only what we report hides them.
            #expect(harness.server.log.requests(to: "/broken").first?.headers["authorization"] == "Bearer t0ken")
            let logged = harness.logs.all.map(\.text)
            #expect(!logged.isEmpty)
            for line in logged {
                #expect(!line.contains("s3cr3t") && !line.contains("pa55word") && !line.contains("t0ken"), "\(line)")
            }
        }
    }
}

/// A store whose database is down.
struct FailingConditionalGetStore: ConditionalGetStore {
    struct Unavailable: Error {}

    func validators(for url: String) async throws -> Validators? { throw Unavailable() }

    func save(_ validators: Validators, for url: String) async throws { throw Unavailable() }
}
