import Foundation
import HTTPClient
import Logging

/// Claude through Anthropic's Messages API (`POST {baseURL}/v1/messages`).
///
/// Sends one user message (plus the system prompt) and joins the reply's `text` content blocks.
/// Usage comes from the response's `usage` object; errors from its
/// `{"type":"error","error":{"type","message"}}` body. Retries follow ``RetryPolicy``.
///
/// ```swift
/// let claude = AnthropicProvider(
///     configuration: .init(apiKey: environment["ANTHROPIC_API_KEY"] ?? "", model: "claude-sonnet-4-6"),
///     httpClient: client
/// )
/// ```
public struct AnthropicProvider: LanguageModelProvider, CustomStringConvertible {
    /// Where and how to call the API.
    public struct Configuration: Sendable {
        /// Sent as `x-api-key`; never logged or quoted.
        public var apiKey: String
        /// The API root, without `/v1`. Default `https://api.anthropic.com` (`ANTHROPIC_BASE_URL`).
        public var baseURL: String
        /// The model id. Default ``defaultModel`` (`ANTHROPIC_MODEL`).
        public var model: String
        /// The limit for each HTTP attempt. Default 60 s (`JOBSMITH_LLM_TIMEOUT_SECONDS`).
        public var timeout: Duration
        public var retryPolicy: RetryPolicy
        /// The `anthropic-version` header: the wire format this code was written against.
        public var apiVersion: String

        public static let defaultBaseURL = "https://api.anthropic.com"
        public static let defaultModel = "claude-sonnet-4-6"

        public init(
            apiKey: String,
            baseURL: String = Self.defaultBaseURL,
            model: String = Self.defaultModel,
            timeout: Duration = .seconds(60),
            retryPolicy: RetryPolicy = RetryPolicy(),
            apiVersion: String = "2023-06-01"
        ) {
            self.apiKey = apiKey
            self.baseURL = baseURL
            self.model = model
            self.timeout = timeout
            self.retryPolicy = retryPolicy
            self.apiVersion = apiVersion
        }
    }

    public let name: String
    public let configuration: Configuration
    private let support: HTTPProviderSupport

    public init(
        configuration: Configuration,
        httpClient: HTTPClient,
        name: String = "anthropic",
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
            secrets: [configuration.apiKey]
        )
    }

    /// The endpoint: `{baseURL}/v1/messages`, tolerating a trailing slash or `/v1` in the base URL.
    public var endpoint: String {
        var base = configuration.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/v1") { base.removeLast(3) }
        return base + "/v1/messages"
    }

    public var description: String {
        "\(name) (model \(configuration.model), \(endpoint))"
    }

    public func complete(_ request: CompletionRequest) async throws -> Completion {
        let body = try HTTPProviderSupport.encode(
            MessagesRequest(
                model: configuration.model,
                max_tokens: request.maxOutputTokens,
                system: request.system,
                messages: [.init(role: "user", content: request.prompt)],
                temperature: request.temperature
            )
        )
        let headers = [
            HTTPHeader(name: "x-api-key", value: configuration.apiKey),
            HTTPHeader(name: "anthropic-version", value: configuration.apiVersion),
            HTTPHeader(name: "content-type", value: "application/json"),
            HTTPHeader(name: "accept", value: "application/json"),
        ]
        let response = try await support.post(url: endpoint, headers: headers, body: body, parseError: APIErrorBody.parse)

        let decoded: MessagesResponse
        do {
            decoded = try JSONDecoder().decode(MessagesResponse.self, from: Data(response.body))
        } catch {
            throw LanguageModelError.invalidResponse(
                provider: name,
                detail: "not a Messages API response: \(support.redacted(HTTPProviderSupport.excerpt(response.bodyText)))"
            )
        }
        let text = (decoded.content ?? []).filter { $0.type == "text" }.compactMap(\.text).joined()
        guard !text.trimmingWhitespace().isEmpty else {
            throw LanguageModelError.emptyReply(provider: name, detail: decoded.stop_reason.map { "stop_reason \($0)" })
        }
        return Completion(
            text: text,
            provider: name,
            model: decoded.model ?? configuration.model,
            usage: decoded.usage.map {
                TokenUsage(
                    inputTokens: $0.input_tokens + ($0.cache_creation_input_tokens ?? 0) + ($0.cache_read_input_tokens ?? 0),
                    outputTokens: $0.output_tokens
                )
            },
            stopReason: decoded.stop_reason
        )
    }
}

// MARK: - Wire format

extension AnthropicProvider {
    struct MessagesRequest: Encodable {
        struct Message: Encodable {
            var role: String
            var content: String
        }

        var model: String
        var max_tokens: Int
        var system: String?
        var messages: [Message]
        var temperature: Double?
    }

    struct MessagesResponse: Decodable {
        struct ContentBlock: Decodable {
            var type: String
            var text: String?
        }

        struct Usage: Decodable {
            var input_tokens: Int
            var output_tokens: Int
            var cache_creation_input_tokens: Int?
            var cache_read_input_tokens: Int?
        }

        var model: String?
        var content: [ContentBlock]?
        var stop_reason: String?
        var usage: Usage?
    }
}
