import Foundation
import HTTPClient
import Logging

/// What the two HTTP providers share: sending with retries, turning transport failures and error
/// bodies into ``LanguageModelError``s, and keeping secrets out of anything quoted.
struct HTTPProviderSupport: Sendable {
    let providerName: String
    let httpClient: HTTPClient
    let timeout: Duration
    let retryPolicy: RetryPolicy
    let logger: Logger
    /// Strings that must never appear in an error message (the API key).
    let secrets: [String]

    /// POSTs `body` to `url` until a 2xx arrives or a failure is final.
    ///
    /// - Parameter parseError: Turns a non-2xx response's body into the API's error type and message.
    /// - Returns: The successful response.
    func post(
        url: String,
        headers: [HTTPHeader],
        body: [UInt8],
        parseError: @escaping @Sendable (_ body: String) -> APIErrorBody
    ) async throws -> HTTPResponse {
        try await retryPolicy.run(onRetry: { error, attempt, pause in
            logger.info(
                "Retrying language-model request",
                metadata: [
                    "llm.provider": "\(providerName)",
                    "llm.attempt": "\(attempt)",
                    "llm.retry_delay": "\(pause.secondsDescription)",
                    "llm.error": "\(error.description)",
                ]
            )
        }) {
            let request = HTTPRequest(method: .post, url: url, headers: headers, body: body, timeout: timeout)
            let response: HTTPResponse
            do {
                response = try await httpClient.execute(request)
            } catch let error as HTTPClientError {
                throw languageModelError(for: error)
            }
            guard response.isSuccess else {
                throw statusError(for: response, parseError: parseError)
            }
            return response
        }
    }

    /// The ``LanguageModelError`` for a non-2xx response.
    func statusError(for response: HTTPResponse, parseError: (_ body: String) -> APIErrorBody) -> LanguageModelError {
        let parsed = parseError(response.bodyText)
        let message = redacted(parsed.message ?? Self.excerpt(response.bodyText))
        return .httpStatus(
            provider: providerName,
            status: response.status,
            apiErrorType: parsed.type.map(redacted),
            message: message.isEmpty ? nil : message,
            retryAfter: Self.retryAfter(in: response),
            retryable: Self.retryableOverride(for: response, apiError: parsed)
        )
    }

    /// Maps the HTTP client's failures; only a timeout and a failed connection mean "try again".
    func languageModelError(for error: HTTPClientError) -> LanguageModelError {
        switch error.kind {
        case .timedOut:
            return .timedOut(provider: providerName, after: timeout)
        case .connectionFailed:
            return .connectionFailed(provider: providerName, detail: redacted(error.description))
        case .invalidURL, .invalidHeader:
            return .invalidConfiguration("\(providerName): \(redacted(error.description))")
        case .responseTooLarge:
            return .transport(provider: providerName, detail: error.description, retryable: false)
        default:
            return .transport(provider: providerName, detail: redacted(error.description))
        }
    }

    /// `text` with every secret replaced, so an API that echoes a key cannot leak it into notes.
    func redacted(_ text: String) -> String {
        secrets.reduce(text) { text, secret in
            secret.count >= 4 ? text.replacingOccurrences(of: secret, with: "[redacted]") : text
        }
    }

    // MARK: Helpers

    /// The server's `Retry-After` (whole or fractional seconds; OpenAI's `retry-after-ms` first). An
    /// HTTP-date is ignored: backoff applies instead.
    static func retryAfter(in response: HTTPResponse) -> Duration? {
        if let value = response.header("retry-after-ms"), let milliseconds = Double(value.trimmingCharacters(in: .whitespaces)),
            milliseconds.isFinite, milliseconds >= 0
        {
            return .milliseconds(milliseconds)
        }
        if let value = response.header("retry-after"), let seconds = Double(value.trimmingCharacters(in: .whitespaces)),
            seconds.isFinite, seconds >= 0
        {
            return .seconds(seconds)
        }
        return nil
    }

    /// When the API says whether to retry, or the error cannot pass with time.
    ///
    /// Anthropic and OpenAI send `x-should-retry`; a 429 for an exhausted quota or spending cap
    /// (`insufficient_quota`, `enforced_spend_limit_reached`) stays until someone pays, so it is final.
    static func retryableOverride(for response: HTTPResponse, apiError: APIErrorBody) -> Bool? {
        switch response.header("x-should-retry")?.lowercased() {
        case "true": return true
        case "false": return false
        default: break
        }
        let permanentCodes: Set<String> = ["insufficient_quota", "enforced_spend_limit_reached", "billing_error"]
        if let code = apiError.code, permanentCodes.contains(code) { return false }
        if let type = apiError.type, permanentCodes.contains(type) { return false }
        return nil
    }

    /// The start of a body, on one line, for messages.
    static func excerpt(_ text: String, limit: Int = 300) -> String {
        let flattened = text.split(whereSeparator: \.isNewline).joined(separator: " ")
            .trimmingCharacters(in: .whitespaces)
        guard flattened.count > limit else { return flattened }
        return String(flattened.prefix(limit)) + "…"
    }

    /// Encodes a wire-format body.
    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }
}

/// The parts of an API's error body worth reporting.
struct APIErrorBody: Sendable {
    var type: String?
    var message: String?
    var code: String?

    /// Reads the shapes the supported servers use: Anthropic's `{"type":"error","error":{…}}`,
    /// OpenAI's `{"error":{"message","type","code"}}`, and the looser `{"error":"…"}`,
    /// `{"message":"…"}` and `{"detail":"…"}` of Ollama, llama.cpp and vLLM.
    static func parse(_ body: String) -> APIErrorBody {
        guard case .object(let root)? = try? JSONValue(parsing: body) else { return APIErrorBody() }
        var result = APIErrorBody()
        switch root["error"] {
        case .object(let error)?:
            result.type = error["type"]?.stringValue
            result.message = error["message"]?.stringValue
            result.code = error["code"]?.stringValue ?? error["details"]?["error_code"]?.stringValue
        case .string(let message)?:
            result.message = message
        default:
            break
        }
        if result.message == nil {
            result.message = root["message"]?.stringValue ?? root["detail"]?.stringValue
        }
        return result
    }
}
