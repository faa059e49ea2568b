import Foundation
import HTTPClient
import LanguageModels
import Testing

@Suite("OpenAICompatibleProvider against a loopback chat-completions API")
struct OpenAICompatibleProviderTests {
    @Test func sendsTheChatCompletionsWireFormatAndReadsTheReply() async throws {
        try await withScriptedServer([OpenAIFixtures.reply("Hi there!", promptTokens: 19, completionTokens: 10)]) { server, baseURL in
            try await withHTTPClient { client, _ in
                let provider = openAI(baseURL, client: client)
                let completion = try await provider.complete(
                    CompletionRequest(system: "Be brief.", prompt: "Greet me", maxOutputTokens: 64, temperature: 0)
                )
                #expect(completion.text == "Hi there!")
                #expect(completion.provider == "openai")
                #expect(completion.model == "gpt-4.1-mini-2025-04-14")
                #expect(completion.usage == TokenUsage(inputTokens: 19, outputTokens: 10))
                #expect(completion.stopReason == "stop")

                let request = try #require(server.requests.first)
                #expect(request.path == "/v1/chat/completions")
                #expect(request.headers["authorization"] == "Bearer sk-proj-test-key-abcdef123456")
                #expect(request.headers["content-type"] == "application/json")
                let body = request.json
                #expect(body["model"] == "gpt-4.1-mini")
                #expect(body["max_tokens"] == 64)
                #expect(body["temperature"] == 0)
                #expect(body["messages"] == [["role": "system", "content": "Be brief."], ["role": "user", "content": "Greet me"]])
            }
        }
    }

    @Test func localServerWithoutKeySendsNoAuthorization() async throws {
        try await withScriptedServer([ScriptedReply(body: OpenAIFixtures.ollamaCompletion("local answer"))]) { server, baseURL in
            try await withHTTPClient { client, _ in
                let provider = openAI(baseURL, client: client, apiKey: nil, model: "llama3.2", name: "ollama")
                let completion = try await provider.complete(CompletionRequest(prompt: "hi", maxOutputTokens: 20))
                #expect(completion.text == "local answer")
                #expect(completion.provider == "ollama")
                #expect(completion.model == "llama3.2")
                #expect(completion.usage == TokenUsage(inputTokens: 26, outputTokens: 7))
                let request = try #require(server.requests.first)
                #expect(request.headers["authorization"] == nil)
                #expect(request.json["messages"] == [["role": "user", "content": "hi"]])
                #expect(request.json["temperature"] == nil)
            }
        }
    }

    @Test func maxCompletionTokensFieldForReasoningModels() async throws {
        try await withScriptedServer([OpenAIFixtures.reply("ok")]) { server, baseURL in
            try await withHTTPClient { client, _ in
                let provider = OpenAICompatibleProvider(
                    configuration: .init(apiKey: "k-123456", baseURL: "\(baseURL)/v1", model: "gpt-5-mini", retryPolicy: fastRetries,
                                         tokenLimitField: .maxCompletionTokens),
                    httpClient: client
                )
                _ = try await provider.complete(CompletionRequest(prompt: "hi", maxOutputTokens: 99))
                let body = try #require(server.requests.first).json
                #expect(body["max_completion_tokens"] == 99)
                #expect(body["max_tokens"] == nil)
            }
        }
    }

    @Test func rateLimitThenSuccess() async throws {
        let replies = [
            OpenAIFixtures.failure(429, message: "Rate limit reached for gpt-4.1-mini on requests per min (RPM): Limit 3, Used 3, Requested 1.",
                                   type: "requests", code: "rate_limit_exceeded", headers: ["retry-after-ms": "20"]),
            OpenAIFixtures.reply("done"),
        ]
        try await withScriptedServer(replies) { server, baseURL in
            try await withHTTPClient { client, _ in
                let completion = try await openAI(baseURL, client: client).complete(CompletionRequest(prompt: "hi"))
                #expect(completion.text == "done")
                #expect(server.requestCount == 2)
            }
        }
    }

    @Test func exhaustedQuotaIsNotRetried() async throws {
        let reply = OpenAIFixtures.failure(
            429, message: "You exceeded your current quota, please check your plan and billing details.",
            type: "insufficient_quota", code: "insufficient_quota"
        )
        try await withScriptedServer([reply]) { server, baseURL in
            try await withHTTPClient { client, _ in
                let (error, _) = await failure { _ = try await openAI(baseURL, client: client).complete(CompletionRequest(prompt: "hi")) }
                let llmError = try #require(error as? LanguageModelError)
                #expect(llmError.status == 429)
                #expect(!llmError.isRetryable)
                #expect(server.requestCount == 1)
            }
        }
    }

