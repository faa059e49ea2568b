import Foundation
import ResearchService
import Testing

@Suite("RateLimiter on a manual clock")
struct FireCrawlRateLimiterTests {
    @Test func refusesPastThePerMinuteRateWhenItMayNotWait() async throws {
        let clock = FireCrawlTestClock()
        let limiter = RateLimiter(perMinute: 3, perDay: 100, maximumWait: .zero, clock: clock)
        for _ in 0..<3 { try await limiter.acquire() }
        clock.advance(by: .seconds(15))

        let error = try #require(await refusal { try await limiter.acquire() })
        #expect(error.kind == .minuteRate)
        #expect(error.retryAfter == .seconds(45))
        #expect(error.description.hasPrefix("rate limited: 3 calls per minute in use; next slot in 45 s"))
        #expect(clock.sleeps.isEmpty)
        // A full minute is a short wait, not unavailability.
        #expect(await limiter.unavailableReason() == nil)

        clock.advance(by: .seconds(45))
        try await limiter.acquire()
        #expect(await limiter.usage() == RateLimiter.Usage(lastMinute: 1, lastDay: 4))
    }

    @Test func waitsForAMinuteSlotWithinItsMaximumWait() async throws {
        let clock = FireCrawlTestClock()
        let limiter = RateLimiter(perMinute: 2, perDay: 100, maximumWait: .seconds(60), clock: clock)
        try await limiter.acquire()
        clock.advance(by: .seconds(10))
        try await limiter.acquire()
        clock.advance(by: .seconds(10))

        try await limiter.acquire()
        #expect(clock.sleeps == [.seconds(40)], "waited until the first call left the rolling minute")
        try await limiter.acquire()
        #expect(clock.sleeps == [.seconds(40), .seconds(10)])
        #expect(await limiter.usage() == RateLimiter.Usage(lastMinute: 2, lastDay: 4))
    }

    @Test func failsAtOnceWhenTheDailyQuotaIsSpent() async throws {
        let clock = FireCrawlTestClock()
        let limiter = RateLimiter(perMinute: 100, perDay: 3, maximumWait: .seconds(60), clock: clock)
        for _ in 0..<3 {
            try await limiter.acquire()
            clock.advance(by: .seconds(60))
        }
        let error = try #require(await refusal { try await limiter.acquire() })
        #expect(error.kind == .dailyQuota)
        #expect(error.retryAfter == .seconds(24 * 3600 - 180))
        #expect(clock.sleeps.isEmpty, "a spent day is never waited for")
        #expect(await limiter.unavailableReason() == "daily quota of 3 calls spent; next call in 23 h 57 min")

        // The window rolls: the first call leaves it a day after it started.
        clock.advance(by: .seconds(24 * 3600 - 180))
        #expect(await limiter.unavailableReason() == nil)
        try await limiter.acquire()
        #expect(await refusal { try await limiter.acquire() }?.kind == .dailyQuota)
    }

    @Test func theDefaultsAreTenAMinuteAndSixHundredADay() async {
        let limiter = RateLimiter()
        #expect(limiter.perMinute == 10)
        #expect(limiter.perDay == 600)
    }

    private func refusal(_ operation: () async throws -> Void) async -> RateLimitError? {
        do {
            try await operation()
            return nil
        } catch {
            return error as? RateLimitError
        }
    }
}

@Suite("CircuitBreaker on a manual clock")
struct FireCrawlCircuitBreakerTests {
    @Test func opensAfterConsecutiveFailuresOnly() async throws {
        let clock = FireCrawlTestClock()
        let breaker = CircuitBreaker(failureThreshold: 3, coolDown: .seconds(60), clock: clock)
        await breaker.recordFailure("HTTP 503")
        await breaker.recordFailure("HTTP 503")
        await breaker.recordSuccess()
        #expect(await breaker.state == .closed(consecutiveFailures: 0), "a success resets the count")
        for _ in 0..<3 { await breaker.recordFailure("timed out") }

        let refused = try #require(await refusal { try await breaker.permit() })
        #expect(refused.retryAfter == .seconds(60))
        #expect(await breaker.unavailableReason() == "circuit open until 2023-11-14T22:14:20Z (in 60 s; last failure: timed out)")
    }

    @Test func halfOpensAfterTheCoolDownForOneTrial() async throws {
        let clock = FireCrawlTestClock()
        let breaker = CircuitBreaker(failureThreshold: 1, coolDown: .seconds(30), clock: clock)
        await breaker.recordFailure("HTTP 500")
        clock.advance(by: .seconds(29))
        #expect(await refusal { try await breaker.permit() } != nil)

        clock.advance(by: .seconds(1))
        #expect(await breaker.unavailableReason() == nil)
        try await breaker.permit()
        // The trial is in flight: everyone else is still refused.
        let second = try #require(await refusal { try await breaker.permit() })
        #expect(second.retryAfter == nil)
        #expect(await breaker.unavailableReason() == "circuit half-open: a trial call is in flight; last failure: HTTP 500")

        await breaker.recordSuccess()
        #expect(await breaker.state == .closed(consecutiveFailures: 0))
        try await breaker.permit()
    }

    @Test func aFailedTrialReopensForAnotherCoolDown() async throws {
        let clock = FireCrawlTestClock()
        let breaker = CircuitBreaker(failureThreshold: 2, coolDown: .seconds(10), clock: clock)
        await breaker.recordFailure("HTTP 502")
        await breaker.recordFailure("HTTP 502")
        clock.advance(by: .seconds(10))
        try await breaker.permit()
        await breaker.recordFailure("HTTP 504")
        let refused = try #require(await refusal { try await breaker.permit() })
        #expect(refused.retryAfter == .seconds(10))
        #expect(refused.lastFailure == "HTTP 504")
    }

