import Foundation
import HTTPClient
import LanguageModels
import Testing

/// Chains of real providers against loopback servers speaking the real wire formats.
@Suite("LanguageModelChain")
struct LanguageModelChainTests {
    static let request = CompletionRequest(system: "You extract job facts.", prompt: "Posting: Swift engineer, remote.", maxOutputTokens: 500)
    static let goodJSON = #"{"title": "Swift Engineer", "skills": ["swift", "nio"], "remote": true}"#
    static let goodSummary = JobSummary(title: "Swift Engineer", skills: ["swift", "nio"], remote: true)

    @Test func successRecordsUsageAndCost() async throws {
        try await withScriptedServer([AnthropicFixtures.reply(Self.goodJSON, inputTokens: 1_000, outputTokens: 2_000)]) { server, baseURL in
            try await withHTTPClient { client, _ in
                let budget = LanguageModelBudget(limitDollars: 10)
                let chain = LanguageModelChain(step: "extraction", providers: [anthropic(baseURL, client: client)], budget: budget)
                let result = await chain.generateJSON(JobSummary.self, request: Self.request, schema: jobSummarySchema) { deterministicSummary }

                #expect(result.value == Self.goodSummary)
                #expect(result.producedBy == "anthropic")
                #expect(result.model == "claude-sonnet-4-6")
                #expect(!result.usedFallback)
                #expect(result.attempts.map(\.outcome) == [.succeeded])
                #expect(result.usage == TokenUsage(inputTokens: 1_000, outputTokens: 2_000))

                let totals = await budget.totals
                #expect(totals.calls == 1)
                #expect(totals.inputTokens == 1_000)
                #expect(totals.outputTokens == 2_000)
                // Sonnet: $3 per million input tokens, $15 per million output tokens.
                #expect(abs(totals.dollars - (0.003 + 0.030)) < 1e-9)

                // The schema and the JSON-only instruction travel in the system prompt.
                let system = try #require(server.requests.first?.json["system"]?.stringValue)
                #expect(system.hasPrefix("You extract job facts.\n\nReply with JSON only"))
                #expect(system.contains(#""skills": {"#))
                #expect(server.requests.first?.json["messages"]?[0]?["content"] == "Posting: Swift engineer, remote.")
            }
        }
    }

    @Test func chattyFencedReplyIsExtracted() async throws {
        let reply = "Sure! Here is the JSON you asked for:\n\n```json\n\(Self.goodJSON)\n```\n\nLet me know if you need anything else {or more}."
        try await withScriptedServer([OpenAIFixtures.reply(reply)]) { _, baseURL in
            try await withHTTPClient { client, _ in
                let chain = LanguageModelChain(step: "extraction", providers: [openAI(baseURL, client: client)])
                let result = await chain.generateJSON(JobSummary.self, request: Self.request, schema: jobSummarySchema) { deterministicSummary }
                #expect(result.value == Self.goodSummary)
                #expect(result.producedBy == "openai")
            }
        }
    }

    @Test func invalidReplyIsRepairedOnTheSameProvider() async throws {
        let invalid = #"{"title": "Swift Engineer", "skills": ["swift", 3], "remote": "yes"}"#
        try await withScriptedServer([AnthropicFixtures.reply(invalid), AnthropicFixtures.reply(Self.goodJSON)]) { server, baseURL in
            try await withHTTPClient { client, _ in
                let budget = LanguageModelBudget()
                let chain = LanguageModelChain(step: "extraction", providers: [anthropic(baseURL, client: client)], budget: budget)
                let result = await chain.generateJSON(JobSummary.self, request: Self.request, schema: jobSummarySchema) { deterministicSummary }

                #expect(result.value == Self.goodSummary)
                #expect(result.producedBy == "anthropic")
                #expect(result.attempts.count == 2)
                #expect(result.attempts[0].outcome == .failed)
                #expect(result.attempts[0].detail == "unusable reply: $.skills[1]: expected string, found integer; $.remote: expected boolean, found string")
                #expect(!result.attempts[0].isRepair)
                #expect(result.attempts[1].outcome == .succeeded)
                #expect(result.attempts[1].isRepair)
                #expect(await budget.totals.calls == 2)

                let repairPrompt = try #require(server.requests.last?.json["messages"]?[0]?["content"]?.stringValue)
                #expect(repairPrompt.hasPrefix("Posting: Swift engineer, remote."))
                #expect(repairPrompt.contains("- $.skills[1]: expected string, found integer"))
                #expect(repairPrompt.contains(invalid))
                #expect(repairPrompt.contains("Reply again with only the corrected JSON"))
            }
        }
    }

