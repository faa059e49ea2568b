import Foundation
import HTTPTypes
import Hummingbird
import IntegrationTesting
import NIOCore
import Synchronization

// This file deliberately does not import HTTPClient: Hummingbird re-exports HTTPTypes' `HTTPRequest`
// and `HTTPResponse`, which would make those names ambiguous next to HTTPClient's own.

/// One search result the fake API knows, as FireCrawl's search returns it.
struct FireCrawlFakeResult: Sendable {
    var url: String
    var title: String
    var description: String
    /// The page's markdown, returned only when the search asked for `scrapeOptions.formats: ["markdown"]`.
    var markdown: String?

    init(url: String, title: String, description: String, markdown: String? = nil) {
        self.url = url
        self.title = title
        self.description = description
        self.markdown = markdown
    }
}

/// A page the fake API's scrape endpoint serves.
struct FireCrawlFakePage: Sendable {
    var title: String
    var markdown: String
}

/// An answer that replaces the fake API's normal one (a 429, a 5xx burst, a slow reply).
struct FireCrawlFakeReply: Sendable {
    var status: Int
    var headers: [String: String]
    var body: String
    /// How long the handler waits before answering (a slow or hung API).
    var delay: Duration

    init(status: Int, headers: [String: String] = [:], body: String, delay: Duration = .zero) {
        self.status = status
        self.headers = headers
        self.body = body
        self.delay = delay
    }

    /// FireCrawl's error shape: `{"success": false, "error": "…"}`.
    static func failure(_ status: Int, _ message: String, headers: [String: String] = [:], delay: Duration = .zero) -> FireCrawlFakeReply {
        FireCrawlFakeReply(status: status, headers: headers, body: fireCrawlJSON(["success": false, "error": message]), delay: delay)
    }
}

/// A request the fake API received.
struct FireCrawlRecordedRequest: Sendable {
    var method: String
    var path: String
    /// Header values by lower-cased name.
    var headers: [String: String]
    var bodyText: String

    /// The body as a JSON object (empty when it is not one).
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(bodyText.utf8))) as? [String: Any] ?? [:]
    }

    /// The search query, for `/v1/search`.
    var query: String? { json["query"] as? String }

    /// The URL to scrape, for `/v1/scrape`.
    var scrapeURL: String? { json["url"] as? String }
}

/// A loopback stand-in for FireCrawl's v1 API: `POST /v1/search` and `POST /v1/scrape` in the real
/// request and response format, checking the bearer key like the real one.
///
/// Searches answer from `searchResults` by exact query (unknown queries find nothing); scrapes from
/// `pages` by URL. Scripted replies, then the override, take precedence over those normal answers,
/// so a test can stage 429s, 5xx bursts and slow replies. Every request is recorded.
final class FireCrawlFakeAPI: Sendable {
    /// The key the fake accepts.
    static let apiKey = "fc-3f9b1c7e2a8d4e6f9a0b1c2d3e4f5a6b"

    private struct State {
        var requests: [FireCrawlRecordedRequest] = []
        var script: [FireCrawlFakeReply] = []
        var override: (@Sendable (FireCrawlRecordedRequest) -> FireCrawlFakeReply?)?
        var searchResults: [String: [FireCrawlFakeResult]]
        var pages: [String: FireCrawlFakePage]
    }

    private let state: Mutex<State>

    init(searchResults: [String: [FireCrawlFakeResult]] = [:], pages: [String: FireCrawlFakePage] = [:]) {
        state = Mutex(State(searchResults: searchResults, pages: pages))
    }

    /// Replies served next, one per request in order, before normal answers resume.
    func script(_ replies: [FireCrawlFakeReply]) {
        state.withLock { $0.script += replies }
    }

    /// A rule consulted for every request after the script: a reply replaces the normal answer, nil
    /// keeps it.
    func override(_ rule: @escaping @Sendable (FireCrawlRecordedRequest) -> FireCrawlFakeReply?) {
        state.withLock { $0.override = rule }
    }

    var requests: [FireCrawlRecordedRequest] {
        state.withLock { $0.requests }
    }

