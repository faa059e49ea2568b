import Foundation
import HTTPClient
import Logging

/// Any server that speaks OpenAI's chat-completions format (`POST {baseURL}/chat/completions`):
/// OpenAI itself, OpenRouter, and local servers such as Ollama, vLLM and llama.cpp.
///
/// The base URL includes the version path, as those servers document it:
/// `https://api.openai.com/v1`, `https://openrouter.ai/api/v1`, `http://localhost:11434/v1`.
/// `Authorization: Bearer` is sent only when a key is set, since local servers need none. The reply is
/// `choices[0].message.content`; usage is `usage.prompt_tokens`/`completion_tokens` when reported.
public struct OpenAICompatibleProvider: LanguageModelProvider, CustomStringConvertible {
    /// The request field that carries the output limit.
    public enum TokenLimitField: String, Sendable, Hashable {
        /// `max_tokens`: what every compatible server accepts.
        case maxTokens = "max_tokens"
        /// `max_completion_tokens`: required by OpenAI's reasoning models (o-series, GPT-5), which
        /// reject `max_tokens`.
        case maxCompletionTokens = "max_completion_tokens"
    }

    public struct Configuration: Sendable {
        /// The bearer token, or `nil` for servers without authentication. Never logged or quoted.
        public var apiKey: String?
        /// The API root including the version path. Default `https://api.openai.com/v1` (`OPENAI_BASE_URL`).
        public var baseURL: String
        /// The model id. Default ``defaultModel`` (`OPENAI_MODEL`).
        public var model: String
        /// The limit for each HTTP attempt. Default 60 s (`JOBSMITH_LLM_TIMEOUT_SECONDS`).
        public var timeout: Duration
        public var retryPolicy: RetryPolicy
        /// Default ``TokenLimitField/maxTokens`` (`OPENAI_TOKEN_LIMIT_FIELD`).
        public var tokenLimitField: TokenLimitField
        /// Extra headers, e.g. OpenRouter's optional `HTTP-Referer` and `X-Title`.
        public var additionalHeaders: [HTTPHeader]

        public static let defaultBaseURL = "https://api.openai.com/v1"
        public static let defaultModel = "gpt-4.1-mini"

        public init(
            apiKey: String? = nil,
            baseURL: String = Self.defaultBaseURL,
            model: String = Self.defaultModel,
            timeout: Duration = .seconds(60),
            retryPolicy: RetryPolicy = RetryPolicy(),
            tokenLimitField: TokenLimitField = .maxTokens,
            additionalHeaders: [HTTPHeader] = []
        ) {
            self.apiKey = apiKey
            self.baseURL = baseURL
            self.model = model
            self.timeout = timeout
            self.retryPolicy = retryPolicy
            self.tokenLimitField = tokenLimitField
            self.additionalHeaders = additionalHeaders
        }
    }

    public let name: String
    public let configuration: Configuration
    private let support: HTTPProviderSupport

    /// - Parameter name: How reports call this provider (`openai`, `ollama`, `openrouter`…).
    public init(
        configuration: Configuration,
        httpClient: HTTPClient,
        name: String = "openai",
        logger: Logger = Logger(label: "jobsmith.llm")
    ) {
        self.name = name
        self.configuration = configuration
        self.support = HTTPProviderSupport(
            providerName: name,
            httpClient: httpClient,
            timeout: configuration.timeout,
            retryPolicy: configuration.retryPolicy,
            logger: logger,
            secrets: configuration.apiKey.map { [$0] } ?? []
        )
    }

    /// `{baseURL}/chat/completions`.
    public var endpoint: String {
        var base = configuration.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/chat/completions"
    }

    public var description: String {
        "\(name) (model \(configuration.model), \(endpoint))"
    }

    public func complete(_ request: CompletionRequest) async throws -> Completion {
        var messages: [ChatRequest.Message] = []
        if let system = request.system {
            messages.append(.init(role: "system", content: system))
        }
        messages.append(.init(role: "user", content: request.prompt))
        let chat = ChatRequest(
            model: configuration.model,
            messages: messages,
            tokenLimitField: configuration.tokenLimitField,
            tokenLimit: request.maxOutputTokens,
            temperature: request.temperature
        )
        var headers = [HTTPHeader(name: "Content-Type", value: "application/json")]
        if let apiKey = configuration.apiKey, !apiKey.isEmpty {
            headers.append(HTTPHeader(name: "Authorization", value: "Bearer \(apiKey)"))
        }
        headers += configuration.additionalHeaders
        let response = try await support.post(
            url: endpoint, headers: headers, body: try HTTPProviderSupport.encode(chat), parseError: APIErrorBody.parse
        )

        let decoded: ChatResponse
        do {
            decoded = try JSONDecoder().decode(ChatResponse.self, from: Data(response.body))
        } catch {
            throw LanguageModelError.invalidResponse(
                provider: name,
                detail: "not a chat-completions response: \(support.redacted(HTTPProviderSupport.excerpt(response.bodyText)))"
            )
        }
        // Some servers (OpenRouter) report upstream failures inside a 200.
        if let error = decoded.error {
            throw LanguageModelError.httpStatus(
                provider: name, status: response.status, apiErrorType: error.type, message: error.message.map(support.redacted)
            )
        }
        guard let choice = decoded.choices?.first else {
            throw LanguageModelError.invalidResponse(provider: name, detail: "the response has no choices")
        }
        guard let text = choice.message?.content, !text.trimmingWhitespace().isEmpty else {
            let detail = choice.message?.refusal.map { "refused: \($0)" } ?? choice.finish_reason.map { "finish_reason \($0)" }
            throw LanguageModelError.emptyReply(provider: name, detail: detail)
        }
        return Completion(
            text: text,
            provider: name,
            model: decoded.model ?? configuration.model,
            usage: decoded.usage.map { TokenUsage(inputTokens: $0.prompt_tokens ?? 0, outputTokens: $0.completion_tokens ?? 0) },
            stopReason: choice.finish_reason
        )
    }
}

// MARK: - Wire format

extension OpenAICompatibleProvider {
    struct ChatRequest: Encodable {
        struct Message: Encodable {
            var role: String
            var content: String
        }

        var model: String
        var messages: [Message]
        var tokenLimitField: TokenLimitField
        var tokenLimit: Int
        var temperature: Double?

        private struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(_ string: String) { stringValue = string }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(model, forKey: Key("model"))
            try container.encode(messages, forKey: Key("messages"))
            try container.encode(tokenLimit, forKey: Key(tokenLimitField.rawValue))
            try container.encodeIfPresent(temperature, forKey: Key("temperature"))
        }
    }

    struct ChatResponse: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable {
                var content: String?
                var refusal: String?
            }

            var message: Message?
            var finish_reason: String?
        }

        struct Usage: Decodable {
            var prompt_tokens: Int?
            var completion_tokens: Int?
        }

        struct ErrorBody: Decodable {
            var message: String?
            var type: String?
        }

        var model: String?
        var choices: [Choice]?
        var usage: Usage?
        var error: ErrorBody?
    }
}
