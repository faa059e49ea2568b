import Hummingbird
import IntegrationTesting
import LanguageModels
import NIOCore
import Synchronization

// No HTTPClient import here: Hummingbird re-exports HTTPTypes' `HTTPRequest` and `HTTPResponse`,
// whose names HTTPClient also uses.

/// A loopback stand-in for an OpenAI-compatible `POST /v1/chat/completions` endpoint, playing a
/// model that answers with scripted content, so the polisher is tested through the real provider,
/// wire format and chain rather than a mocked client.
///
/// Each request gets the next scripted answer; the last one repeats once the script runs out.
final class ChatCompletionsServer: Sendable {
    /// One answer: the assistant message's content with status 200, or an error status.
    enum Answer: Sendable {
        case content(String)
        case status(Int)
    }

    private let state: Mutex<(answers: [Answer], bodies: [String])>

    init(_ answers: [Answer]) {
        precondition(!answers.isEmpty, "script at least one answer")
        state = Mutex((answers, []))
    }

    /// The request bodies received, in order.
    var requestBodies: [String] {
        state.withLock { $0.bodies }
    }

    private func next(recording body: String) -> Answer {
        state.withLock { state in
            state.bodies.append(body)
            return state.answers.count > 1 ? state.answers.removeFirst() : state.answers[0]
        }
    }

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("v1/chat/completions") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 16 << 20)
            let answer = self.next(recording: String(buffer: body))
            let (status, text) =
                switch answer {
                case .content(let content): (200, Self.completion(content))
                case .status(let code): (code, #"{"error":{"message":"scripted failure","type":"server_error","param":null,"code":null}}"#)
                }
            return Response(
                status: .init(code: status),
                headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: text))
            )
        }
        return router
    }

    /// A `chat.completion` object whose single choice says `content`.
    static func completion(_ content: String) -> String {
        """
        {"id":"chatcmpl-polish-1","object":"chat.completion","created":1742000000,"model":"test",\
        "choices":[{"index":0,"message":{"role":"assistant","content":\(JSONValue.string(content).jsonText)},\
        "finish_reason":"stop"}],"usage":{"prompt_tokens":900,"completion_tokens":250,"total_tokens":1150}}
        """
    }
}

/// Runs `body` with a scripted chat-completions server on loopback, stopping it afterwards.
func withChatCompletionsServer<Result: Sendable>(
    _ answers: [ChatCompletionsServer.Answer],
    _ body: (_ server: ChatCompletionsServer, _ baseURL: String) async throws -> Result
) async throws -> Result {
    let server = ChatCompletionsServer(answers)
    return try await withLoopbackServer(server.makeRouter()) { baseURL in
        try await body(server, baseURL)
    }
}
