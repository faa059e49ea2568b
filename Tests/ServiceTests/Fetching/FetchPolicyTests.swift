import Foundation
import IngestionService
import Testing

@Suite("FetchPolicy, Retry-After and FetchError wording")
struct FetchPolicyTests {
    // MARK: Policy

    @Test func defaultsAreTheDocumentedOnes() {
        let policy = FetchPolicy()
        #expect(policy.userAgent == "Jobsmith/0.1 (+https://github.com/jobsmith; self-hosted job search)")
        #expect(policy.accept == "application/json, application/xml;q=0.9, text/html;q=0.8, */*;q=0.5")
        #expect(policy.minimumHostInterval == .seconds(1))
        #expect(policy.maxAttempts == 4)
        #expect(policy.baseBackoff == .milliseconds(500))
        #expect(policy.maxBackoff == .seconds(30))
        #expect(policy.maxRetryAfter == .seconds(60))
        #expect(policy.timeout == .seconds(30))
        #expect(policy.maxResponseBytes == 20 * 1024 * 1024)
    }

    @Test func backoffCeilingsDoubleUpToTheMaximum() {
        let policy = FetchPolicy()
        let ceilings = (1...8).map { policy.backoffCeiling(beforeRetry: $0) }
        let expected: [Duration] = [
            .milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(16), .seconds(30), .seconds(30),
        ]
        #expect(ceilings == expected)
        #expect(policy.backoffCeiling(beforeRetry: 10_000) == .seconds(30))
    }

    @Test(arguments: [(0.0, Duration.zero), (0.25, .milliseconds(500)), (1.0, .seconds(2)), (-3.0, .zero), (7.0, .seconds(2))])
    func fullJitterLandsBetweenZeroAndTheCeiling(jitter: Double, expected: Duration) {
        #expect(FetchPolicy().backoff(beforeRetry: 3, jitter: jitter) == expected)
    }

    // MARK: Retry-After

    /// Three seconds before ``FetchTestServer/boardDate``.
    static let now = Date(timeIntervalSince1970: FetchTestServer.boardDateSeconds - 3)

    @Test(arguments: [("1", Duration.seconds(1)), (" 120 ", .seconds(120)), ("0", .zero), ("3600", .seconds(3600))])
    func deltaSeconds(value: String, expected: Duration) {
        #expect(RetryAfter.delay(value, now: Self.now) == expected)
    }

    @Test(arguments: [
        "Wed, 21 Oct 2015 07:28:00 GMT",  // IMF-fixdate
        "Wednesday, 21-Oct-15 07:28:00 GMT",  // RFC 850
        "Wed Oct 21 07:28:00 2015",  // asctime
    ])
    func everyHTTPDateFormatIsMeasuredFromNow(value: String) {
        #expect(RetryAfter.delay(value, now: Self.now) == .seconds(3))
    }

    @Test func knownDatesConvertExactly() {
        // RFC 9110's own example, and a leap day.
        #expect(RetryAfter.delay("Sun, 06 Nov 1994 08:49:37 GMT", now: Date(timeIntervalSince1970: 784_111_767)) == .seconds(10))
        #expect(RetryAfter.delay("Thu, 29 Feb 2024 12:00:00 GMT", now: Date(timeIntervalSince1970: 1_709_207_999)) == .seconds(1))
        #expect(RetryAfter.delay("Thu, 29 Feb 2024 12:00:00 GMT", now: Date(timeIntervalSince1970: 1_709_207_999.25)) == .milliseconds(750))
    }

    @Test func aDateInThePastMeansNow() {
        #expect(RetryAfter.delay("Thu, 01 Jan 2015 00:00:00 GMT", now: Self.now) == .zero)
    }

    @Test func hugeDeltaSecondsStillReadAsLongerThanAnyLimit() {
        #expect(RetryAfter.delay("99999999999999999999999", now: Self.now) == .seconds(Int64.max))
    }

    @Test(arguments: [
        "", "soon", "-5", "1.5",
        "Wed, 21 Oct 2015 07:28:00 PST", "Wed, 32 Oct 2015 07:28:00 GMT",
        "Wed, 21 Foo 2015 07:28:00 GMT", "Wed, 21 Oct 2015 25:28:00 GMT",
    ])
    func unreadableValuesAreIgnored(value: String) {
        #expect(RetryAfter.delay(value, now: Self.now) == nil)
    }

    // MARK: FetchError

    @Test func errorsReadAsSentences() {
        let url = "https://api.lever.co/v0/postings/acme"
        #expect(
            FetchError.retriesExhausted(url: url, attempts: 4, status: 503, reason: "503 Service Unavailable").description
                == "GET \(url) failed after 4 attempts: 503 Service Unavailable"
        )
        #expect(FetchError.rejected(url: url, attempts: 1, status: 404).description == "GET \(url) answered 404 Not Found")
        #expect(FetchError.rejected(url: url, attempts: 2, status: 410).description == "GET \(url) answered 410 Gone on attempt 2")
        #expect(FetchError.rejected(url: url, attempts: 1, status: 499).description == "GET \(url) answered 499")
        #expect(
            FetchError.retryAfterTooLong(url: url, attempts: 1, status: 429, retryAfter: .seconds(3600), limit: .seconds(60)).description
                == "GET \(url) answered 429 Too Many Requests: Retry-After 3600 s exceeds the 60 s limit"
        )
        #expect(
            FetchError.responseTooLarge(url: url, attempts: 1, limit: 20 << 20).description
                == "GET \(url) failed: the response exceeded the 20 MiB cap"
        )
        #expect(
            FetchError.responseTooLarge(url: url, attempts: 1, limit: 1000).description
                == "GET \(url) failed: the response exceeded the 1000 bytes cap"
        )
    }
}
