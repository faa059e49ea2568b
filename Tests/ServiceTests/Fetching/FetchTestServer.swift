import HTTPTypes
import Hummingbird
import IntegrationTesting
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

// This file deliberately does not import HTTPClient: Hummingbird re-exports HTTPTypes' `HTTPRequest`
// and `HTTPResponse`, which would be ambiguous next to HTTPClient's own.

/// A loopback server that misbehaves the ways job boards do — rate limits, outages, hangs, huge
/// bodies — and counts and records every request, so tests can assert what the fetcher sent.
struct FetchTestServer: Sendable {
    /// `http://127.0.0.1:PORT`.
    let baseURL: String
    /// Every request the server received.
    let log: FetchServerLog

    /// The full URL of `path` (which starts with `/`).
    func url(_ path: String) -> String { baseURL + path }

    /// The `Last-Modified` of `/last-modified`, and the date `/unavailable-until` asks to retry at.
    static let boardDate = "Wed, 21 Oct 2015 07:28:00 GMT"
    /// ``boardDate`` as seconds since 1970.
    static let boardDateSeconds: Double = 1_445_412_480
    /// The `ETag` of `/etag`.
    static let etag = "\"board-v1\""
    /// The body of every successful board route.
    static let boardBody = #"{"jobs":[{"id":"42","title":"Swift engineer"}]}"#
}

/// The requests a ``FetchTestServer`` received, in order.
final class FetchServerLog: Sendable {
    /// One request: its path and its headers (names lower-cased).
    struct Entry: Sendable {
        let path: String
        let headers: [String: String]
    }

    private let entries = Mutex<[Entry]>([])

    /// Records a request and returns how many requests `path` has had, this one included.
    func record(_ request: Request) -> Int {
        var headers: [String: String] = [:]
        for field in request.headers {
            headers[field.name.canonicalName] = field.value
        }
        let path = request.uri.path
        return entries.withLock { entries in
            entries.append(Entry(path: path, headers: headers))
            return entries.count(where: { $0.path == path })
        }
    }

    /// The requests to `path`, in order.
    func requests(to path: String) -> [Entry] {
        entries.withLock { $0.filter { $0.path == path } }
    }

    /// How many requests `path` received.
    func count(_ path: String) -> Int {
        requests(to: path).count
    }
}

/// Runs a fresh ``FetchTestServer`` on 127.0.0.1 and an ephemeral port while `body` runs; handlers
/// still running when it ends (the deliberately slow one) are cancelled after half a second.
func withFetchServer<Result: Sendable>(
    _ body: @Sendable (FetchTestServer) async throws -> Result
) async throws -> Result {
    let log = FetchServerLog()
    return try await withLoopbackServer(makeFetchTestRouter(log: log)) { baseURL in
        try await body(FetchTestServer(baseURL: baseURL, log: log))
    }
}

// MARK: - Routes

private func makeFetchTestRouter(log: FetchServerLog) -> Router<BasicRequestContext> {
    let router = Router()
    let retryAfter = HTTPField.Name.retryAfter

    // 200 every time: for pacing tests.
    router.get("jobs") { request, _ in
        _ = log.record(request)
        return board()
    }

    // Rate-limited once, then fine.
    router.get("rate-limited") { request, _ in
        log.record(request) == 1 ? status(429, [retryAfter: "1"]) : board()
    }

    // Down twice, then fine.
    router.get("flaky") { request, _ in
        log.record(request) <= 2 ? status(503) : board()
    }

    // Never works.
    router.get("broken") { request, _ in
        _ = log.record(request)
        return status(500)
    }

    // Hangs past any test's timeout once, then answers at once.
    router.get("slow-once") { request, _ in
        if log.record(request) == 1 {
            try await Task.sleep(for: .seconds(2))
        }
        return board()
    }

    // Down for maintenance, back in an hour.
    router.get("unavailable-long") { request, _ in
        _ = log.record(request)
        return status(503, [retryAfter: "3600"])
    }

    // Down once, back at a given date.
    router.get("unavailable-until") { request, _ in
        log.record(request) == 1 ? status(503, [retryAfter: FetchTestServer.boardDate]) : board()
    }

    // A strong validator; 304 when the client already has it.
    router.get("etag") { request, _ in
        _ = log.record(request)
        if request.headers[.ifNoneMatch] == FetchTestServer.etag {
            return status(304, [.eTag: FetchTestServer.etag])
        }
        return board([.eTag: FetchTestServer.etag])
    }

    // A date validator; 304 when the client's copy is as new.
    router.get("last-modified") { request, _ in
        _ = log.record(request)
        if request.headers[.ifModifiedSince] == FetchTestServer.boardDate {
            return status(304)
        }
        return board([.lastModified: FetchTestServer.boardDate])
    }

    // Gone, with validators that must not be kept.
    router.get("missing") { request, _ in
        _ = log.record(request)
        return status(404, [.eTag: "\"not-found\"", .lastModified: FetchTestServer.boardDate])
    }

    // 2 MiB: far over a small cap.
    router.get("large") { request, _ in
        _ = log.record(request)
        return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(repeating: UInt8(ascii: "x"), count: 2 << 20)))
    }

    // The request's headers, one "name: value" line each (names lower-cased), in arrival order.
    router.get("headers") { request, _ in
        _ = log.record(request)
        return request.headers.map { "\($0.name.canonicalName): \($0.value)\n" }.joined()
    }

    return router
}

/// A successful board page, with `extra` headers (validators).
private func board(_ extra: HTTPFields = [:]) -> Response {
    var headers: HTTPFields = [.contentType: "application/json"]
    headers.append(contentsOf: extra)
    return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: FetchTestServer.boardBody)))
}

/// A response with `code` and a short text body.
private func status(_ code: Int, _ headers: HTTPFields = [:]) -> Response {
    Response(status: .init(code: code), headers: headers, body: .init(byteBuffer: ByteBuffer(string: "status \(code)")))
}
