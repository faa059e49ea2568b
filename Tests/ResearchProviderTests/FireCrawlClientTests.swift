import Foundation
import ResearchService
import Testing

/// FireCrawl's 429 body, as its API words it.
private let rateLimitBody = "Rate limit exceeded. Consumed (req/min): 11, Remaining (req/min): 0. Upgrade your plan at https://firecrawl.dev/pricing for increased rate limits or please retry after 2s, resets at Wed Mar 04 2026 12:00:02 GMT+0000"

@Suite("FireCrawl client retries, Retry-After, circuit breaker and timeouts")
struct FireCrawlClientTests {
    @Test func honoursRetryAfterOn429ThenSucceeds() async throws {
        let api = FireCrawlFixtures.api
        api.script([.failure(429, rateLimitBody, headers: ["Retry-After": "2"])])
        try await withFireCrawlHarness(api) { harness in
            let results = try await harness.client.search(FireCrawlFixtures.overviewQuery)
            #expect(results.count == 4)
            #expect(harness.api.requests.count == 2)
            #expect(harness.clock.sleeps == [.seconds(2)], "the retry waited exactly what Retry-After asked")
            #expect(await harness.provider.circuitBreaker.state == .closed(consecutiveFailures: 0))
        }
    }

    @Test func backsOffExponentiallyWithJitterOn5xx() async throws {
        let api = FireCrawlFixtures.api
        api.script([
            .failure(502, "Bad Gateway"),
            FireCrawlFakeReply(status: 503, body: "<html><body>503 Service Temporarily Unavailable</body></html>"),
        ])
        try await withFireCrawlHarness(api) { harness in
            let results = try await harness.client.search(FireCrawlFixtures.newsQuery)
            #expect(results.map(\.url) == FireCrawlFixtures.news.map(\.url))
            #expect(harness.api.requests.count == 3)
            let sleeps = harness.clock.sleeps
            try #require(sleeps.count == 2)
            // Base 100 ms: the first pause is in [50, 100] ms, the second in [100, 200] ms.
            #expect(sleeps[0] >= .milliseconds(50) && sleeps[0] <= .milliseconds(100))
            #expect(sleeps[1] >= .milliseconds(100) && sleeps[1] <= .milliseconds(200))
        }
    }

    @Test func aRetryAfterLongerThanTheMaximumDelayFailsAtOnce() async throws {
        let api = FireCrawlFixtures.api
        api.script([.failure(429, rateLimitBody, headers: ["Retry-After": "3600"])])
        try await withFireCrawlHarness(api) { harness in
            let error = await fireCrawlError { _ = try await harness.client.search(FireCrawlFixtures.overviewQuery) }
            #expect(error?.kind == .retryAfterTooLong)
            #expect(error?.retryAfter == .seconds(3600))
            #expect(harness.api.requests.count == 1)
            #expect(harness.clock.sleeps.isEmpty)
        }
    }

    @Test func aBurstOf5xxOpensTheCircuitAndAHalfOpenTrialClosesIt() async throws {
        let api = FireCrawlFixtures.api
        api.script(Array(repeating: .failure(500, "Internal Server Error"), count: 5))
        try await withFireCrawlHarness(api) { harness in
            let provider = harness.provider
            // Three attempts fail; the breaker counts each.
            let first = await fireCrawlError { _ = try await provider.gather(FireCrawlFixtures.request) }
            #expect(first?.kind == .serverError)
            #expect(first?.attempts == 3)
            #expect(await provider.circuitBreaker.state == .closed(consecutiveFailures: 3))

            // Two more failures open the circuit mid-retry: the third attempt is never sent.
            let second = await fireCrawlError { _ = try await provider.gather(FireCrawlFixtures.request) }
            #expect(second?.kind == .circuitOpen)
            #expect(harness.api.requests.count == 5)
            let reason = try #require(await provider.unavailableReason())
            #expect(reason.hasPrefix("circuit open until 2023-11-14T22:"))
            #expect(reason.contains("last failure: HTTP 500"))

            // While open, calls are refused without touching the API.
            let refused = await fireCrawlError { _ = try await harness.client.search("anything") }
            #expect(refused?.kind == .circuitOpen)
            #expect(refused?.attempts == 0)
            #expect(harness.api.requests.count == 5)

            // After the cool-down one trial goes through, succeeds, and closes the circuit.
            harness.clock.advance(by: .seconds(61))
            #expect(await provider.unavailableReason() == nil)
            #expect(await provider.circuitBreaker.state == .halfOpen(trialStarted: nil))
            let findings = try await provider.gather(FireCrawlFixtures.request)
            #expect(findings.people.count == 7)
            #expect(await provider.circuitBreaker.state == .closed(consecutiveFailures: 0))
            #expect(harness.api.requests.count == 8)
        }
    }

