import Foundation
import Hummingbird
import IntegrationTesting
import NIOCore
import Synchronization

// This file deliberately does not import HTTPClient: Hummingbird re-exports HTTPTypes' `HTTPRequest`
// and `HTTPResponse`, which would make those names ambiguous next to HTTPClient's own.

/// The fake company website's pages, read by path beside this file.
enum WebsiteFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures/website")

    static func html(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }
}

/// What the fake website was asked for: each request's path and `User-Agent`, in arrival order.
final class WebsiteRequestLog: Sendable {
    struct Entry: Sendable, Equatable {
        var path: String
        var userAgent: String?
    }

    private let entries = Mutex<[Entry]>([])

    var all: [Entry] { entries.withLock { $0 } }
    var paths: [String] { all.map(\.path) }

    func append(_ entry: Entry) { entries.withLock { $0.append(entry) } }
}

/// "Northwind Robotics", a fictional warehouse-robotics company, served on loopback the way a real
/// marketing site answers: HTML pages with navigation, a consent-manager wall on `/leadership`, a
/// single-page-app shell on `/blog`, nothing at `/press` (404), plus the pages the guessing tests need.
enum WebsiteServer {
    /// Starts the site.
    ///
    /// - Parameters:
    ///   - slowPaths: Paths (without the leading `/`) that answer only after `delay`, to exercise the
    ///     provider's per-page timeout.
    static func start(
        log: WebsiteRequestLog = WebsiteRequestLog(),
        slowPaths: Set<String> = [],
        delay: Duration = .seconds(5)
    ) async throws -> LoopbackServer {
        let router = Router()
        router.middlewares.add(WebsiteRequestLogMiddleware(log: log))
        let pages: [(String, String)] = [
            ("/", "home.html"),
            ("about", "about.html"),
            ("team", "team.html"),
            ("leadership", "leadership-cookie-wall.html"),
            ("careers", "careers.html"),
            ("news", "news.html"),
            ("blog", "blog-javascript.html"),
            // The guessing tests: `{name}` of the guess template is the company's normalized name.
            ("sites/northwindrobotics", "home.html"),
        ]
        for (path, fixture) in pages {
            let html = try WebsiteFixtures.html(fixture)
            let isSlow = slowPaths.contains(path)
            router.get(RouterPath(path)) { _, _ in
                if isSlow { try await Task.sleep(for: delay) }
                return page(html)
            }
        }
        router.get("sites/acmeanvils") { _, _ in
            page(
                """
                <html><head><title>acmeanvils.com</title></head><body>
                <h1>acmeanvils.com</h1><p>This domain is for sale! Buy this domain today.</p>
                </body></html>
                """
            )
        }
        router.get("sites/globexlogistics") { _, _ in
            page(try WebsiteFixtures.html("about.html"))
        }
        // A site whose about link redirects to its team page and whose careers link leaves for
        // another host (`localhost` instead of `127.0.0.1`).
        router.get("sites/redirects") { _, _ in
            page(#"<html><body><a href="/about-us">About</a> <a href="/team">Team</a> <a href="/jobs">Careers</a></body></html>"#)
        }
        router.get("about-us") { _, _ in
            Response(status: .movedPermanently, headers: [.location: "/team"])
        }
        router.get("jobs") { request, _ in
            let port = request.head.authority?.split(separator: ":").last.map(String.init) ?? "80"
            return Response(status: .found, headers: [.location: "http://localhost:\(port)/careers"])
        }
        // Past the provider's 2 MiB page cap.
        let huge = "<html><body>" + String(repeating: "<p>Northwind robots move totes.</p>\n", count: 80_000) + "</body></html>"
        router.get("sites/huge") { _, _ in page(huge) }
        router.get("status/:code") { _, context in
            let code = context.parameters.get("code", as: Int.self) ?? 500
            return Response(status: .init(code: code), body: .init(byteBuffer: ByteBuffer(string: "status \(code)")))
        }
        return try await LoopbackServer.start(router)
    }

    static func page(_ html: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html))
        )
    }
}

/// Records every request before routing, so tests can check what the provider fetched (and did not).
struct WebsiteRequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let log: WebsiteRequestLog

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        log.append(.init(path: request.uri.path, userAgent: request.headers[.userAgent]))
        return try await next(request, context)
    }
}
