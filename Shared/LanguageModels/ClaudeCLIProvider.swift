import Foundation
import Logging
import NIOPosix

/// Claude through the Claude Code CLI in print mode: `claude -p <prompt> --output-format text`.
///
/// For machines where the CLI is logged in (a subscription) instead of holding an API key. Standard
/// output is the answer. A non-zero exit, output starting with `Error:` (how the CLI reports API and
/// login failures, sometimes with status 0) or blank output is a failure carrying an excerpt of what
/// it printed. The run is bounded by the timeout, after which the CLI and its children are killed.
///
/// The CLI reports no token counts in text mode, so calls are counted but cost nothing in the
/// budget; `maxOutputTokens` and `temperature` have no CLI flags and are not sent.
///
/// Waiting for the process blocks a thread, so it happens on the `NIOThreadPool` given here, never
/// on Swift's cooperative pool.
public struct ClaudeCLIProvider: LanguageModelProvider, CustomStringConvertible {
    public struct Configuration: Sendable {
        /// A path, or a name looked up on `PATH`. Default `claude` (`CLAUDE_CLI_PATH`).
        public var executable: String
        /// Passed as `--model` when set (`CLAUDE_CLI_MODEL`); otherwise the CLI's default.
        public var model: String?
        /// The limit for the whole run. Default 60 s (`JOBSMITH_LLM_TIMEOUT_SECONDS`).
        public var timeout: Duration
        /// Appended after the standard arguments (e.g. `--max-turns`, `1`).
        public var extraArguments: [String]
        /// The child's environment, and the `PATH` searched for ``executable``; `nil` inherits ours.
        public var environment: [String: String]?
        /// The child's working directory; `nil` inherits ours.
        public var workingDirectory: String?

        public init(
            executable: String = "claude",
            model: String? = nil,
            timeout: Duration = .seconds(60),
            extraArguments: [String] = [],
            environment: [String: String]? = nil,
            workingDirectory: String? = nil
        ) {
            self.executable = executable
            self.model = model
            self.timeout = timeout
            self.extraArguments = extraArguments
            self.environment = environment
            self.workingDirectory = workingDirectory
        }
    }

    /// Prompts longer than this go to standard input instead of the command line: Linux limits one
    /// argument to 128 KiB. (`claude -p` reads its prompt from standard input when none is given.)
    static let longestArgumentPrompt = 100_000
    /// Output kept per stream; the rest is read and dropped.
    static let outputLimit = 4 * 1024 * 1024

    public let name: String
    public let configuration: Configuration
    private let threadPool: NIOThreadPool
    private let logger: Logger

    public init(
        configuration: Configuration,
        threadPool: NIOThreadPool,
        name: String = "claude-cli",
        logger: Logger = Logger(label: "jobsmith.llm")
    ) {
        self.name = name
        self.configuration = configuration
        self.threadPool = threadPool
        self.logger = logger
    }

    public var description: String {
        "\(name) (\(configuration.executable)\(configuration.model.map { ", model \($0)" } ?? ""))"
    }

    /// The arguments for `request`, and the bytes for standard input when the prompt cannot go on the
    /// command line: when it is too long, or starts with `-`, which the CLI would parse as an option.
    func invocation(for request: CompletionRequest) -> (arguments: [String], standardInput: [UInt8]?) {
        let promptBytes = Array(request.prompt.utf8)
        let viaStandardInput = promptBytes.count > Self.longestArgumentPrompt || request.prompt.hasPrefix("-")
        var arguments = viaStandardInput ? ["-p"] : ["-p", request.prompt]
        arguments += ["--output-format", "text"]
        if let model = configuration.model, !model.isEmpty {
            arguments += ["--model", model]
        }
        if let system = request.system, !system.isEmpty {
            arguments += ["--append-system-prompt", system]
        }
        arguments += configuration.extraArguments
        return (arguments, viaStandardInput ? promptBytes : nil)
    }

    public func complete(_ request: CompletionRequest) async throws -> Completion {
        guard let executable = resolvedExecutable() else {
            throw LanguageModelError.executableNotFound(provider: name, executable: configuration.executable)
        }
        let (arguments, input) = invocation(for: request)
        let configuration = self.configuration
        let cancellation = ProcessCancellation()
        let outcome: SubprocessRunner.Outcome
        do {
            outcome = try await withTaskCancellationHandler {
                try await threadPool.runIfActive {
                    try SubprocessRunner.run(
                        executable: executable,
                        arguments: arguments,
                        standardInput: input,
                        environment: configuration.environment,
                        workingDirectory: configuration.workingDirectory,
                        timeout: configuration.timeout,
                        outputLimit: Self.outputLimit,
                        cancellation: cancellation
                    )
                }
            } onCancel: {
                cancellation.cancel()
            }
        } catch SubprocessRunner.Failure.couldNotStart(let reason) {
            throw LanguageModelError.couldNotStart(provider: name, executable: executable, reason: reason)
        }
        guard case .finished(let output) = outcome else {
            throw LanguageModelError.timedOut(provider: name, after: configuration.timeout)
        }
        return try completion(from: output)
    }

    /// Judges a finished run.
    func completion(from output: SubprocessRunner.Output) throws -> Completion {
        let standardOutput = String(decoding: output.standardOutput, as: UTF8.self)
        let standardError = String(decoding: output.standardError, as: UTF8.self)
        let text = standardOutput.trimmingWhitespace()
        if output.wasSignalled {
            throw LanguageModelError.processFailed(
                provider: name, exitCode: nil,
                output: "killed by signal \(output.status)" + Self.excerptSuffix(standardError, standardOutput)
            )
        }
        guard output.status == 0 else {
            throw LanguageModelError.processFailed(
                provider: name, exitCode: output.status,
                output: HTTPProviderSupport.excerpt(standardError.trimmingWhitespace().isEmpty ? standardOutput : standardError)
            )
        }
        if text.hasPrefix("Error:") {
            throw LanguageModelError.processFailed(provider: name, exitCode: nil, output: HTTPProviderSupport.excerpt(text))
        }
        guard !text.isEmpty else {
            let detail = standardError.trimmingWhitespace().isEmpty ? nil : "stderr: \(HTTPProviderSupport.excerpt(standardError))"
            throw LanguageModelError.emptyReply(provider: name, detail: detail)
        }
        return Completion(text: text, provider: name, model: configuration.model ?? "claude-cli-default", usage: nil)
    }

    private static func excerptSuffix(_ standardError: String, _ standardOutput: String) -> String {
        let source = standardError.trimmingWhitespace().isEmpty ? standardOutput : standardError
        let excerpt = HTTPProviderSupport.excerpt(source)
        return excerpt.isEmpty ? "" : ": \(excerpt)"
    }

    /// The executable's path: ``Configuration/executable`` itself when it holds a `/`, otherwise the
    /// first executable match on `PATH`.
    func resolvedExecutable() -> String? {
        Self.resolveExecutable(configuration)
    }

    static func resolveExecutable(_ configuration: Configuration) -> String? {
        let fileManager = FileManager.default
        let executable = configuration.executable
        if executable.contains("/") {
            return fileManager.isExecutableFile(atPath: executable) ? executable : nil
        }
        let environment = configuration.environment ?? ProcessInfo.processInfo.environment
        let directories = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        for directory in directories where !directory.isEmpty {
            let candidate = "\(directory)/\(executable)"
            if fileManager.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
