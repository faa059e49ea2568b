import Foundation
import HTTPClient
import LanguageModels
import Testing

@Suite("AnthropicProvider against a loopback Messages API")
struct AnthropicProviderTests {
    @Test func sendsTheMessagesWireFormatAndReadsTheReply() async throws {
        try await withScriptedServer([AnthropicFixtures.reply("Hello from Claude", inputTokens: 2095, outputTokens: 503)]) { server, baseURL in
            try await withHTTPClient { client, _ in
                let provider = anthropic(baseURL, client: client)
                let completion = try await provider.complete(
                    CompletionRequest(system: "You are terse.", prompt: "Say hello", maxOutputTokens: 256, temperature: 0.2)
                )
                #expect(completion.text == "Hello from Claude")
                #expect(completion.provider == "anthropic")
                #expect(completion.model == "claude-sonnet-4-6")
                #expect(completion.usage == TokenUsage(inputTokens: 2095, outputTokens: 503))
                #expect(completion.stopReason == "end_turn")

                let request = try #require(server.requests.first)
                #expect(request.method == "POST")
                #expect(request.path == "/v1/messages")
                #expect(request.headers["x-api-key"] == "sk-ant-test-key-0123456789")
                #expect(request.headers["anthropic-version"] == "2023-06-01")
                #expect(request.headers["content-type"] == "application/json")
                #expect(request.headers["authorization"] == nil)
                let body = request.json
                #expect(body["model"] == "claude-sonnet-4-6")
                #expect(body["max_tokens"] == 256)
                #expect(body["system"] == "You are terse.")
                #expect(body["temperature"] == 0.2)
                #expect(body["messages"] == [["role": "user", "content": "Say hello"]])
            }
        }
    }

    @Test func omitsSystemAndTemperatureWhenNotGiven() async throws {
        try await withScriptedServer([AnthropicFixtures.reply("ok")]) { server, baseURL in
            try await withHTTPClient { client, _ in
                _ = try await anthropic(baseURL, client: client).complete(CompletionRequest(prompt: "hi", maxOutputTokens: 10))
                let body = try #require(server.requests.first).json
                #expect(body["system"] == nil)
                #expect(body["temperature"] == nil)
            }
        }
    }

    @Test func joinsTextBlocksAndSkipsOthers() async throws {
        let body = """
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-6-20260101",\
            "content":[{"type":"thinking","thinking":"hmm","signature":"abc"},{"type":"text","text":"{\\"a\\":"},\
            {"type":"text","text":" 1}"}],"stop_reason":"end_turn","stop_sequence":null,\
            "usage":{"input_tokens":10,"cache_read_input_tokens":5,"output_tokens":3}}
            """
        try await withScriptedServer([ScriptedReply(body: body)]) { _, baseURL in
            try await withHTTPClient { client, _ in
                let completion = try await anthropic(baseURL, client: client).complete(CompletionRequest(prompt: "json"))
                #expect(completion.text == "{\"a\": 1}")
                #expect(completion.model == "claude-sonnet-4-6-20260101")
                #expect(completion.usage == TokenUsage(inputTokens: 15, outputTokens: 3))
            }
        }
    }

    @Test func retriesRateLimitHonouringRetryAfterCappedByMaximumDelay() async throws {
        let replies = [
            AnthropicFixtures.failure(429, type: "rate_limit_error", message: "Number of request tokens has exceeded your per-minute rate limit", headers: ["retry-after": "20"]),
            AnthropicFixtures.reply("after the wait"),
        ]
        try await withScriptedServer(replies) { server, baseURL in
            try await withHTTPClient { client, _ in
                let retries = RetryPolicy(maximumAttempts: 3, baseDelay: .milliseconds(1), maximumDelay: .milliseconds(80))
                let provider = anthropic(baseURL, client: client, retries: retries)
                let clock = ContinuousClock()
                let start = clock.now
                let completion = try await provider.complete(CompletionRequest(prompt: "hi"))
                let elapsed = clock.now - start
                #expect(completion.text == "after the wait")
                #expect(server.requestCount == 2)
                // Retry-After: 20 asks for 20 seconds; the policy caps the pause at 80 ms.
                #expect(elapsed >= .milliseconds(75))
                #expect(elapsed < .seconds(10))
            }
        }
    }

    @Test(arguments: [500, 503, 529])
    func retriesServerErrorsAndOverload(status: Int) async throws {
        let failure = status == 529
            ? AnthropicFixtures.failure(529, type: "overloaded_error", message: "Overloaded")
            : AnthropicFixtures.failure(status, type: "api_error", message: "Internal server error")
        try await withScriptedServer([failure, failure, AnthropicFixtures.reply("third time lucky")]) { server, baseURL in
            try await withHTTPClient { client, _ in
                let completion = try await anthropic(baseURL, client: client).complete(CompletionRequest(prompt: "hi"))
                #expect(completion.text == "third time lucky")
                #expect(server.requestCount == 3)
            }
        }
    }

    @Test func persistentOverloadFailsAfterTheLastAttempt() async throws {
        try await withScriptedServer([AnthropicFixtures.failure(529, type: "overloaded_error", message: "Overloaded")]) { server, baseURL in
            try await withHTTPClient { client, _ in
                let (error, _) = await failure {
                    _ = try await anthropic(baseURL, client: client).complete(CompletionRequest(prompt: "hi"))
                }
                let llmError = try #require(error as? LanguageModelError)
                #expect(llmError.kind == .httpStatus)
                #expect(llmError.status == 529)
                #expect(llmError.description == "anthropic: HTTP 529 overloaded_error: Overloaded")
                #expect(server.requestCount == 3)
            }
        }
    }

