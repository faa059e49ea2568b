import Foundation
import Hummingbird
import Runtime
import Logging
import Synchronization

/// Gives every API failure the JSON error shape: framework errors (unknown route, bad method) keep
/// their status, and unexpected errors become a 500 whose details go to the log, never the client.
///
/// A request whose path exists under other methods gets a 405 with `Allow`, not a 404: the router
/// only knows "no route", so the middleware matches the path against the table of routes.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as any HTTPResponseError {
            // Framework errors: no route (404), a body over the limit (413), and the like.
            if error.status == .notFound, let allowed = routes.methods(forPath: request.uri.path), !allowed.isEmpty {
                let list = allowed.joined(separator: ", ")
                throw APIError(
                    .methodNotAllowed, code: "method_not_allowed", message: "\(request.method) is not allowed on \(request.uri.path); use \(list)",
                    headers: [.allow: list]
                )
            }
            let code = error.status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_")
            let message = (error as? HTTPError)?.body ?? "\(error.status.reasonPhrase): \(request.method) \(request.uri.path)"
            throw APIError(error.status, code: code, message: message)
        } catch {
            context.logger.error("Request failed", metadata: ["error": "\(error)", "http.path": "\(request.uri.path)"])
            throw APIError.internalError
        }
    }
}

/// The paths the router serves and their methods, filled in once every route is added.
final class RouteTable: Sendable {
    private struct Route {
        var components: [Substring]
        var methods: [String]
    }

    private let routes = Mutex<[Route]>([])

    /// Records the router's routes (call after adding them).
    func record(_ router: Router<ServiceRequestContext>) {
        var byPath: [String: [String]] = [:]
        for description in router.routes {
            byPath[description.path.description, default: []].append(description.method.rawValue)
        }
        routes.withLock { routes in
            routes = byPath.map { path, methods in
                Route(components: path.split(separator: "/"), methods: methods.sorted())
            }
        }
    }

    /// The methods served on `path`, or nil when no route has that shape.
    ///
    /// When several routes have the shape, the router takes the most specific — a constant component
    /// over a capture, from the left — so `/api/dead-letters/x/retry-all` is the `retry-all` route's
    /// path, not `/api/dead-letters/{stream}/{entry_id}`'s.
    func methods(forPath path: String) -> [String]? {
        let components = path.split(separator: "/")
        return routes.withLock { routes in
            routes.filter { route in
                route.components.count == components.count
                    && zip(route.components, components).allSatisfy { pattern, component in
                        // Captures read `{name}` in a route's description.
                        Self.isCapture(pattern) || pattern == component
                    }
            }
            .max { Self.isLessSpecific($0.components, than: $1.components) }?
            .methods
        }
    }

    private static func isCapture(_ component: Substring) -> Bool { component.hasPrefix("{") }

    /// Whether `first` has a capture where `second` has a constant, at the first place they differ.
    private static func isLessSpecific(_ first: [Substring], than second: [Substring]) -> Bool {
        for (one, other) in zip(first, second) where isCapture(one) != isCapture(other) {
            return isCapture(one)
        }
        return false
    }
}