    @Test func anAbandonedTrialFreesTheSlot() async throws {
        let clock = FireCrawlTestClock()
        let breaker = CircuitBreaker(failureThreshold: 1, coolDown: .seconds(10), clock: clock)
        await breaker.recordFailure("HTTP 500")
        clock.advance(by: .seconds(10))
        try await breaker.permit()
        await breaker.recordAbandoned()
        try await breaker.permit()

        // A trial whose caller never reports is given up after a cool-down.
        clock.advance(by: .seconds(10))
        try await breaker.permit()
    }

    @Test func theDefaultsAreFiveFailuresAndSixtySeconds() async {
        let breaker = CircuitBreaker()
        #expect(breaker.failureThreshold == 5)
        #expect(breaker.coolDown == .seconds(60))
    }

    private func refusal(_ operation: () async throws -> Void) async -> CircuitOpenError? {
        do {
            try await operation()
            return nil
        } catch {
            return error as? CircuitOpenError
        }
    }
}

@Suite("FireCrawlProvider.Configuration from the environment")
struct FireCrawlConfigurationTests {
    @Test func defaults() throws {
        let configuration = try FireCrawlProvider.Configuration(environment: ["FIRECRAWL_API_KEY": "fc-abc123", "FIRECRAWL_RATE_PER_DAY": ""])
        #expect(configuration.apiKey == "fc-abc123")
        #expect(configuration.baseURL == "https://api.firecrawl.dev")
        #expect(configuration.ratePerMinute == 10)
        #expect(configuration.ratePerDay == 600)
        #expect(configuration.rateMaximumWait == .seconds(30))
        #expect(configuration.timeout == .seconds(30))
        #expect(configuration.maximumAttempts == 3)
        #expect(configuration.breakerFailures == 5)
        #expect(configuration.breakerCoolDown == .seconds(60))
    }

    @Test func readsEveryVariable() throws {
        let configuration = try FireCrawlProvider.Configuration(environment: [
            "FIRECRAWL_API_KEY": "  fc-abc123\n",
            "FIRECRAWL_BASE_URL": "http://firecrawl.internal:3002/",
            "FIRECRAWL_RATE_PER_MINUTE": "20",
            "FIRECRAWL_RATE_PER_DAY": "5000",
            "FIRECRAWL_RATE_MAX_WAIT_SECONDS": "0",
            "FIRECRAWL_TIMEOUT_SECONDS": "12.5",
            "FIRECRAWL_MAX_ATTEMPTS": "1",
            "FIRECRAWL_BREAKER_FAILURES": "8",
            "FIRECRAWL_BREAKER_COOLDOWN_SECONDS": "120",
        ])
        #expect(configuration.apiKey == "fc-abc123")
        #expect(configuration.baseURL == "http://firecrawl.internal:3002")
        #expect(configuration.ratePerMinute == 20)
        #expect(configuration.ratePerDay == 5000)
        #expect(configuration.rateMaximumWait == .zero)
        #expect(configuration.timeout == .milliseconds(12_500))
        #expect(configuration.maximumAttempts == 1)
        #expect(configuration.breakerFailures == 8)
        #expect(configuration.breakerCoolDown == .seconds(120))
    }

    @Test func anEmptyKeyIsNoKey() throws {
        #expect(try FireCrawlProvider.Configuration(environment: ["FIRECRAWL_API_KEY": " "]).apiKey == nil)
        #expect(try FireCrawlProvider.Configuration(environment: [:]).apiKey == nil)
    }

    @Test(arguments: [
        ("FIRECRAWL_RATE_PER_MINUTE", "ten", "FIRECRAWL_RATE_PER_MINUTE must be a whole number from 1 to 10000, got 'ten'"),
        ("FIRECRAWL_RATE_PER_DAY", "0", "FIRECRAWL_RATE_PER_DAY must be a whole number from 1 to 10000000, got '0'"),
        ("FIRECRAWL_MAX_ATTEMPTS", "11", "FIRECRAWL_MAX_ATTEMPTS must be a whole number from 1 to 10, got '11'"),
        ("FIRECRAWL_BREAKER_FAILURES", "2.5", "FIRECRAWL_BREAKER_FAILURES must be a whole number from 1 to 1000, got '2.5'"),
        ("FIRECRAWL_TIMEOUT_SECONDS", "0", "FIRECRAWL_TIMEOUT_SECONDS must be a number of seconds above 0 and at most 3600, got '0'"),
        ("FIRECRAWL_BREAKER_COOLDOWN_SECONDS", "-1", "FIRECRAWL_BREAKER_COOLDOWN_SECONDS must be a number of seconds from 0 to 86400, got '-1'"),
        ("FIRECRAWL_RATE_MAX_WAIT_SECONDS", "soon", "FIRECRAWL_RATE_MAX_WAIT_SECONDS must be a number of seconds from 0 to 3600, got 'soon'"),
        ("FIRECRAWL_BASE_URL", "api.firecrawl.dev", "FIRECRAWL_BASE_URL must be an http:// or https:// URL such as https://api.firecrawl.dev, got 'api.firecrawl.dev'"),
    ])
    func rejectsBadValuesNamingTheVariable(variable: String, value: String, message: String) {
        let error = #expect(throws: FireCrawlConfigurationError.self) {
            _ = try FireCrawlProvider.Configuration(environment: ["FIRECRAWL_API_KEY": "fc-abc123", variable: value])
        }
        #expect(error?.description == message)
        #expect(error?.variable == variable)
    }
}