    @Test func invalidKeyIsReportedWithoutTheKey() async throws {
        let key = "sk-proj-very-secret-1234567890"
        let reply = OpenAIFixtures.failure(
            401, message: "Incorrect API key provided: \(key). You can find your API key at https://platform.openai.com/account/api-keys.",
            type: "invalid_request_error", code: "invalid_api_key"
        )
        try await withScriptedServer([reply]) { server, baseURL in
            try await withHTTPClient { client, _ in
                let (error, _) = await failure {
                    _ = try await openAI(baseURL, client: client, apiKey: key).complete(CompletionRequest(prompt: "hi"))
                }
                let description = try #require(error as? LanguageModelError).description
                #expect(description.hasPrefix("openai: HTTP 401 invalid_request_error: Incorrect API key provided: [redacted]."))
                #expect(!description.contains(key))
                #expect(server.requestCount == 1)
            }
        }
    }

    @Test func serverErrorBurstThenSuccess() async throws {
        let failure500 = OpenAIFixtures.failure(500, message: "The server had an error while processing your request.", type: "server_error")
        let failure502 = ScriptedReply(status: 502, body: "<html><body>502 Bad Gateway</body></html>")
        try await withScriptedServer([failure500, failure502, OpenAIFixtures.reply("recovered")]) { server, baseURL in
            try await withHTTPClient { client, _ in
                let completion = try await openAI(baseURL, client: client).complete(CompletionRequest(prompt: "hi"))
                #expect(completion.text == "recovered")
                #expect(server.requestCount == 3)
            }
        }
    }

    @Test func plainTextErrorBodyIsQuoted() async throws {
        try await withScriptedServer([ScriptedReply(status: 404, body: "404 page not found")]) { _, baseURL in
            try await withHTTPClient { client, _ in
                let (error, _) = await failure { _ = try await openAI(baseURL, client: client).complete(CompletionRequest(prompt: "hi")) }
                #expect((error as? LanguageModelError)?.description == "openai: HTTP 404: 404 page not found")
            }
        }
    }

    @Test func ollamaStyleErrorIsRead() async throws {
        let body = #"{"error":{"message":"model \"llama9\" not found, try pulling it first","type":"api_error","param":null,"code":null}}"#
        try await withScriptedServer([ScriptedReply(status: 404, body: body)]) { _, baseURL in
            try await withHTTPClient { client, _ in
                let (error, _) = await failure {
                    _ = try await openAI(baseURL, client: client, apiKey: nil, name: "ollama").complete(CompletionRequest(prompt: "hi"))
                }
                #expect((error as? LanguageModelError)?.description == #"ollama: HTTP 404 api_error: model "llama9" not found, try pulling it first"#)
            }
        }
    }

    @Test func nullContentIsAnEmptyReply() async throws {
        try await withScriptedServer([ScriptedReply(body: OpenAIFixtures.completion(nil, finishReason: "content_filter"))]) { _, baseURL in
            try await withHTTPClient { client, _ in
                let (error, _) = await failure { _ = try await openAI(baseURL, client: client).complete(CompletionRequest(prompt: "hi")) }
                let llmError = try #require(error as? LanguageModelError)
                #expect(llmError.kind == .emptyReply)
                #expect(llmError.description == "openai: empty reply (finish_reason content_filter)")
            }
        }
    }

    @Test func slowServerTimesOut() async throws {
        try await withScriptedServer([ScriptedReply(body: OpenAIFixtures.completion("late"), delay: .seconds(20))]) { server, baseURL in
            try await withHTTPClient { client, _ in
                let provider = openAI(baseURL, client: client, timeout: .seconds(2), retries: .none)
                let (error, elapsed) = await failure { _ = try await provider.complete(CompletionRequest(prompt: "hi")) }
                #expect((error as? LanguageModelError)?.kind == .timedOut)
                #expect(server.requestCount == 1)
                // Well short of the 20 s the server would take: the client's timeout ended the wait.
                #expect(elapsed < .seconds(12))
            }
        }
    }
}
