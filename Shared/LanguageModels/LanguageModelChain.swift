import Foundation
import Logging

/// The providers configured for one step, tried in order, ending in the deterministic engine.
///
/// For each provider: call it (it retries transient failures itself), find the JSON in the reply,
/// validate it against the schema and decode it. An unusable reply earns one repair call to the same
/// provider, quoting the problems; if that fails too, or the call itself failed, the next provider
/// is tried. When none succeeds — or none is configured, or the budget is spent — the fallback
/// closure (the deterministic engine) supplies the value. Nothing is thrown: the caller always gets a
/// value, plus a record of what was tried.
///
/// ```swift
/// let chain = factory.chain(forStep: "extraction")
/// let result = await chain.generateJSON(
///     Posting.self,
///     request: CompletionRequest(system: extractionInstructions, prompt: postingText, maxOutputTokens: 2000),
///     schema: Posting.schema,
///     fallback: { DeterministicExtractor.extract(postingText) }
/// )
/// notes.append("extraction: \(result.producedBy) — \(result.summary)")
/// ```
public struct LanguageModelChain: Sendable, CustomStringConvertible {
    /// The step this chain serves, for logs.
    public let step: String
    public let providers: [any LanguageModelProvider]
    /// Checked before every call and told about every reply; `nil` means no limit and no totals.
    public let budget: LanguageModelBudget?
    private let logger: Logger

    public init(
        step: String,
        providers: [any LanguageModelProvider],
        budget: LanguageModelBudget? = nil,
        logger: Logger = Logger(label: "jobsmith.llm")
    ) {
        self.step = step
        self.providers = providers
        self.budget = budget
        self.logger = logger
    }

    public var description: String {
        let names = providers.map(\.name) + [deterministicProducer]
        return "\(step): " + names.joined(separator: " → ")
    }

    // MARK: JSON

    /// A value of type `T` from the first provider whose reply, as JSON, matches `schema` and decodes;
    /// otherwise `fallback()`.
    ///
    /// The schema is appended to the system prompt, with an instruction to answer with JSON only, so
    /// the model sees exactly what is checked.
    ///
    /// - Parameters:
    ///   - type: What to decode the JSON into, with `JSONDecoder`'s default strategies.
    ///   - schema: What the reply must satisfy before decoding is attempted.
    ///   - fallback: The deterministic engine's answer; called only when every provider failed.
    public func generateJSON<T: Decodable & Sendable>(
        _ type: T.Type,
        request: CompletionRequest,
        schema: JSONSchema,
        fallback: () async -> T
    ) async -> Generated<T> {
        let prepared = Self.requestingJSON(request, schema: schema)
        var attempts: [Attempt] = []
        for (index, provider) in providers.enumerated() {
            if let skipReason = await skipReason() {
                attempts += providers[index...].map { Attempt(provider: $0.name, outcome: .skipped, detail: skipReason) }
                break
            }
            let result = await generateJSON(type, with: provider, request: prepared, schema: schema)
            attempts += result.attempts
            if let value = result.value {
                return Generated(value: value, producedBy: provider.name, model: result.model, attempts: attempts)
            }
        }
        return await fallingBack(attempts: attempts, fallback: fallback)
    }

    /// One provider's turn: a call, and one repair call when the reply is unusable.
    private func generateJSON<T: Decodable & Sendable>(
        _ type: T.Type,
        with provider: any LanguageModelProvider,
        request: CompletionRequest,
        schema: JSONSchema
    ) async -> (value: T?, model: String?, attempts: [Attempt]) {
        var attempts: [Attempt] = []
        var nextRequest = request
        for isRepair in [false, true] {
            if isRepair, let skipReason = await skipReason() {
                attempts.append(Attempt(provider: provider.name, outcome: .skipped, detail: skipReason, isRepair: true))
                break
            }
            let result = await call(provider, nextRequest, isRepair: isRepair)
            guard let completion = result.completion else {
                attempts.append(result.attempt)
                break
            }
            switch Self.interpret(completion.text, as: type, schema: schema) {
            case .success(let value):
                attempts.append(result.attempt)
                return (value, completion.model, attempts)
            case .failure(let problems):
                attempts.append(Self.unusable(result.attempt, completion, problems))
                nextRequest = Self.repairRequest(request, reply: completion, problems: problems, schema: schema)
            }
        }
        return (nil, nil, attempts)
    }

    // MARK: Text

    /// The first provider's non-empty reply text, or `fallback()`.
    public func generateText(request: CompletionRequest, fallback: () async -> String) async -> Generated<String> {
        var attempts: [Attempt] = []
        for (index, provider) in providers.enumerated() {
            if let skipReason = await skipReason() {
                attempts += providers[index...].map { Attempt(provider: $0.name, outcome: .skipped, detail: skipReason) }
                break
            }
            let result = await call(provider, request, isRepair: false)
            attempts.append(result.attempt)
            if let completion = result.completion {
                return Generated(value: completion.text, producedBy: provider.name, model: completion.model, attempts: attempts)
            }
        }
        return await fallingBack(attempts: attempts, fallback: fallback)
    }

    // MARK: Calls

