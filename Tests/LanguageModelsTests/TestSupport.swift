import Foundation
import HTTPClient
import LanguageModels
import NIOPosix

/// Retries with millisecond pauses, so retry tests take milliseconds rather than seconds.
let fastRetries = RetryPolicy(maximumAttempts: 3, baseDelay: .milliseconds(2), maximumDelay: .milliseconds(50))

/// Runs `body` with an HTTP client over its own started thread pool, shutting the pool down after.
func withHTTPClient<Result: Sendable>(
    threads: Int = 2,
    _ body: (_ client: HTTPClient, _ pool: NIOThreadPool) async throws -> Result
) async throws -> Result {
    let pool = NIOThreadPool(numberOfThreads: threads)
    pool.start()
    let client = HTTPClient(threadPool: pool)
    do {
        let result = try await body(client, pool)
        try await pool.shutdownGracefully()
        return result
    } catch {
        try? await pool.shutdownGracefully()
        throw error
    }
}

/// An Anthropic provider pointed at a loopback server.
func anthropic(
    _ baseURL: String,
    client: HTTPClient,
    apiKey: String = "sk-ant-test-key-0123456789",
    model: String = "claude-sonnet-4-6",
    timeout: Duration = .seconds(5),
    retries: RetryPolicy = fastRetries
) -> AnthropicProvider {
    AnthropicProvider(
        configuration: .init(apiKey: apiKey, baseURL: baseURL, model: model, timeout: timeout, retryPolicy: retries),
        httpClient: client
    )
}

/// An OpenAI-compatible provider pointed at a loopback server (`{baseURL}/v1`).
func openAI(
    _ baseURL: String,
    client: HTTPClient,
    apiKey: String? = "sk-proj-test-key-abcdef123456",
    model: String = "gpt-4.1-mini",
    name: String = "openai",
    timeout: Duration = .seconds(5),
    retries: RetryPolicy = fastRetries
) -> OpenAICompatibleProvider {
    OpenAICompatibleProvider(
        configuration: .init(apiKey: apiKey, baseURL: "\(baseURL)/v1", model: model, timeout: timeout, retryPolicy: retries),
        httpClient: client,
        name: name
    )
}

/// Runs `operation` and returns what it threw (nil when it succeeded) and how long it took.
func failure(of operation: () async throws -> Void) async -> (error: (any Error)?, elapsed: Duration) {
    let clock = ContinuousClock()
    let start = clock.now
    do {
        try await operation()
        return (nil, clock.now - start)
    } catch {
        return (error, clock.now - start)
    }
}

/// A fresh temporary directory, removed when `body` returns.
func withTemporaryDirectory<Result>(_ body: (URL) async throws -> Result) async throws -> Result {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("llm-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}

/// What a test asks a model for in JSON tests.
struct JobSummary: Codable, Sendable, Equatable {
    var title: String
    var skills: [String]
    var remote: Bool
}

let jobSummarySchema = JSONSchema.object([
    "title": .string(minLength: 1),
    "skills": .array(of: .string(), maxItems: 10),
    "remote": .boolean(),
])

let deterministicSummary = JobSummary(title: "deterministic", skills: [], remote: false)