    @Test func aFailedHalfOpenTrialReopensTheCircuit() async throws {
        let api = FireCrawlFixtures.api
        api.script(Array(repeating: .failure(503, "Service Unavailable"), count: 6))
        try await withFireCrawlHarness(api, configure: { $0.maximumAttempts = 1; $0.breakerFailures = 5 }) { harness in
            for _ in 0..<5 {
                _ = await fireCrawlError { _ = try await harness.client.search("q") }
            }
            #expect(await harness.provider.unavailableReason()?.hasPrefix("circuit open until") == true)
            harness.clock.advance(by: .seconds(60))
            let trial = await fireCrawlError { _ = try await harness.client.search("q") }
            #expect(trial?.kind == .serverError)
            #expect(harness.api.requests.count == 6)
            #expect(await harness.provider.unavailableReason()?.hasPrefix("circuit open until") == true)
        }
    }

    @Test func timesOutWhenTheAPIIsSlowerThanTheClientTimeout() async throws {
        let api = FireCrawlFixtures.api
        let slow = FireCrawlFakeReply(status: 200, body: fireCrawlJSON(["success": true, "data": [Any]()]), delay: .seconds(3))
        api.script([slow, slow])
        try await withFireCrawlHarness(api, configure: { $0.timeout = .milliseconds(200); $0.maximumAttempts = 2 }) { harness in
            let error = await fireCrawlError { _ = try await harness.client.search(FireCrawlFixtures.overviewQuery) }
            #expect(error?.kind == .timedOut)
            #expect(error?.attempts == 2)
            #expect(harness.api.requests.count == 2)
            #expect(harness.clock.sleeps.count == 1)
            #expect(await harness.provider.circuitBreaker.state == .closed(consecutiveFailures: 2))
        }
    }

    @Test func unauthorizedFailsAtOnceWithoutRetryingOrRevealingTheKey() async throws {
        let wrongKey = "fc-0000aaaa1111bbbb2222cccc3333dddd"
        try await withFireCrawlHarness(FireCrawlFixtures.api, configure: { $0.apiKey = wrongKey }) { harness in
            let error = try #require(await fireCrawlError { _ = try await harness.provider.gather(FireCrawlFixtures.request) })
            #expect(error.kind == .unauthorized)
            #expect(error.status == 401)
            #expect(error.attempts == 1)
            #expect(harness.api.requests.count == 1)
            #expect(harness.api.requests.first?.headers["authorization"] == "Bearer \(wrongKey)")
            #expect(harness.clock.sleeps.isEmpty)
            #expect(error.description.contains("Unauthorized: Invalid token"))
            #expect(!error.description.contains(wrongKey))
            // A 401 is a healthy API answering: it does not count towards opening the circuit.
            #expect(await harness.provider.circuitBreaker.state == .closed(consecutiveFailures: 0))
        }
    }

    @Test(arguments: [(402, FireCrawlError.Kind.paymentRequired), (403, .forbidden), (404, .rejected), (422, .rejected)])
    func otherClientErrorsFailAtOnce(status: Int, kind: FireCrawlError.Kind) async throws {
        let api = FireCrawlFixtures.api
        api.override { _ in .failure(status, "Payment Required: Insufficient credits to perform this request.") }
        try await withFireCrawlHarness(api) { harness in
            let error = await fireCrawlError { _ = try await harness.client.scrape("https://acmerobotics.com/about") }
            #expect(error?.kind == kind)
            #expect(harness.api.requests.count == 1)
        }
    }