    @Test func replyThatStaysInvalidFallsBackWithAttemptsRecorded() async throws {
        try await withScriptedServer([AnthropicFixtures.reply("I cannot find any job details in this posting.")]) { server, baseURL in
            try await withHTTPClient { client, _ in
                let chain = LanguageModelChain(step: "extraction", providers: [anthropic(baseURL, client: client)])
                let result = await chain.generateJSON(JobSummary.self, request: Self.request, schema: jobSummarySchema) { deterministicSummary }

                #expect(result.value == deterministicSummary)
                #expect(result.producedBy == "deterministic")
                #expect(result.usedFallback)
                #expect(result.model == nil)
                #expect(server.requestCount == 2)
                #expect(result.attempts.map(\.outcome) == [.failed, .failed])
                #expect(result.attempts.map(\.isRepair) == [false, true])
                #expect(result.attempts[0].detail == "unusable reply: no usable JSON: the reply contains no JSON object")
                #expect(result.summary.hasSuffix("fell back to the deterministic engine"))
            }
        }
    }

    @Test func truncatedReplyIsNotedInTheRepairRequest() async throws {
        let cutOff = ScriptedReply(body: AnthropicFixtures.message(#"{"title": "Swift Engineer", "skills": ["swi"#, stopReason: "max_tokens"))
        try await withScriptedServer([cutOff, AnthropicFixtures.reply(Self.goodJSON)]) { server, baseURL in
            try await withHTTPClient { client, _ in
                let chain = LanguageModelChain(step: "extraction", providers: [anthropic(baseURL, client: client)])
                let result = await chain.generateJSON(JobSummary.self, request: Self.request, schema: jobSummarySchema) { deterministicSummary }
                #expect(result.producedBy == "anthropic")
                #expect(result.attempts[0].detail?.hasPrefix("unusable reply (cut off at the output token limit): no usable JSON") == true)
                let repairPrompt = try #require(server.requests.last?.json["messages"]?[0]?["content"]?.stringValue)
                #expect(repairPrompt.contains("cut off at the output token limit"))
            }
        }
    }

    @Test func decodingFailureIsRepairedToo() async throws {
        // Valid against a lax schema, but `remote` is missing for the Decodable type.
        let lax = JSONSchema.object(["title": .string(), "skills": .array(of: .string())])
        try await withScriptedServer([
            OpenAIFixtures.reply(#"{"title": "A", "skills": []}"#),
            OpenAIFixtures.reply(#"{"title": "A", "skills": [], "remote": false}"#),
        ]) { server, baseURL in
            try await withHTTPClient { client, _ in
                let chain = LanguageModelChain(step: "extraction", providers: [openAI(baseURL, client: client)])
                let result = await chain.generateJSON(JobSummary.self, request: Self.request, schema: lax) { deterministicSummary }
                #expect(result.value == JobSummary(title: "A", skills: [], remote: false))
                #expect(result.attempts[0].detail == "unusable reply: $.remote: required property is missing")
                #expect(server.requestCount == 2)
            }
        }
    }

    @Test func persistentServerErrorsMoveOnToTheNextProvider() async throws {
        try await withScriptedServer([AnthropicFixtures.failure(503, type: "api_error", message: "Service unavailable")]) { failing, failingURL in
            try await withScriptedServer([OpenAIFixtures.reply(Self.goodJSON)]) { working, workingURL in
                try await withHTTPClient { client, _ in
                    let chain = LanguageModelChain(
                        step: "extraction",
                        providers: [anthropic(failingURL, client: client), openAI(workingURL, client: client)]
                    )
                    let result = await chain.generateJSON(JobSummary.self, request: Self.request, schema: jobSummarySchema) { deterministicSummary }
                    #expect(result.value == Self.goodSummary)
                    #expect(result.producedBy == "openai")
                    #expect(failing.requestCount == 3)
                    #expect(working.requestCount == 1)
                    #expect(result.attempts.map(\.provider) == ["anthropic", "openai"])
                    #expect(result.attempts[0].outcome == .failed)
                    #expect(result.attempts[0].detail == "anthropic: HTTP 503 api_error: Service unavailable")
                    #expect(result.attempts[1].outcome == .succeeded)
                }
            }
        }
    }

    @Test func unauthorizedIsNotRetriedAndTheNextProviderAnswers() async throws {
        let unauthorized = AnthropicFixtures.failure(401, type: "authentication_error", message: "invalid x-api-key")
        try await withScriptedServer([unauthorized]) { failing, failingURL in
            try await withScriptedServer([OpenAIFixtures.reply(Self.goodJSON)]) { working, workingURL in
                try await withHTTPClient { client, _ in
                    let chain = LanguageModelChain(
                        step: "extraction",
                        providers: [anthropic(failingURL, client: client), openAI(workingURL, client: client)]
                    )
                    let result = await chain.generateJSON(JobSummary.self, request: Self.request, schema: jobSummarySchema) { deterministicSummary }
                    #expect(result.producedBy == "openai")
                    #expect(failing.requestCount == 1)
                    #expect(working.requestCount == 1)
                    #expect(result.attempts[0].detail == "anthropic: HTTP 401 authentication_error: invalid x-api-key")
                }
            }
        }
    }

    @Test func allProvidersFailingFallsBack() async throws {
        let overloaded = AnthropicFixtures.failure(529, type: "overloaded_error", message: "Overloaded")
        try await withScriptedServer([overloaded]) { _, anthropicURL in
            try await withHTTPClient { client, pool in
                let chain = LanguageModelChain(
                    step: "research",
                    providers: [
                        anthropic(anthropicURL, client: client, retries: .none),
                        ClaudeCLIProvider(configuration: .init(executable: "/nonexistent/claude"), threadPool: pool),
                    ]
                )
                let result = await chain.generateJSON(JobSummary.self, request: Self.request, schema: jobSummarySchema) { deterministicSummary }
                #expect(result.producedBy == Generated<JobSummary>.deterministic)
                #expect(result.attempts.map(\.provider) == ["anthropic", "claude-cli"])
                #expect(result.summary == "anthropic: failed (anthropic: HTTP 529 overloaded_error: Overloaded); "
                    + "claude-cli: failed (claude-cli: executable '/nonexistent/claude' not found or not executable); "
                    + "fell back to the deterministic engine")
            }
        }
    }

    @Test func noProvidersMeansDeterministicWithoutAttempts() async {
        let chain = LanguageModelChain(step: "extraction", providers: [])
        let result = await chain.generateJSON(JobSummary.self, request: Self.request, schema: jobSummarySchema) { deterministicSummary }
        #expect(result.value == deterministicSummary)
        #expect(result.usedFallback)
        #expect(result.attempts.isEmpty)
        #expect(chain.description == "extraction: deterministic")
    }

    @Test func exhaustedBudgetStopsCallsBeforeTheProviderIsContacted() async throws {
        try await withScriptedServer([AnthropicFixtures.reply(Self.goodJSON, inputTokens: 1_000, outputTokens: 1_000)]) { server, baseURL in
            try await withHTTPClient { client, _ in
                // One call costs $0.018 at Sonnet prices: the first spends the whole budget.
                let budget = LanguageModelBudget(limitDollars: 0.01)
                let chain = LanguageModelChain(step: "extraction", providers: [anthropic(baseURL, client: client)], budget: budget)

                let first = await chain.generateJSON(JobSummary.self, request: Self.request, schema: jobSummarySchema) { deterministicSummary }
                #expect(first.producedBy == "anthropic")
                #expect(await budget.isExhausted)

                let second = await chain.generateJSON(JobSummary.self, request: Self.request, schema: jobSummarySchema) { deterministicSummary }
                #expect(second.usedFallback)
                #expect(second.attempts.map(\.outcome) == [.skipped])
                #expect(second.attempts[0].detail == "language-model budget exhausted: spent $0.018 of $0.01")
                #expect(server.requestCount == 1)

                let text = await chain.generateText(request: Self.request) { "template text" }
                #expect(text.value == "template text")
                #expect(server.requestCount == 1)
            }
        }
    }

    @Test func zeroBudgetNeverCallsAnyProvider() async throws {
        try await withScriptedServer([AnthropicFixtures.reply(Self.goodJSON)]) { first, firstURL in
            try await withScriptedServer([OpenAIFixtures.reply(Self.goodJSON)]) { second, secondURL in
                try await withHTTPClient { client, _ in
                    let chain = LanguageModelChain(
                        step: "extraction",
                        providers: [anthropic(firstURL, client: client), openAI(secondURL, client: client)],
                        budget: LanguageModelBudget(limitDollars: 0)
                    )
                    let result = await chain.generateJSON(JobSummary.self, request: Self.request, schema: jobSummarySchema) { deterministicSummary }
                    #expect(result.usedFallback)
                    #expect(result.attempts.map(\.provider) == ["anthropic", "openai"])
                    #expect(result.attempts.allSatisfy { $0.outcome == .skipped })
                    #expect(first.requestCount == 0)
                    #expect(second.requestCount == 0)
                }
            }
        }
    }

    @Test func unknownModelCountsTokensAtNoCost() async throws {
        try await withScriptedServer([ScriptedReply(body: OpenAIFixtures.ollamaCompletion(Self.goodJSON))]) { _, baseURL in
            try await withHTTPClient { client, _ in
                let budget = LanguageModelBudget(limitDollars: 1)
                let chain = LanguageModelChain(
                    step: "extraction", providers: [openAI(baseURL, client: client, apiKey: nil, model: "llama3.2", name: "ollama")], budget: budget
                )
                let result = await chain.generateJSON(JobSummary.self, request: Self.request, schema: jobSummarySchema) { deterministicSummary }
                #expect(result.producedBy == "ollama")
                let totals = await budget.totals
                #expect(totals.calls == 1)
                #expect(totals.tokens == TokenUsage(inputTokens: 26, outputTokens: 7))
                #expect(totals.dollars == 0)
            }
        }
    }

    @Test func claudeCLIInAChain() async throws {
        try await withTemporaryDirectory { directory in
            let fake = try FakeClaude(in: directory, behaviour: "echo 'Here you go:'\necho '\(Self.goodJSON)'")
            try await withHTTPClient { _, pool in
                let chain = LanguageModelChain(step: "extraction", providers: [fake.provider(pool: pool)], budget: LanguageModelBudget())
                let result = await chain.generateJSON(JobSummary.self, request: Self.request, schema: jobSummarySchema) { deterministicSummary }
                #expect(result.value == Self.goodSummary)
                #expect(result.producedBy == "claude-cli")
                let arguments = try fake.recordedArguments()
                #expect(arguments[1] == "Posting: Swift engineer, remote.")
                let systemIndex = try #require(arguments.firstIndex(of: "--append-system-prompt"))
                #expect(arguments[systemIndex + 1].contains("Reply with JSON only"))
            }
        }
    }

    @Test func generateTextUsesTheFirstProviderThatAnswers() async throws {
        try await withScriptedServer([OpenAIFixtures.failure(400, message: "bad", type: "invalid_request_error")]) { _, failingURL in
            try await withScriptedServer([AnthropicFixtures.reply("A cover letter.")]) { server, workingURL in
                try await withHTTPClient { client, _ in
                    let chain = LanguageModelChain(
                        step: "cv-generator", providers: [openAI(failingURL, client: client), anthropic(workingURL, client: client)]
                    )
                    let result = await chain.generateText(request: CompletionRequest(prompt: "Write a letter")) { "template" }
                    #expect(result.value == "A cover letter.")
                    #expect(result.producedBy == "anthropic")
                    #expect(result.attempts.map(\.outcome) == [.failed, .succeeded])
                    // Plain text: no JSON instruction is added.
                    #expect(server.requests.first?.json["system"] == nil)
                }
            }
        }
    }

    @Test func cancelledTaskFallsBackWithoutCalling() async throws {
        try await withScriptedServer([AnthropicFixtures.reply(Self.goodJSON)]) { server, baseURL in
            try await withHTTPClient { client, _ in
                let chain = LanguageModelChain(step: "extraction", providers: [anthropic(baseURL, client: client)])
                let task = Task {
                    withUnsafeCurrentTask { $0?.cancel() }
                    return await chain.generateJSON(JobSummary.self, request: Self.request, schema: jobSummarySchema) { deterministicSummary }
                }
                let result = await task.value
                #expect(result.usedFallback)
                #expect(result.attempts.map(\.outcome) == [.skipped])
                #expect(result.attempts.first?.detail == "cancelled")
                #expect(server.requestCount == 0)
            }
        }
    }
}