    /// The queries of every search received, in order.
    var searchQueries: [String] {
        requests.filter { $0.path == "/v1/search" }.compactMap(\.query)
    }

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers {
                headers[field.name.canonicalName] = field.value
            }
            let recorded = FireCrawlRecordedRequest(
                method: request.method.rawValue,
                path: request.uri.path,
                headers: headers,
                bodyText: String(buffer: body)
            )
            let reply = self.answer(recorded)
            if reply.delay > .zero {
                try await Task.sleep(for: reply.delay)
            }
            var fields: HTTPFields = [.contentType: "application/json; charset=utf-8"]
            for (name, value) in reply.headers {
                guard let fieldName = HTTPField.Name(name) else { continue }
                fields[fieldName] = value
            }
            return Response(status: .init(code: reply.status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: reply.body)))
        }
        router.post("v1/search", use: handler)
        router.post("v1/scrape", use: handler)
        return router
    }

    /// Records `request` and picks its reply.
    private func answer(_ request: FireCrawlRecordedRequest) -> FireCrawlFakeReply {
        let (scripted, override, results, pages) = state.withLock { state in
            state.requests.append(request)
            let scripted = state.script.isEmpty ? nil : state.script.removeFirst()
            return (scripted, state.override, state.searchResults, state.pages)
        }
        if let scripted { return scripted }
        if let reply = override?(request) { return reply }
        guard request.headers["authorization"] == "Bearer \(Self.apiKey)" else {
            return .failure(401, "Unauthorized: Invalid token")
        }
        switch request.path {
        case "/v1/search":
            return search(request, results: results)
        case "/v1/scrape":
            return scrape(request, pages: pages)
        default:
            return .failure(404, "Not Found")
        }
    }

    /// `{"success": true, "data": [...]}`: url, title and description per result, plus markdown and
    /// page metadata when the search asked for markdown.
    private func search(_ request: FireCrawlRecordedRequest, results: [String: [FireCrawlFakeResult]]) -> FireCrawlFakeReply {
        let json = request.json
        guard let query = json["query"] as? String else {
            return .failure(400, "Bad Request", delay: .zero)
        }
        let limit = json["limit"] as? Int ?? 5
        let formats = (json["scrapeOptions"] as? [String: Any])?["formats"] as? [String] ?? []
        let scraping = formats.contains("markdown")
        let items: [[String: Any]] = (results[query] ?? []).prefix(limit).enumerated().map { index, result in
            var item: [String: Any] = ["url": result.url, "title": result.title, "description": result.description, "position": index + 1]
            if scraping, let markdown = result.markdown {
                item["markdown"] = markdown
                item["metadata"] = [
                    "title": result.title, "description": result.description, "language": "en", "sourceURL": result.url,
                    "url": result.url, "statusCode": 200, "contentType": "text/html; charset=utf-8",
                    "scrapeId": "3c1f6a2e-9b7d-4e4f-8a51-\(String(format: "%012d", index))", "proxyUsed": "basic", "cacheState": "miss",
                    "creditsUsed": 1,
                ]
            }
            return item
        }
        return FireCrawlFakeReply(status: 200, body: fireCrawlJSON(["success": true, "data": items]))
    }

    /// `{"success": true, "data": {"markdown": "...", "metadata": {...}}}`; an unknown URL scrapes as the
    /// site's 404 page, as FireCrawl reports an origin's error status in the metadata.
    private func scrape(_ request: FireCrawlRecordedRequest, pages: [String: FireCrawlFakePage]) -> FireCrawlFakeReply {
        guard let url = request.scrapeURL else { return .failure(400, "Bad Request") }
        let page = pages[url]
        let data: [String: Any] = [
            "markdown": page?.markdown ?? "# Page not found",
            "metadata": [
                "title": page?.title ?? "404", "description": "", "language": "en", "sourceURL": url, "url": url,
                "statusCode": page == nil ? 404 : 200, "scrapeId": "8d0e4b1a-6c2f-4d3e-9f7a-0123456789ab", "proxyUsed": "basic",
                "creditsUsed": 1,
            ],
        ]
        return FireCrawlFakeReply(status: 200, body: fireCrawlJSON(["success": true, "data": data]))
    }
}

/// `object` as JSON text.
func fireCrawlJSON(_ object: [String: Any]) -> String {
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self)
}

/// Runs `body` with `api` served on loopback, stopping it afterwards.
func withFakeFireCrawl<Result: Sendable>(
    _ api: FireCrawlFakeAPI,
    _ body: (_ baseURL: String) async throws -> Result
) async throws -> Result {
    try await withLoopbackServer(api.makeRouter(), body)
}