    /// Calls `provider` once (with its own retries) and records the reply's usage in the budget.
    private func call(
        _ provider: any LanguageModelProvider,
        _ request: CompletionRequest,
        isRepair: Bool
    ) async -> (completion: Completion?, attempt: Attempt) {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let completion = try await provider.complete(request)
            let cost = await budget?.record(model: completion.model, usage: completion.usage)
            let elapsed = clock.now - start
            logger.debug(
                "Language-model call succeeded",
                metadata: [
                    "llm.step": "\(step)", "llm.provider": "\(provider.name)", "llm.model": "\(completion.model)",
                    "llm.input_tokens": "\(completion.usage?.inputTokens ?? 0)",
                    "llm.output_tokens": "\(completion.usage?.outputTokens ?? 0)",
                    "llm.cost_usd": "\(cost ?? 0)", "llm.repair": "\(isRepair)",
                ]
            )
            let attempt = Attempt(
                provider: provider.name,
                outcome: .succeeded,
                detail: completion.wasTruncated ? "reply hit the output token limit" : nil,
                isRepair: isRepair,
                usage: completion.usage,
                duration: elapsed
            )
            return (completion, attempt)
        } catch {
            let detail = (error as? LanguageModelError)?.description ?? (error is CancellationError ? "cancelled" : "\(error)")
            logger.info(
                "Language-model call failed",
                metadata: [
                    "llm.step": "\(step)", "llm.provider": "\(provider.name)", "llm.error": "\(detail)", "llm.repair": "\(isRepair)",
                ]
            )
            let attempt = Attempt(provider: provider.name, outcome: .failed, detail: detail, isRepair: isRepair, duration: clock.now - start)
            return (nil, attempt)
        }
    }

    /// `attempt` marked failed because its reply could not be used.
    private static func unusable(_ attempt: Attempt, _ completion: Completion, _ problems: ReplyProblems) -> Attempt {
        var attempt = attempt
        attempt.outcome = .failed
        let cutOff = completion.wasTruncated ? " (cut off at the output token limit)" : ""
        attempt.detail = "unusable reply\(cutOff): " + problems.summary
        return attempt
    }

    /// Why no further provider may be called, if that is so.
    private func skipReason() async -> String? {
        if Task.isCancelled { return "cancelled" }
        do {
            try await budget?.checkAvailable()
            return nil
        } catch {
            return error.description
        }
    }

    private func fallingBack<T: Sendable>(attempts: [Attempt], fallback: () async -> T) async -> Generated<T> {
        if !providers.isEmpty {
            logger.info(
                "Language models gave no usable answer; using the deterministic engine",
                metadata: ["llm.step": "\(step)", "llm.attempts": "\(attempts.map(\.description).joined(separator: "; "))"]
            )
        }
        return Generated(value: await fallback(), producedBy: deterministicProducer, attempts: attempts)
    }

    // MARK: Prompts and replies

    /// `request` with the JSON-only instruction and the schema added to the system prompt.
    static func requestingJSON(_ request: CompletionRequest, schema: JSONSchema) -> CompletionRequest {
        var prepared = request
        let instruction = """
            Reply with JSON only: a single JSON value that conforms to this JSON Schema, with no \
            explanation before or after it.
            \(schema.jsonText())
            """
        prepared.system = request.system.map { "\($0)\n\n\(instruction)" } ?? instruction
        return prepared
    }

    /// The follow-up for an unusable reply: the original task, the reply, what is wrong with it.
    static func repairRequest(
        _ request: CompletionRequest,
        reply: Completion,
        problems: ReplyProblems,
        schema: JSONSchema
    ) -> CompletionRequest {
        var repair = request
        let truncation = reply.wasTruncated ? "\nThe reply was cut off at the output token limit; keep the corrected JSON shorter.\n" : ""
        repair.prompt = """
            \(request.prompt)

            ---
            Your previous reply was not usable:
            \(problems.lines.map { "- \($0)" }.joined(separator: "\n"))
            \(truncation)
            Your previous reply was:
            \(String(reply.text.prefix(8_000)))

            Reply again with only the corrected JSON, conforming to this JSON Schema:
            \(schema.jsonText())
            """
        return repair
    }

    /// The reply's JSON, validated and decoded, or everything wrong with it.
    static func interpret<T: Decodable>(_ reply: String, as type: T.Type, schema: JSONSchema) -> Result<T, ReplyProblems> {
        let extracted: ExtractedJSON
        do {
            extracted = try JSONReplyParser.extract(from: reply, accepting: schema.acceptedReplyKinds)
        } catch {
            return .failure(ReplyProblems(lines: ["no usable JSON: \(error.reason)"]))
        }
        let problems = schema.validate(extracted.value)
        guard problems.isEmpty else {
            return .failure(ReplyProblems(lines: problems.map(\.description)))
        }
        do {
            return .success(try JSONDecoder().decode(T.self, from: Data(extracted.text.utf8)))
        } catch let error as DecodingError {
            return .failure(ReplyProblems(lines: [Self.describe(error)]))
        } catch {
            return .failure(ReplyProblems(lines: ["the JSON could not be decoded: \(error)"]))
        }
    }

    /// A decoding error as a JSON path and a reason, like schema problems.
    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.reduce("$") { path, key in
                key.intValue.map { "\(path)[\($0)]" } ?? JSONSchema.path(path, appending: key.stringValue)
            }
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(type)"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(type), found null"
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): required property is missing"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

/// Why a reply could not be used, one line per problem.
struct ReplyProblems: Error, Sendable {
    var lines: [String]

    /// The first few problems on one line, for an attempt's detail.
    var summary: String {
        let shown = lines.prefix(5).joined(separator: "; ")
        return lines.count > 5 ? "\(shown); and \(lines.count - 5) more" : shown
    }
}
