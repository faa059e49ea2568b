import Foundation
import LanguageModels
import NIOPosix
import Testing

/// A stand-in `claude` executable: a shell script in a temporary directory that records its
/// arguments (NUL-separated, since a prompt may hold newlines) and its process id, then does what the
/// test scripted.
struct FakeClaude {
    let directory: URL

    var path: String { directory.appendingPathComponent("claude").path }

    init(in directory: URL, behaviour: String) throws {
        self.directory = directory
        let script = """
            #!/bin/sh
            for argument in "$@"; do printf '%s\\0' "$argument"; done > '\(directory.path)/arguments'
            echo $$ > '\(directory.path)/pid'
            \(behaviour)
            """
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }

    /// The arguments of the last run.
    func recordedArguments() throws -> [String] {
        let data = try Data(contentsOf: directory.appendingPathComponent("arguments"))
        return data.split(separator: 0, omittingEmptySubsequences: false).dropLast().map { String(decoding: $0, as: UTF8.self) }
    }

    func recordedNumber(_ file: String) throws -> Int32 {
        let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
        return try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    func provider(model: String? = "sonnet", timeout: Duration = .seconds(10), pool: NIOThreadPool) -> ClaudeCLIProvider {
        ClaudeCLIProvider(configuration: .init(executable: path, model: model, timeout: timeout), threadPool: pool)
    }
}

/// Whether `pid` is a live process (a zombie, killed but not yet reaped, counts as gone).
func isAlive(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
    // The state follows the parenthesised command name: "1234 (sleep) S …".
    guard let close = stat.lastIndex(of: ")") else { return false }
    let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
    return state != "Z" && state != "X"
}

@Suite("ClaudeCLIProvider with a fake claude executable")
struct ClaudeCLIProviderTests {
    @Test func successReadsStandardOutputAndPassesTheDocumentedArguments() async throws {
        try await withTemporaryDirectory { directory in
            let fake = try FakeClaude(in: directory, behaviour: #"printf '%s\n' '{"answer": 42}'"#)
            try await withHTTPClient { _, pool in
                let completion = try await fake.provider(pool: pool).complete(
                    CompletionRequest(system: "Answer in JSON.", prompt: "What is 6 × 7?\nThink.", maxOutputTokens: 100)
                )
                #expect(completion.text == #"{"answer": 42}"#)
                #expect(completion.provider == "claude-cli")
                #expect(completion.model == "sonnet")
                #expect(completion.usage == nil)
                #expect(try fake.recordedArguments() == [
                    "-p", "What is 6 × 7?\nThink.", "--output-format", "text", "--model", "sonnet",
                    "--append-system-prompt", "Answer in JSON.",
                ])
            }
        }
    }

    @Test func withoutModelOrSystemOnlyTheCoreArguments() async throws {
        try await withTemporaryDirectory { directory in
            let fake = try FakeClaude(in: directory, behaviour: "echo fine")
            try await withHTTPClient { _, pool in
                _ = try await fake.provider(model: nil, pool: pool).complete(CompletionRequest(prompt: "hello"))
                #expect(try fake.recordedArguments() == ["-p", "hello", "--output-format", "text"])
            }
        }
    }

    @Test func nonZeroExitIsAFailureWithStandardError() async throws {
        try await withTemporaryDirectory { directory in
            let fake = try FakeClaude(in: directory, behaviour: "echo 'partial answer'; echo 'API rate limit reached' >&2; exit 3")
            try await withHTTPClient { _, pool in
                let (error, _) = await failure { _ = try await fake.provider(pool: pool).complete(CompletionRequest(prompt: "hi")) }
                let llmError = try #require(error as? LanguageModelError)
                #expect(llmError.kind == .processFailed)
                #expect(llmError.description == "claude-cli: exited with status 3: API rate limit reached")
            }
        }
    }

    @Test func errorPrefixedOutputIsAFailureEvenWithStatusZero() async throws {
        try await withTemporaryDirectory { directory in
            let fake = try FakeClaude(in: directory, behaviour: "echo 'Error: Invalid API key · Please run /login'; exit 0")
            try await withHTTPClient { _, pool in
                let (error, _) = await failure { _ = try await fake.provider(pool: pool).complete(CompletionRequest(prompt: "hi")) }
                let llmError = try #require(error as? LanguageModelError)
                #expect(llmError.kind == .processFailed)
                #expect(llmError.description == "claude-cli: reported an error: Error: Invalid API key · Please run /login")
            }
        }
    }

    @Test(arguments: ["", "printf '   \\n\\n'", "echo 'warming up' >&2"])
    func blankOutputIsAnEmptyReply(behaviour: String) async throws {
        try await withTemporaryDirectory { directory in
            let fake = try FakeClaude(in: directory, behaviour: behaviour)
            try await withHTTPClient { _, pool in
                let (error, _) = await failure { _ = try await fake.provider(pool: pool).complete(CompletionRequest(prompt: "hi")) }
                #expect((error as? LanguageModelError)?.kind == .emptyReply)
            }
        }
    }

