import Hummingbird
import Foundation
import Logging

/// Gives every API failure the JSON error shape: framework errors (unknown route, bad method) keep
/// their status, and unexpected errors become a 500 whose details go to the log, never the client.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            let code = error.status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_")
            throw APIError(error.status, code: code, message: error.body ?? "\(error.status.reasonPhrase): \(request.method) \(request.uri.path)")
        } catch {
            context.logger.error("Request failed", metadata: ["error": "\(error)", "http.path": "\(request.uri.path)"])
            throw APIError.internalError
        }
    }
}
