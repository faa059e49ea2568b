import HTTPTypes
import Hummingbird
import IntegrationTesting
import LanguageModels
import NIOCore
import Synchronization

// This file deliberately does not import HTTPClient: Hummingbird re-exports HTTPTypes' `HTTPRequest`
// and `HTTPResponse`, which would make those names ambiguous next to HTTPClient's own.

/// One response the scripted server sends.
struct ScriptedReply: Sendable {
    var status: Int
    var headers: [String: String]
    var body: String
    /// How long the handler waits before answering (a slow or hung server).
    var delay: Duration

    init(status: Int = 200, headers: [String: String] = [:], body: String, delay: Duration = .zero) {
        self.status = status
        self.headers = headers
        self.body = body
        self.delay = delay
    }
}

/// A request the server received, as the test will inspect it.
struct RecordedRequest: Sendable {
    var method: String
    var path: String
    /// Header values by lower-cased name.
    var headers: [String: String]
    var bodyText: String

    /// The body parsed as JSON (`null` when it is not JSON).
    var json: JSONValue {
        (try? JSONValue(parsing: bodyText)) ?? .null
    }
}

/// A loopback stand-in for the Anthropic and OpenAI-compatible APIs: it answers each request with the
/// next scripted reply (repeating the last once the script runs out) and records what it received.
///
/// Serves both wire formats' paths — `/v1/messages` and `/v1/chat/completions` — so one server can
/// play either; the test decides which format the replies are in.
final class ScriptedLLMServer: Sendable {
    private let state: Mutex<(replies: [ScriptedReply], requests: [RecordedRequest])>

    init(_ replies: [ScriptedReply]) {
        precondition(!replies.isEmpty, "script at least one reply")
        state = Mutex((replies, []))
    }

    var requests: [RecordedRequest] {
        state.withLock { $0.requests }
    }

    var requestCount: Int {
        state.withLock { $0.requests.count }
    }

    private func record(_ request: RecordedRequest) -> ScriptedReply {
        state.withLock { state in
            state.requests.append(request)
            return state.replies.count > 1 ? state.replies.removeFirst() : state.replies[0]
        }
    }

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            let body = try await request.body.collect(upTo: 16 << 20)
            var headers: [String: String] = [:]
            for field in request.headers {
                headers[field.name.canonicalName] = field.value
            }
            let reply = self.record(
                RecordedRequest(
                    method: request.method.rawValue,
                    path: request.uri.path,
                    headers: headers,
                    bodyText: String(buffer: body)
                )
            )
            if reply.delay > .zero {
                try await Task.sleep(for: reply.delay)
            }
            var fields: HTTPFields = [.contentType: "application/json"]
            for (name, value) in reply.headers {
                fields[HTTPField.Name(name)!] = value
            }
            return Response(
                status: .init(code: reply.status),
                headers: fields,
                body: .init(byteBuffer: ByteBuffer(string: reply.body))
            )
        }
        router.post("v1/messages", use: handler)
        router.post("v1/chat/completions", use: handler)
        return router
    }
}

/// Runs `body` with a scripted server on loopback, stopping it afterwards.
func withScriptedServer<Result: Sendable>(
    _ replies: [ScriptedReply],
    _ body: (_ server: ScriptedLLMServer, _ baseURL: String) async throws -> Result
) async throws -> Result {
    let server = ScriptedLLMServer(replies)
    return try await withLoopbackServer(server.makeRouter()) { baseURL in
        try await body(server, baseURL)
    }
}
