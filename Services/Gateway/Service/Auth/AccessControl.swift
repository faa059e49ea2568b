import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Messaging
import Runtime

/// Decides who may call write endpoints.
///
/// - With `GATEWAY_API_TOKEN` set, every write needs either `Authorization: Bearer <token>` or a
///   browser session (`POST /api/session` with the token) plus its CSRF token in `X-CSRF-Token`.
///   Failed credentials are counted per client; after too many the client is refused for a while
///   (`FailureLimiter`).
/// - Without a token, writes are open only while the gateway listens on loopback alone (one person's
///   machine); a gateway reachable from other hosts refuses every write until a token is configured.
///   Even then a browser page from another origin may not write: any web page the person visits
///   could otherwise post to `127.0.0.1`.
///
/// Secrets — the token, session IDs, CSRF tokens — are compared in constant time and never logged.
struct AccessControl: Sendable {
    /// The session cookie's name.
    static let sessionCookie = "jobsmith_session"
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    private let token: [UInt8]?
    /// The gateway listens on an address other hosts can reach.
    let listensBeyondLoopback: Bool
    /// Nil where sessions are not offered (no Redis to keep them in).
    let sessions: SessionStore?
    /// Nil where failures are not counted.
    let failures: FailureLimiter?
    let clientAddress: ClientAddress
    let crossOrigin: CrossOriginPolicy
    /// Session cookies carry `Secure` (`GATEWAY_COOKIE_SECURE=1`): set it when browsers reach the
    /// gateway over HTTPS, so the cookie never travels in clear.
    let secureCookies: Bool

    init(
        token: String?,
        host: String,
        sessions: SessionStore? = nil,
        failures: FailureLimiter? = nil,
        clientAddress: ClientAddress = ClientAddress(trustForwardedFor: false),
        crossOrigin: CrossOriginPolicy = CrossOriginPolicy(),
        secureCookies: Bool = false
    ) {
        self.token = token.flatMap { $0.isEmpty ? nil : Array($0.utf8) }
        self.listensBeyondLoopback = !Self.isLoopback(host)
        self.sessions = sessions
        self.failures = failures
        self.clientAddress = clientAddress
        self.crossOrigin = crossOrigin
        self.secureCookies = secureCookies
    }

    /// Reads the gateway's security settings: `GATEWAY_API_TOKEN`, `GATEWAY_SESSION_TTL_MINUTES`,
    /// `GATEWAY_COOKIE_SECURE`, `GATEWAY_CORS_ORIGINS`, `GATEWAY_TRUST_FORWARDED_FOR` and
    /// `GATEWAY_AUTH_MAX_FAILURES`.
    ///
    /// - Throws: `ConfigurationError` naming the first setting with an unusable value.
    init(context: ServiceContext) throws {
        let environment = context.configuration.environment
        let prefix = context.streams.prefix
        let sessionMinutes = try environment.int("GATEWAY_SESSION_TTL_MINUTES", default: 12 * 60, range: 1...43_200)
        let maximumFailures = try environment.int("GATEWAY_AUTH_MAX_FAILURES", default: 10, range: 1...1_000_000)
        self.init(
            token: environment.string("GATEWAY_API_TOKEN"),
            host: context.configuration.httpHost,
            sessions: SessionStore(redis: context.redis, streamPrefix: prefix, lifetime: .seconds(sessionMinutes * 60)),
            failures: FailureLimiter(redis: context.redis, streamPrefix: prefix, maximumFailures: maximumFailures),
            clientAddress: ClientAddress(trustForwardedFor: try Self.flag("GATEWAY_TRUST_FORWARDED_FOR", in: environment)),
            crossOrigin: try CrossOriginPolicy(environmentValue: environment.string("GATEWAY_CORS_ORIGINS")),
            secureCookies: try Self.flag("GATEWAY_COOKIE_SECURE", in: environment)
        )
    }

    /// Whether writes need a credential at all.
    var requiresCredentials: Bool { token != nil || listensBeyondLoopback }

    /// The middleware that serves CORS; register it on the router before `APIErrorMiddleware`.
    var middleware: CrossOriginMiddleware<ServiceRequestContext> { CrossOriginMiddleware(policy: crossOrigin) }

    // MARK: - Writes