    @Test func timeoutKillsTheProcessAndItsChildren() async throws {
        try await withTemporaryDirectory { directory in
            let behaviour = "sleep 30 &\necho $! > '\(directory.path)/child'\nwait"
            let fake = try FakeClaude(in: directory, behaviour: behaviour)
            try await withHTTPClient { _, pool in
                let (error, elapsed) = await failure {
                    _ = try await fake.provider(timeout: .milliseconds(400), pool: pool).complete(CompletionRequest(prompt: "hi"))
                }
                let llmError = try #require(error as? LanguageModelError)
                #expect(llmError.kind == .timedOut)
                #expect(llmError.description == "claude-cli: no reply within 400 ms")
                // Well short of the 30 s the script would run: the timeout, not the script, ended it.
                #expect(elapsed < .seconds(20))
                let shell = try fake.recordedNumber("pid")
                let child = try fake.recordedNumber("child")
                // The kill is synchronous for the shell; give the orphaned child a moment to be reaped.
                for _ in 0..<100 where isAlive(shell) || isAlive(child) {
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(!isAlive(shell))
                #expect(!isAlive(child))
            }
        }
    }

    @Test func largeOutputOnBothStreamsDoesNotDeadlock() async throws {
        try await withTemporaryDirectory { directory in
            // 1 MB to stdout and then 1 MB to stderr: reading the streams one after the other would
            // leave the child blocked on a full stderr pipe.
            let behaviour = "head -c 1000000 /dev/zero | tr '\\000' x\nhead -c 1000000 /dev/zero | tr '\\000' y >&2"
            let fake = try FakeClaude(in: directory, behaviour: behaviour)
            try await withHTTPClient { _, pool in
                let completion = try await fake.provider(timeout: .seconds(10), pool: pool).complete(CompletionRequest(prompt: "hi"))
                #expect(completion.text.utf8.count == 1_000_000)
                #expect(completion.text.allSatisfy { $0 == "x" })
            }
        }
    }

    @Test func longPromptGoesThroughStandardInput() async throws {
        try await withTemporaryDirectory { directory in
            let fake = try FakeClaude(in: directory, behaviour: "cat > '\(directory.path)/stdin'\necho received")
            let prompt = String(repeating: "posting text ", count: 12_000)
            try await withHTTPClient { _, pool in
                let completion = try await fake.provider(model: nil, pool: pool).complete(CompletionRequest(prompt: prompt))
                #expect(completion.text == "received")
                #expect(try fake.recordedArguments() == ["-p", "--output-format", "text"])
                let received = try String(contentsOf: directory.appendingPathComponent("stdin"), encoding: .utf8)
                #expect(received == prompt)
            }
        }
    }

    @Test func promptThatLooksLikeAnOptionGoesThroughStandardInput() async throws {
        try await withTemporaryDirectory { directory in
            let fake = try FakeClaude(in: directory, behaviour: "cat > '\(directory.path)/stdin'\necho received")
            let prompt = "--- Job posting ---\nSenior Swift engineer"
            try await withHTTPClient { _, pool in
                _ = try await fake.provider(model: nil, pool: pool).complete(CompletionRequest(prompt: prompt))
                #expect(try fake.recordedArguments() == ["-p", "--output-format", "text"])
                #expect(try String(contentsOf: directory.appendingPathComponent("stdin"), encoding: .utf8) == prompt)
            }
        }
    }

    @Test func shortPromptLeavesStandardInputEmpty() async throws {
        try await withTemporaryDirectory { directory in
            let fake = try FakeClaude(in: directory, behaviour: "cat > '\(directory.path)/stdin'\necho done")
            try await withHTTPClient { _, pool in
                _ = try await fake.provider(pool: pool).complete(CompletionRequest(prompt: "short"))
                let received = try String(contentsOf: directory.appendingPathComponent("stdin"), encoding: .utf8)
                #expect(received.isEmpty)
            }
        }
    }

    @Test func missingExecutableIsReported() async throws {
        try await withHTTPClient { _, pool in
            let provider = ClaudeCLIProvider(configuration: .init(executable: "/nonexistent/claude"), threadPool: pool)
            let (error, _) = await failure { _ = try await provider.complete(CompletionRequest(prompt: "hi")) }
            let llmError = try #require(error as? LanguageModelError)
            #expect(llmError.kind == .executableNotFound)
            #expect(llmError.description == "claude-cli: executable '/nonexistent/claude' not found or not executable")
        }
    }

    @Test func executableIsFoundOnPath() async throws {
        try await withTemporaryDirectory { directory in
            let fake = try FakeClaude(in: directory, behaviour: "echo from-path")
            try await withHTTPClient { _, pool in
                let environment = ["PATH": "/nonexistent:\(directory.path)", "HOME": NSTemporaryDirectory()]
                let provider = ClaudeCLIProvider(configuration: .init(executable: "claude", environment: environment), threadPool: pool)
                let completion = try await provider.complete(CompletionRequest(prompt: "hi"))
                #expect(completion.text == "from-path")
                #expect(fake.path.hasPrefix(directory.path))
            }
        }
    }

    @Test func cancellationKillsTheProcessPromptly() async throws {
        try await withTemporaryDirectory { directory in
            let fake = try FakeClaude(in: directory, behaviour: "sleep 30")
            try await withHTTPClient { _, pool in
                let provider = fake.provider(timeout: .seconds(30), pool: pool)
                let task = Task { try await provider.complete(CompletionRequest(prompt: "hi")) }
                try await Task.sleep(for: .milliseconds(300))
                let clock = ContinuousClock()
                let start = clock.now
                task.cancel()
                let result = await task.result
                // Well short of the 30 s the script sleeps and the 30 s timeout: cancellation ended it.
                #expect(clock.now - start < .seconds(20))
                #expect(throws: CancellationError.self) { try result.get() }
            }
        }
    }
}
