import HTTPTypes
import Hummingbird

/// Serves CORS (see `CrossOriginPolicy`): answers preflights from allowed origins and adds the CORS
/// headers to their responses, failures included, since a page can only read an answer that carries
/// them. Without configured origins it passes every request through untouched.
///
/// Register it on the router before `APIErrorMiddleware`, so that it wraps it: every failure then
/// reaches it already in the API's error shape.
struct CrossOriginMiddleware<Context: RequestContext>: RouterMiddleware {
    let policy: CrossOriginPolicy

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard policy.isEnabled else { return try await next(request, context) }
        let origin = policy.allowedOrigin(of: request)
        if let origin, CrossOriginPolicy.isPreflight(request) {
            return policy.preflightResponse(origin: origin)
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as APIError {
            response = try error.response(from: request, context: context)
        }
        // Answers differ by origin: a cache must not hand one origin's answer to another.
        response.headers[values: .vary].append("Origin")
        if let origin {
            policy.addHeaders(to: &response.headers, origin: origin)
        }
        return response
    }
}
