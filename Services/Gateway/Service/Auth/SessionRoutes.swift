import Foundation
import HTTPTypes
import Hummingbird
import Runtime
import Logging

/// Browser sessions for the web UI, which cannot keep a bearer token safe in a page.
///
/// - `POST /api/session` with `{"token": "…"}` logs in: it sets the `jobsmith_session` cookie
///   (`HttpOnly`, `SameSite=Strict`, `Path=/`, `Secure` with `GATEWAY_COOKIE_SECURE=1`) and answers
///   `{"csrf_token": "…", "expires_at": "…"}`. The UI sends the CSRF token as `X-CSRF-Token` on
///   every write.
/// - `GET /api/session` tells the UI where it stands: `{"authenticated", "requires_credentials",
///   "csrf_token"?, "expires_at"?}`.
/// - `DELETE /api/session` logs out.
struct SessionRoutes: Sendable {
    let access: AccessControl

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.post("session", use: logIn)
        api.get("session", use: current)
        api.delete("session", use: logOut)
    }

    struct LogIn: Decodable {
        var token: String
    }

    struct LoggedIn: ResponseEncodable {
        var csrfToken: String
        var expiresAt: Date

        enum CodingKeys: String, CodingKey {
            case csrfToken = "csrf_token"
            case expiresAt = "expires_at"
        }
    }

    struct State: ResponseEncodable {
        var authenticated: Bool
        /// Writes need a credential: the UI should offer to log in.
        var requiresCredentials: Bool
        var csrfToken: String?
        var expiresAt: Date?

        enum CodingKeys: String, CodingKey {
            case authenticated
            case requiresCredentials = "requires_credentials"
            case csrfToken = "csrf_token"
            case expiresAt = "expires_at"
        }
    }

    @Sendable func logIn(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<LoggedIn> {
        let body = try await decode(LogIn.self, from: request, context: context)
        try await access.checkLogin(token: body.token, request: request, context: context)
        guard let sessions = access.sessions else {
            throw APIError.unavailable("this gateway keeps no sessions")
        }
        let id: String, session: SessionStore.Session
        do {
            (id, session) = try await sessions.begin()
        } catch {
            throw APIError.unavailable("sessions cannot be stored right now: \(error)")
        }
        var response = EditedResponse(
            headers: [.cacheControl: "no-store"],
            response: LoggedIn(csrfToken: session.csrfToken, expiresAt: session.expiresAt)
        )
        response.setCookie(cookie(value: id, maximumAge: Int(sessions.lifetime.components.seconds)))
        context.logger.info("Browser session started")
        return response
    }

    @Sendable func current(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<State> {
        let found = try await access.session(of: request)
        return EditedResponse(
            headers: [.cacheControl: "no-store"],
            response: State(
                authenticated: found != nil,
                requiresCredentials: access.requiresCredentials,
                csrfToken: found?.session.csrfToken,
                expiresAt: found?.session.expiresAt
            )
        )
    }

    @Sendable func logOut(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        if let id = request.cookies[AccessControl.sessionCookie]?.value {
            try await access.sessions?.end(id)
        }
        var response = Response(status: .noContent, headers: [.cacheControl: "no-store"])
        // An expired cookie of the same name, path and attributes makes the browser drop it.
        response.setCookie(cookie(value: "", maximumAge: 0))
        return response
    }

    private func cookie(value: String, maximumAge: Int) -> Cookie {
        Cookie(
            name: AccessControl.sessionCookie,
            value: value,
            maxAge: maximumAge,
            path: "/",
            secure: access.secureCookies,
            httpOnly: true,
            sameSite: .strict
        )
    }
}
