import Foundation
import HTTPTypes
import Hummingbird
import Runtime

/// Which other web origins may call the API from a browser (CORS).
///
/// Off unless `GATEWAY_CORS_ORIGINS` lists origins (`https://jobs.example.com,http://localhost:5173`):
/// then requests from exactly those origins get the CORS headers, credentials included, so a UI
/// served from one of them can log in with a session. Other origins get no CORS headers at all, and
/// their browsers keep the answers from them.
struct CrossOriginPolicy: Sendable {
    static let methods = "GET, POST, PUT, PATCH, DELETE"
    static let headers = "Authorization, Content-Type, X-CSRF-Token"
    /// How long a browser may reuse a preflight answer, in seconds.
    static let preflightLifetime = "600"

    let allowedOrigins: Set<String>

    var isEnabled: Bool { !allowedOrigins.isEmpty }

    init(allowedOrigins: some Sequence<String> = []) {
        self.allowedOrigins = Set(allowedOrigins)
    }

    /// Reads `GATEWAY_CORS_ORIGINS`: a comma list of origins, each `scheme://host[:port]`.
    ///
    /// - Throws: `ConfigurationError` for anything that is not an origin — a wildcard or a path
    ///   included, since either would open more than the operator meant.
    init(environmentValue: String?) throws {
        var origins: [String] = []
        for entry in (environmentValue ?? "").split(separator: ",") {
            var origin = entry.trimmingCharacters(in: .whitespaces).lowercased()
            if origin.hasSuffix("/") { origin.removeLast() }
            guard !origin.isEmpty else { continue }
            guard let components = URLComponents(string: origin), let scheme = components.scheme, ["http", "https"].contains(scheme),
                  let host = components.host, !host.isEmpty, components.path.isEmpty, components.query == nil, components.user == nil
            else {
                throw ConfigurationError(
                    variable: "GATEWAY_CORS_ORIGINS",
                    problem: "'\(origin)' is not an origin such as https://jobs.example.com or http://localhost:5173"
                )
            }
            origins.append(origin)
        }
        self.init(allowedOrigins: origins)
    }

    /// The request's `Origin` when it is one of the allowed origins.
    func allowedOrigin(of request: Request) -> String? {
        guard isEnabled, let origin = request.headers[.origin]?.lowercased(), allowedOrigins.contains(origin) else { return nil }
        return origin
    }

    /// Whether the request is a CORS preflight: `OPTIONS` asking about a method.
    static func isPreflight(_ request: Request) -> Bool {
        request.method == .options && request.headers[.accessControlRequestMethod] != nil
    }

    /// The answer to a preflight from an allowed origin.
    func preflightResponse(origin: String) -> Response {
        var headers: HTTPFields = [
            .accessControlAllowMethods: Self.methods,
            .accessControlAllowHeaders: Self.headers,
            .accessControlMaxAge: Self.preflightLifetime,
        ]
        addHeaders(to: &headers, origin: origin)
        return Response(status: .noContent, headers: headers)
    }

    /// The headers of an actual response to an allowed origin.
    func addHeaders(to headers: inout HTTPFields, origin: String) {
        headers[.accessControlAllowOrigin] = origin
        headers[.accessControlAllowCredentials] = "true"
    }
}
