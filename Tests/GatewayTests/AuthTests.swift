import Foundation
@testable import GatewayService
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Messaging
import NIOPosix
import Redis
import Runtime
import Testing

/// Serialized because each test's fixture creates and drops a database with blocking calls on the
/// shared concurrency pool (`withTestDatabase`): many at once stall timing-sensitive tests elsewhere.
@Suite("Authentication", .serialized) struct AuthTests {
    /// A write every gateway has and that changes nothing here: re-sending the dead letters of an
    /// empty stream.
    static let write = "/api/dead-letters/jobs:ingested/retry-all"
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    // MARK: - Bearer token

    @Test func writesNeedTheRightBearerToken() async throws {
        try await withGateway { client, _ in
            try await client.execute(uri: Self.write, method: .post) { response in
                #expect(response.status == .unauthorized)
                #expect(response.errorCode == "unauthorized")
            }
            for header in ["Bearer wrong-token", "Basic \(testToken)", "Bearer \(testToken)x", "Bearer "] {
                try await client.execute(uri: Self.write, method: .post, headers: [.authorization: header]) { response in
                    #expect(response.status == .unauthorized, "\(header)")
                }
            }
            try await client.execute(uri: Self.write, method: .post, headers: [.authorization: "Bearer \(testToken)"]) { response in
                #expect(response.status == .ok)
            }
            // Reads stay open.
            try await client.execute(uri: "/api/dead-letters", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func withoutATokenWritesAreOpenOnLoopbackButNotToOtherOrigins() async throws {
        try await withGateway(environment: ["GATEWAY_API_TOKEN": ""]) { client, _ in
            try await client.execute(uri: Self.write, method: .post) { response in
                #expect(response.status == .ok)
            }
            // The test client's requests are for `localhost`: a page of that origin may write.
            try await client.execute(uri: Self.write, method: .post, headers: [.origin: "http://localhost"]) { response in
                #expect(response.status == .ok)
            }
            // Any other web page the person visits may not.
            try await client.execute(uri: Self.write, method: .post, headers: [.origin: "https://attacker.example"]) { response in
                #expect(response.status == .forbidden)
                #expect(response.errorCode == "csrf")
            }
            try await client.execute(uri: "/api/session", method: .get) { response in
                let state = try response.object()
                #expect(state["requires_credentials"] as? Bool == false)
                #expect(state["authenticated"] as? Bool == false)
            }
            try await client.execute(uri: "/api/session", method: .post, body: try jsonBody(["token": "anything"])) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func withoutATokenAGatewayReachableFromOtherHostsRefusesWrites() async throws {
        try await withGateway(environment: ["GATEWAY_API_TOKEN": "", "HTTP_HOST": "0.0.0.0"]) { client, _ in
            try await client.execute(uri: Self.write, method: .post) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: Self.write, method: .post, headers: [.authorization: "Bearer anything"]) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/api/session", method: .get) { response in
                let state = try response.object()
                #expect(state["requires_credentials"] as? Bool == true)
            }
        }
    }

    // MARK: - Sessions

    @Test func aSessionCookieWritesWithItsCSRFTokenUntilLogout() async throws {
        try await withGateway { client, context in
            let (cookie, csrf) = try await logIn(client)
            #expect(cookie.hasPrefix("jobsmith_session="))
            let id = String(cookie.dropFirst("jobsmith_session=".count))
            #expect(id.count == 43)
            // Redis knows the session by a digest of its ID only.
            #expect(try await context.redis.send("EXISTS", "\(context.streams.prefix):sessions:\(SHA256.hex(Array(id.utf8)))").int == 1)
            #expect(try await context.redis.send("EXISTS", "\(context.streams.prefix):sessions:\(id)").int == 0)

            try await client.execute(uri: "/api/session", method: .get, headers: [.cookie: cookie]) { response in
                let state = try response.object()
                #expect(state["authenticated"] as? Bool == true)
                #expect(state["requires_credentials"] as? Bool == true)
                #expect(state["csrf_token"] as? String == csrf)
                #expect(response.headers[.cacheControl] == "no-store")
            }
            try await client.execute(uri: Self.write, method: .post, headers: [.cookie: cookie]) { response in
                #expect(response.status == .forbidden)
                #expect(response.errorCode == "csrf")
            }
            try await client.execute(uri: Self.write, method: .post, headers: [.cookie: cookie, Self.csrfHeader: csrf + "x"]) { response in
                #expect(response.status == .forbidden)
                #expect(response.errorCode == "csrf")
            }
            try await client.execute(uri: Self.write, method: .post, headers: [.cookie: cookie, Self.csrfHeader: csrf]) { response in
                #expect(response.status == .ok)
            }

            try await client.execute(uri: "/api/session", method: .delete, headers: [.cookie: cookie]) { response in
                #expect(response.status == .noContent)
                let cleared = response.headers[.setCookie] ?? ""
                #expect(cleared.hasPrefix("jobsmith_session=;") && cleared.contains("Max-Age=0"))
            }
            try await client.execute(uri: Self.write, method: .post, headers: [.cookie: cookie, Self.csrfHeader: csrf]) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/api/session", method: .get, headers: [.cookie: cookie]) { response in
                let state = try response.object()
                #expect(state["authenticated"] as? Bool == false)
                #expect(state["csrf_token"] == nil)
            }
        }
    }

    @Test func theSessionCookieIsHttpOnlyStrictAndSecureWhenAsked() async throws {
        try await withGateway { client, _ in
            let header = try await logInHeader(client)
            let attributes = Set(header.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) })
            #expect(attributes == ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"])
        }
        try await withGateway(environment: ["GATEWAY_COOKIE_SECURE": "1", "GATEWAY_SESSION_TTL_MINUTES": "30"]) { client, _ in
            let header = try await logInHeader(client)
            #expect(header.contains("; Secure"))
            #expect(header.contains("Max-Age=1800"))
        }
    }