    @Test func unauthorizedIsNotRetriedAndNeverQuotesTheKey() async throws {
        let key = "sk-ant-api03-secret-value-XYZ"
        let reply = AnthropicFixtures.failure(401, type: "authentication_error", message: "invalid x-api-key: \(key)")
        try await withScriptedServer([reply]) { server, baseURL in
            try await withHTTPClient { client, _ in
                let (error, _) = await failure {
                    _ = try await anthropic(baseURL, client: client, apiKey: key).complete(CompletionRequest(prompt: "hi"))
                }
                let llmError = try #require(error as? LanguageModelError)
                #expect(llmError.status == 401)
                #expect(!llmError.isRetryable)
                #expect(server.requestCount == 1)
                #expect(llmError.description.contains("authentication_error"))
                #expect(llmError.description.contains("invalid x-api-key"))
                #expect(!llmError.description.contains(key))
                #expect(!"\(error!)".contains(key))
            }
        }
    }

    @Test func badRequestFailsAtOnce() async throws {
        let reply = AnthropicFixtures.failure(400, type: "invalid_request_error", message: "max_tokens: Field required")
        try await withScriptedServer([reply]) { server, baseURL in
            try await withHTTPClient { client, _ in
                let (error, _) = await failure {
                    _ = try await anthropic(baseURL, client: client).complete(CompletionRequest(prompt: "hi"))
                }
                #expect((error as? LanguageModelError)?.description == "anthropic: HTTP 400 invalid_request_error: max_tokens: Field required")
                #expect(server.requestCount == 1)
            }
        }
    }

    @Test func spendLimitRateLimitIsNotRetried() async throws {
        let body = """
            {"type":"error","error":{"type":"rate_limit_error","message":"You have reached your specified API usage limits.",\
            "details":{"error_code":"enforced_spend_limit_reached"}}}
            """
        try await withScriptedServer([ScriptedReply(status: 429, body: body)]) { server, baseURL in
            try await withHTTPClient { client, _ in
                let (error, _) = await failure {
                    _ = try await anthropic(baseURL, client: client).complete(CompletionRequest(prompt: "hi"))
                }
                #expect((error as? LanguageModelError)?.status == 429)
                #expect(server.requestCount == 1)
            }
        }
    }

    @Test func slowServerTimesOut() async throws {
        try await withScriptedServer([ScriptedReply(body: AnthropicFixtures.message("late"), delay: .seconds(20))]) { server, baseURL in
            try await withHTTPClient { client, _ in
                let retries = RetryPolicy(maximumAttempts: 2, baseDelay: .milliseconds(1), maximumDelay: .milliseconds(5))
                let provider = anthropic(baseURL, client: client, timeout: .seconds(2), retries: retries)
                let (error, elapsed) = await failure {
                    _ = try await provider.complete(CompletionRequest(prompt: "hi"))
                }
                let llmError = try #require(error as? LanguageModelError)
                #expect(llmError.kind == .timedOut)
                #expect(llmError.description == "anthropic: no reply within 2 s")
                #expect(server.requestCount == 2)
                // Two 2 s timeouts, well short of the 20 s the server would take.
                #expect(elapsed < .seconds(15))
            }
        }
    }

    @Test func unreachableServerIsAConnectionFailure() async throws {
        try await withHTTPClient { client, _ in
            let retries = RetryPolicy(maximumAttempts: 2, baseDelay: .milliseconds(1), maximumDelay: .milliseconds(5))
            let (error, _) = await failure {
                _ = try await anthropic("http://127.0.0.1:1", client: client, retries: retries).complete(CompletionRequest(prompt: "hi"))
            }
            let llmError = try #require(error as? LanguageModelError)
            #expect(llmError.kind == .connectionFailed)
            #expect(llmError.isRetryable)
        }
    }

    @Test func nonJSONSuccessBodyIsAnInvalidResponse() async throws {
        try await withScriptedServer([ScriptedReply(body: "<html>gateway</html>")]) { _, baseURL in
            try await withHTTPClient { client, _ in
                let (error, _) = await failure {
                    _ = try await anthropic(baseURL, client: client).complete(CompletionRequest(prompt: "hi"))
                }
                let llmError = try #require(error as? LanguageModelError)
                #expect(llmError.kind == .invalidResponse)
                #expect(llmError.description.contains("<html>gateway</html>"))
            }
        }
    }

    @Test func replyWithoutTextIsAnEmptyReply() async throws {
        let body = """
            {"id":"msg_2","type":"message","role":"assistant","model":"claude-sonnet-4-6","content":[],\
            "stop_reason":"refusal","stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":0}}
            """
        try await withScriptedServer([ScriptedReply(body: body)]) { _, baseURL in
            try await withHTTPClient { client, _ in
                let (error, _) = await failure {
                    _ = try await anthropic(baseURL, client: client).complete(CompletionRequest(prompt: "hi"))
                }
                let llmError = try #require(error as? LanguageModelError)
                #expect(llmError.kind == .emptyReply)
                #expect(llmError.description == "anthropic: empty reply (stop_reason refusal)")
            }
        }
    }

    @Test(arguments: ["http://host", "http://host/", "http://host/v1", "http://host/v1/"])
    func endpointToleratesBaseURLVariants(baseURL: String) async throws {
        try await withHTTPClient { client, _ in
            #expect(anthropic(baseURL, client: client).endpoint == "http://host/v1/messages")
        }
    }
}