    @Test func anEchoedKeyIsRedactedFromErrors() async throws {
        let api = FireCrawlFixtures.api
        api.override { request in
            .failure(400, "Bad Request: invalid header \(request.headers["authorization"] ?? "")")
        }
        try await withFireCrawlHarness(api) { harness in
            let error = try #require(await fireCrawlError { _ = try await harness.client.search("q") })
            #expect(!error.description.contains(FireCrawlFakeAPI.apiKey))
            #expect(error.description.contains("[redacted]"))
        }
    }

    @Test func retriesAConnectionFailureThenReportsIt() async throws {
        // Port 1 on loopback refuses connections at once.
        try await withFireCrawlHarness(baseURL: "http://127.0.0.1:1") { harness in
            let error = await fireCrawlError { _ = try await harness.client.search("q") }
            #expect(error?.kind == .connectionFailed)
            #expect(error?.attempts == 3)
            #expect(harness.clock.sleeps.count == 2)
        }
    }

    @Test func readsFireCrawlPayloadsWithTheirExtraFields() async throws {
        let api = FireCrawlFakeAPI()
        // A v1 search answer as FireCrawl sends it, warning and per-result metadata included, and a v2
        // one (`data.web`), which a newer self-hosted server answers with.
        let v1 = """
            {"success":true,"data":[{"url":"https://acmerobotics.com/about","title":"About | Acme Robotics",\
            "description":"We build robots.","markdown":"# About\\n\\nWe build robots for warehouses.",\
            "metadata":{"title":"About | Acme Robotics","sourceURL":"https://acmerobotics.com/about","statusCode":200,\
            "ogLocaleAlternate":[],"favicon":"https://acmerobotics.com/favicon.ico","creditsUsed":1}},\
            {"title":"","description":"","url":"","metadata":{"sourceURL":"https://acmerobotics.com/careers","title":"Careers"}}],\
            "warning":"Some results could not be scraped"}
            """
        let v2 = #"{"success":true,"data":{"web":[{"url":"https://acmerobotics.com/","title":"Acme Robotics","description":"Robots.","position":1}],"images":[]}}"#
        let scrape = ##"{"success":true,"data":{"markdown":"# Acme\n\nRobots.","metadata":{"title":"Acme","sourceURL":"https://acmerobotics.com/","url":"https://acmerobotics.com/","statusCode":200,"error":null}}}"##
        api.script([
            FireCrawlFakeReply(status: 200, body: v1), FireCrawlFakeReply(status: 200, body: v2), FireCrawlFakeReply(status: 200, body: scrape),
            FireCrawlFakeReply(status: 200, body: #"{"success":false,"error":"All scraping engines failed"}"#),
            FireCrawlFakeReply(status: 200, body: "<html>captive portal</html>"),
        ])
        try await withFireCrawlHarness(api) { harness in
            let client = harness.client
            let v1Results = try await client.search("q")
            #expect(
                v1Results == [
                    .init(url: "https://acmerobotics.com/about", title: "About | Acme Robotics", description: "We build robots.", markdown: "# About\n\nWe build robots for warehouses."),
                    .init(url: "https://acmerobotics.com/careers", title: "Careers"),
                ]
            )
            let v2Results = try await client.search("q")
            #expect(v2Results == [.init(url: "https://acmerobotics.com/", title: "Acme Robotics", description: "Robots.")])
            let page = try await client.scrape("https://acmerobotics.com")
            #expect(page == .init(url: "https://acmerobotics.com/", title: "Acme", markdown: "# Acme\n\nRobots.", statusCode: 200))

            let unsuccessful = await fireCrawlError { _ = try await client.scrape("https://acmerobotics.com/blocked") }
            #expect(unsuccessful?.kind == .invalidResponse)
            #expect(unsuccessful?.description.contains("All scraping engines failed") == true)
            let notJSON = await fireCrawlError { _ = try await client.search("q") }
            #expect(notJSON?.kind == .invalidResponse)
            #expect(harness.api.requests.count == 5, "a malformed 2xx is not retried")
        }
    }
}
