import Foundation
import HTTPTypes
import Logging
import Redis

/// Counts failed credentials per client in fixed windows, and locks a client out once it has failed
/// too often, so a token cannot be guessed by trying.
///
/// The count lives in Redis (`<prefix>:auth-failures:<client>`, expiring with its window), so every
/// gateway replica shares it. While a client is locked out every attempt is refused, a right token
/// too: otherwise the answer to a guess would still tell whether it was right.
///
/// When Redis cannot be reached the limiter lets attempts through (and logs it) rather than refusing
/// every write: the credentials are still checked, only their counting is lost.
struct FailureLimiter: Sendable {
    /// Failures a client may have in one window. Default 10 (`GATEWAY_AUTH_MAX_FAILURES`).
    let maximumFailures: Int
    /// Default 60 s, from the client's first failure.
    let window: Duration
    private let redis: RedisClient
    private let keyPrefix: String

    init(redis: RedisClient, streamPrefix: String, maximumFailures: Int = 10, window: Duration = .seconds(60)) {
        self.redis = redis
        self.keyPrefix = "\(streamPrefix):auth-failures:"
        self.maximumFailures = maximumFailures
        self.window = window
    }

    /// - Throws: `APIError.rateLimited` while `client` is locked out.
    func ensureAllowed(_ client: String, logger: Logger) async throws {
        let replies: [RedisReply]
        do {
            replies = try await redis.pipeline([["GET", key(of: client)], ["PTTL", key(of: client)]])
        } catch {
            logger.warning("Could not read failed attempts; letting the request through", metadata: ["error": "\(error)"])
            return
        }
        guard let failures = replies[0].int, failures >= maximumFailures else { return }
        if replies[1].int == -1 {
            // A counter without expiry (its transaction cut short) would lock the client out for good.
            _ = try? await redis.send("EXPIRE", key(of: client), Int(window.components.seconds))
        }
        throw APIError.rateLimited(retryAfterSeconds: Self.wholeSeconds(milliseconds: replies[1].int, fallback: window))
    }

    /// Counts one failure of `client`, starting its window with the first.
    func recordFailure(_ client: String, logger: Logger) async {
        let key = key(of: client)
        do {
            // One transaction: a counter must never be left without its expiry, or the client would
            // stay locked out for good.
            let replies = try await redis.pipeline([
                ["MULTI"], ["INCR", key], ["EXPIRE", key, Int(window.components.seconds), "NX"], ["EXEC"],
            ])
            if let failures = replies.last?.array?.first?.int, failures == maximumFailures {
                logger.notice("Client locked out after failed credentials", metadata: ["client.address": "\(client)"])
            }
        } catch {
            logger.warning("Could not count a failed attempt", metadata: ["error": "\(error)"])
        }
    }

    private func key(of client: String) -> String { keyPrefix + client }

    /// Milliseconds left as whole seconds, rounded up and at least 1; the whole window when unknown.
    private static func wholeSeconds(milliseconds: Int?, fallback: Duration) -> Int {
        guard let milliseconds, milliseconds > 0 else { return max(1, Int(fallback.components.seconds)) }
        return (milliseconds + 999) / 1000
    }
}

extension APIError {
    /// 429 with `Retry-After`: too many failed attempts.
    static func rateLimited(retryAfterSeconds seconds: Int) -> APIError {
        APIError(
            .tooManyRequests, code: "rate_limited", message: "too many failed attempts from this client; try again in \(seconds) s",
            headers: [.retryAfter: String(seconds)]
        )
    }
}
