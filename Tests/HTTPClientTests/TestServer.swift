import HTTPTypes
import Hummingbird
import IntegrationTesting
import Logging
import NIOCore
import ServiceLifecycle

// This file deliberately does not import HTTPClient: Hummingbird re-exports HTTPTypes' `HTTPRequest`
// and `HTTPResponse`, which would make those names ambiguous next to HTTPClient's own.

/// A request context that also records the peer's address, so tests can see connection reuse.
struct TestRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The client's address and port for this request's connection.
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

/// A gzip stream of `"compressed hello " × 20`, made once with Python's `gzip.compress(…, mtime=0)`.
let gzipFixture: [UInt8] = [
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x4b, 0xce, 0xcf, 0x2d, 0x28, 0x4a,
    0x2d, 0x2e, 0x4e, 0x4d, 0x51, 0xc8, 0x48, 0xcd, 0xc9, 0xc9, 0x57, 0x48, 0x1e, 0x15, 0xa0, 0x54,
    0x00, 0x00, 0xad, 0x7b, 0x1b, 0xcf, 0x54, 0x01, 0x00, 0x00,
]

/// The routes every test server offers: a small HTTPBin.
func makeTestRouter() -> Router<TestRequestContext> {
    let router = Router(context: TestRequestContext.self)

    router.get("hello") { _, _ in
        Response(
            status: .ok,
            headers: [.contentType: "text/plain; charset=utf-8", HTTPField.Name("X-Test")!: "yes"],
            body: .init(byteBuffer: ByteBuffer(string: "hello, world"))
        )
    }
    router.head("hello") { _, _ in
        Response(status: .ok, headers: [HTTPField.Name("X-Test")!: "yes"])
    }

    // The request body back, with its content type and length, and the Expect header it came with.
    router.post("echo") { request, _ in
        let body = try await request.body.collect(upTo: 16 << 20)
        var headers: HTTPFields = [
            HTTPField.Name("X-Received-Length")!: "\(body.readableBytes)",
            HTTPField.Name("X-Request-Expect")!: request.headers[.expect] ?? "none",
        ]
        headers[.contentType] = request.headers[.contentType] ?? "application/octet-stream"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }

    // "METHOD length" for any method.
    for method in [HTTPRequest.Method.put, .patch, .delete, .get] {
        router.on("method", method: method) { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            return "\(request.method.rawValue) \(body.readableBytes)"
        }
    }

    // The request headers, one "name: value" line each (names in lower case).
    router.get("headers") { request, _ in
        request.headers.map { "\($0.name.canonicalName): \($0.value)\n" }.joined()
    }

    router.get("status/:code") { _, context in
        let code = context.parameters.get("code", as: Int.self) ?? 400
        return Response(status: .init(code: code), body: .init(byteBuffer: ByteBuffer(string: "status \(code)")))
    }

    // Two hops to /hello, the second relative.
    router.get("redirect") { _, _ in
        Response(status: .found, headers: [.location: "/redirect-again", HTTPField.Name("X-Hop")!: "1"])
    }
    router.get("redirect-again") { _, _ in
        Response(status: .movedPermanently, headers: [.location: "/hello", HTTPField.Name("X-Hop")!: "2"])
    }
    router.get("loop") { _, _ in
        Response(status: .found, headers: [.location: "/loop"])
    }

    router.get("sleep/:milliseconds") { _, context in
        let milliseconds = context.parameters.get("milliseconds", as: Int.self) ?? 0
        try await Task.sleep(for: .milliseconds(milliseconds))
        return "slept \(milliseconds)"
    }

    router.get("bytes/:count") { _, context in
        let count = context.parameters.get("count", as: Int.self) ?? 0
        return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(repeating: UInt8(ascii: "x"), count: count)))
    }

    router.get("gzip") { _, _ in
        Response(
            status: .ok,
            headers: [.contentEncoding: "gzip", .contentType: "text/plain"],
            body: .init(byteBuffer: ByteBuffer(bytes: gzipFixture))
        )
    }

    // The client's port: equal ports across requests mean a reused connection.
    router.get("peer-port") { _, context in
        "\(context.remoteAddress?.port ?? -1)"
    }

    return router
}

/// Runs the test server on 127.0.0.1 (an ephemeral port) while `body` runs, then shuts it down, so
/// every test gets its own server and leaves nothing behind.
///
/// - Parameter body: Given the server's base URL, `http://127.0.0.1:PORT`.
func withTestServer<Result: Sendable>(
    _ body: @Sendable (_ baseURL: String) async throws -> Result
) async throws -> Result {
    try await withLoopbackServer(makeTestRouter(), body)
}