    /// - Throws: `APIError` — 401 `unauthorized` without valid credentials, 403 `csrf` for a session
    ///   write without its CSRF token (or a cross-origin write to an open gateway), 429
    ///   `rate_limited` while the client is locked out.
    func authorizeWrite(_ request: Request, context: some RequestContext) async throws {
        guard token != nil else {
            if listensBeyondLoopback {
                throw APIError.unauthorized("write endpoints are disabled: the gateway listens beyond loopback, so start it with GATEWAY_API_TOKEN set")
            }
            try refuseOtherOrigins(request)
            return
        }
        let client = clientAddress.key(of: request, context: context)
        try await failures?.ensureAllowed(client, logger: context.logger)
        if let authorization = request.headers[.authorization] {
            guard authorization.hasPrefix("Bearer "), isToken(authorization.dropFirst("Bearer ".count)) else {
                await failures?.recordFailure(client, logger: context.logger)
                throw APIError.unauthorized("the token is not valid")
            }
            return
        }
        if let sessions, let sessionID = request.cookies[Self.sessionCookie]?.value {
            guard let session = try await lookUp(sessionID, in: sessions) else {
                throw APIError.unauthorized("the session has expired or ended: log in again")
            }
            guard let presented = request.headers[Self.csrfHeader],
                  Self.constantTimeEqual(Array(presented.utf8), Array(session.csrfToken.utf8))
            else {
                throw APIError(.forbidden, code: "csrf", message: "a write with a session cookie needs the session's CSRF token in X-CSRF-Token")
            }
            return
        }
        throw APIError.unauthorized("send Authorization: Bearer <token>, or log in with POST /api/session")
    }

    /// An open gateway still refuses writes a browser sends from another origin's page. Clients that
    /// are not browsers send no `Origin`, and the gateway's own pages send their own.
    private func refuseOtherOrigins(_ request: Request) throws {
        guard let origin = request.headers[.origin] else { return }
        if crossOrigin.allowedOrigin(of: request) != nil { return }
        if let authority = request.head.authority, origin == "http://\(authority)" || origin == "https://\(authority)" { return }
        throw APIError(.forbidden, code: "csrf", message: "writes from a page of another origin (\(origin)) are refused")
    }

    // MARK: - Sessions

    /// Checks the token a person typed into the login form; counts a wrong one as a failure.
    ///
    /// - Throws: 401 for a wrong token, 429 while the client is locked out, 400 when the gateway has
    ///   no token to log in with.
    func checkLogin(token presented: String, request: Request, context: some RequestContext) async throws {
        guard token != nil else {
            if listensBeyondLoopback {
                throw APIError.unauthorized("logging in is disabled: the gateway listens beyond loopback, so start it with GATEWAY_API_TOKEN set")
            }
            throw APIError.badRequest("the gateway has no GATEWAY_API_TOKEN: writes are open on loopback and need no session")
        }
        let client = clientAddress.key(of: request, context: context)
        try await failures?.ensureAllowed(client, logger: context.logger)
        guard isToken(presented[...]) else {
            await failures?.recordFailure(client, logger: context.logger)
            throw APIError.unauthorized("the token is not valid")
        }
    }

    /// The live session the request's cookie names, if any.
    func session(of request: Request) async throws -> (id: String, session: SessionStore.Session)? {
        guard let sessions, let id = request.cookies[Self.sessionCookie]?.value else { return nil }
        return try await lookUp(id, in: sessions).map { (id, $0) }
    }

    private func lookUp(_ id: String, in sessions: SessionStore) async throws -> SessionStore.Session? {
        do {
            return try await sessions.session(id)
        } catch {
            throw APIError.unavailable("sessions cannot be checked right now: \(error)")
        }
    }

    // MARK: - Comparing secrets

    private func isToken(_ presented: Substring) -> Bool {
        guard let token else { return false }
        return Self.constantTimeEqual(Array(presented.utf8), token)
    }

    /// Compares in time that depends only on the expected length, so response timing does not reveal
    /// a matching prefix.
    static func constantTimeEqual(_ presented: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference = UInt8(presented.count == expected.count ? 0 : 1)
        for index in 0..<expected.count {
            difference |= expected[index] ^ (index < presented.count ? presented[index] : 0)
        }
        return difference == 0
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// `1`/`true` or `0`/`false`; absent is false.
    private static func flag(_ name: String, in environment: EnvironmentReader) throws -> Bool {
        guard let value = environment.string(name)?.lowercased() else { return false }
        switch value {
        case "1", "true", "yes": return true
        case "0", "false", "no": return false
        default: throw ConfigurationError(variable: name, problem: "'\(value)' is not 1 or 0")
        }
    }
}
