import Foundation
import Redis

/// Browser sessions, kept in Redis so that every gateway replica accepts a session any of them began.
///
/// A session is a random 256-bit ID (the `jobsmith_session` cookie) and a random CSRF token that the
/// web UI sends back in `X-CSRF-Token` on writes. Redis holds them under `<prefix>:sessions:<SHA-256
/// of the ID>` with the session's lifetime as TTL: the key names no usable session, and Redis forgets
/// sessions on its own.
struct SessionStore: Sendable {
    struct Session: Codable, Sendable, Equatable {
        var csrfToken: String
        var expiresAt: Date

        enum CodingKeys: String, CodingKey {
            case csrfToken = "csrf_token"
            case expiresAt = "expires_at"
        }
    }

    /// How long a session lasts from logging in. Default 12 hours (`GATEWAY_SESSION_TTL_MINUTES`).
    let lifetime: Duration
    private let redis: RedisClient
    private let keyPrefix: String

    init(redis: RedisClient, streamPrefix: String, lifetime: Duration) {
        self.redis = redis
        self.keyPrefix = "\(streamPrefix):sessions:"
        self.lifetime = lifetime
    }

    /// Begins a session and returns its ID (for the cookie) with the session.
    func begin(now: Date = Date()) async throws -> (id: String, session: Session) {
        let id = Self.randomToken()
        let session = Session(csrfToken: Self.randomToken(), expiresAt: now.addingTimeInterval(Double(lifetime.components.seconds)))
        let value = try Self.encoder.encode(session)
        try await redis.send("SET", key(of: id), value, "EX", Int(lifetime.components.seconds))
        return (id, session)
    }

    /// The live session with this ID, or nil for an unknown, expired or malformed one.
    func session(_ id: String, now: Date = Date()) async throws -> Session? {
        guard Self.isWellFormed(id) else { return nil }
        let reply = try await redis.send("GET", key(of: id))
        guard let bytes = reply.bytes, let session = try? Self.decoder.decode(Session.self, from: Data(bytes)) else { return nil }
        // The TTL removes the key about on time; the expiry inside makes it exact.
        return session.expiresAt > now ? session : nil
    }

    /// Ends the session; ending an unknown one is not an error.
    func end(_ id: String) async throws {
        guard Self.isWellFormed(id) else { return }
        try await redis.send("DEL", key(of: id))
    }

    private func key(of id: String) -> String {
        keyPrefix + SHA256.hex(Array(id.utf8))
    }

    /// 32 random bytes from the system's cryptographically secure generator, as unpadded base64url
    /// (43 characters, safe in a cookie and a header).
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Only values shaped like `randomToken()` are looked up: anything else cannot be a session.
    private static func isWellFormed(_ id: String) -> Bool {
        id.utf8.count == 43 && id.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte == 0x2d || byte == 0x5f
        }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }()
}