    @Test func aSessionBegunOnOneReplicaIsAcceptedByAnother() async throws {
        try await withGateway { client, context in
            let (cookie, csrf) = try await logIn(client)
            // A second gateway on the same Redis and prefix, as a second replica would be.
            let other = Router(context: ServiceRequestContext.self)
            try GatewayRoutes(context: context).add(to: other)
            try await Application(router: other).test(.router) { second in
                try await second.execute(uri: Self.write, method: .post, headers: [.cookie: cookie, Self.csrfHeader: csrf]) { response in
                    #expect(response.status == .ok)
                }
            }
        }
    }

    // MARK: - Failed attempts

    @Test func elevenFailedAttemptsLockTheClientOutEvenWithTheRightToken() async throws {
        try await withGateway { client, _ in
            for attempt in 1...10 {
                // Wrong bearer tokens on writes and wrong tokens at login count alike.
                if attempt.isMultiple(of: 2) {
                    try await client.execute(uri: Self.write, method: .post, headers: [.authorization: "Bearer guess-\(attempt)"]) { response in
                        #expect(response.status == .unauthorized)
                    }
                } else {
                    try await client.execute(uri: "/api/session", method: .post, body: try jsonBody(["token": "guess-\(attempt)"])) { response in
                        #expect(response.status == .unauthorized)
                    }
                }
            }
            try await client.execute(uri: Self.write, method: .post, headers: [.authorization: "Bearer guess-11"]) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.errorCode == "rate_limited")
                let retryAfter = Int(response.headers[.retryAfter] ?? "") ?? 0
                #expect((1...60).contains(retryAfter))
            }
            try await client.execute(uri: Self.write, method: .post, headers: [.authorization: "Bearer \(testToken)"]) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.retryAfter] != nil)
            }
            try await client.execute(uri: "/api/session", method: .post, body: try jsonBody(["token": testToken])) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.setCookie] == nil)
            }
        }
    }

    // MARK: - CORS

    @Test func corsIsOffByDefault() async throws {
        try await withGateway { client, _ in
            let preflight: HTTPFields = [.origin: "https://ui.example", .accessControlRequestMethod: "POST"]
            try await client.execute(uri: Self.write, method: .options, headers: preflight) { response in
                #expect(!response.headers.contains { $0.name.canonicalName.hasPrefix("access-control-") })
            }
            try await client.execute(uri: "/api/session", method: .get, headers: [.origin: "https://ui.example"]) { response in
                #expect(response.status == .ok)
                #expect(!response.headers.contains { $0.name.canonicalName.hasPrefix("access-control-") })
            }
        }
    }

    @Test func corsAnswersTheConfiguredOriginsOnly() async throws {
        try await withGateway(environment: ["GATEWAY_CORS_ORIGINS": "https://ui.example, http://localhost:5173/"]) { client, _ in
            let preflight: HTTPFields = [.origin: "https://ui.example", .accessControlRequestMethod: "DELETE", .accessControlRequestHeaders: "x-csrf-token"]
            try await client.execute(uri: Self.write, method: .options, headers: preflight) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.accessControlAllowOrigin] == "https://ui.example")
                #expect(response.headers[.accessControlAllowCredentials] == "true")
                #expect(response.headers[.accessControlAllowMethods]?.contains("DELETE") == true)
                #expect(response.headers[.accessControlAllowHeaders]?.contains("X-CSRF-Token") == true)
            }
            try await client.execute(uri: "/api/session", method: .get, headers: [.origin: "http://localhost:5173"]) { response in
                #expect(response.headers[.accessControlAllowOrigin] == "http://localhost:5173")
                #expect(response.headers[.vary] == "Origin")
            }
            // Failures carry the headers too, so the page can read the error.
            try await client.execute(uri: Self.write, method: .post, headers: [.origin: "https://ui.example"]) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.accessControlAllowOrigin] == "https://ui.example")
            }
            try await client.execute(uri: "/api/no-such-thing", method: .get, headers: [.origin: "https://ui.example"]) { response in
                #expect(response.status == .notFound)
                #expect(response.errorCode == "not_found")
                #expect(response.headers[.accessControlAllowOrigin] == "https://ui.example")
            }
            let stranger: HTTPFields = [.origin: "https://other.example", .accessControlRequestMethod: "POST"]
            try await client.execute(uri: Self.write, method: .options, headers: stranger) { response in
                #expect(response.headers[.accessControlAllowOrigin] == nil)
            }
        }
    }

    @Test(arguments: [
        ["GATEWAY_CORS_ORIGINS": "*"],
        ["GATEWAY_CORS_ORIGINS": "https://ui.example/app"],
        ["GATEWAY_COOKIE_SECURE": "maybe"],
        ["GATEWAY_SESSION_TTL_MINUTES": "0"],
        ["GATEWAY_AUTH_MAX_FAILURES": "0"],
    ])
    func unusableSettingsStopTheGatewayAtStart(_ settings: [String: String]) throws {
        // Building the routes reads the settings and connects to nothing, so no database is needed.
        var values = ["GATEWAY_API_TOKEN": testToken]
        values.merge(settings) { _, new in new }
        let context = try ServiceContext(
            configuration: try ServiceConfiguration(service: .gateway, environment: EnvironmentReader(values)),
            logger: Logger(label: "test"),
            threadPool: .singleton
        )
        #expect(throws: ConfigurationError.self) { try GatewayRoutes(context: context) }
    }

    @Test func sha256MatchesTheStandardsVectors() {
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    // MARK: - Helpers

    /// Logs in with the test token and returns the `Set-Cookie` header.
    @Test func failuresCountAgainstTheConnectionsAddress() async throws {
        try await withGateway(testing: .live) { client, context in
            try await client.execute(uri: Self.write, method: .post, headers: [.authorization: "Bearer wrong"]) { response in
                #expect(response.status == .unauthorized)
            }
            // Counted under the peer's address, not under one key shared by every client.
            let prefix = context.streams.prefix
            let counted = try await context.redis.send("GET", "\(prefix):auth-failures:127.0.0.1")
            #expect(counted.string == "1")
            #expect(try await context.redis.send("EXISTS", "\(prefix):auth-failures:unknown").int == 0)
        }
    }

    func logInHeader(_ client: any TestClientProtocol) async throws -> String {
        try await client.execute(uri: "/api/session", method: .post, body: try jsonBody(["token": testToken])) { response in
            #expect(response.status == .ok)
            return try #require(response.headers[.setCookie])
        }
    }

    /// Logs in and returns the cookie to send back (`jobsmith_session=…`) and the CSRF token.
    func logIn(_ client: any TestClientProtocol) async throws -> (cookie: String, csrf: String) {
        try await client.execute(uri: "/api/session", method: .post, body: try jsonBody(["token": testToken])) { response in
            #expect(response.status == .ok)
            let setCookie = try #require(response.headers[.setCookie])
            let body = try response.object()
            let csrf = try #require(body["csrf_token"] as? String)
            #expect(body["expires_at"] is String)
            return (String(setCookie.prefix { $0 != ";" }), csrf)
        }
    }
}
