import Foundation
import JobsmithTesting
import Testing

private let applicationServices = ["ingestion", "extraction", "research", "cv-generator", "gateway"]
private let infrastructureServices = ["redis", "postgres"]

/// Checks `compose/docker-compose.yml` and `compose/Dockerfile` without a Docker engine:
/// `docker-compose config` parses, validates and normalizes the file, and the assertions read that
/// normalized form, so anchors, merges and variable defaults are already resolved.
@Suite("Compose deployment files")
struct ComposeFileTests {
    /// One `docker-compose config` run, shared by the tests.
    static let config = ComposeCommand.run(["config"], environment: ["GATEWAY_API_TOKEN": "compose-file-test-token"])

    /// The normalized configuration, or a recorded failure when `docker-compose config` did not succeed.
    private func normalized() throws -> NormalizedCompose {
        let run = Self.config
        try #require(run.status == 0, "docker-compose config failed (\(run.status)): \(run.errorOutput)")
        return NormalizedCompose(run.output)
    }

    @Test("docker-compose config accepts the file")
    func configParses() {
        let run = Self.config
        #expect(run.status == 0, "exit status \(run.status); stderr: \(run.errorOutput)")
        #expect(run.output.contains("services:"))
    }

    @Test("declares the five services, Redis and PostgreSQL")
    func declaresEveryService() throws {
        let compose = try normalized()
        for name in applicationServices + infrastructureServices {
            #expect(compose.services[name] != nil, "service \(name) is missing; found \(compose.services.keys.sorted())")
        }
    }

    @Test("Redis keeps an append-only file and never evicts keys")
    func redisIsDurable() throws {
        let compose = try normalized()
        let redis = compose.services["redis"] ?? []
        let commandSection = compose.section("command", of: redis)
        let command = compose.words(in: try #require(commandSection, "redis has no command"))
        #expect(command.first == "redis-server", "command: \(command)")
        #expect(command.adjacent("--appendonly", "yes"), "command: \(command)")
        #expect(command.adjacent("--maxmemory-policy", "noeviction"), "command: \(command)")
    }

    @Test("every service has a health check", arguments: applicationServices + infrastructureServices)
    func hasHealthcheck(service: String) throws {
        let compose = try normalized()
        let lines = compose.services[service] ?? []
        let section = compose.section("healthcheck", of: lines)
        let healthcheck = try #require(section, "\(service) has no healthcheck")
        let text = healthcheck.joined(separator: "\n")
        #expect(text.contains("test:"), "\(service)'s healthcheck has no test")
        #expect(!text.contains("disable: true"), "\(service)'s healthcheck is disabled")
        if applicationServices.contains(service) {
            #expect(text.contains("/healthz"), "\(service)'s healthcheck does not probe /healthz")
        }
    }

    @Test("services wait for healthy Redis and PostgreSQL", arguments: applicationServices)
    func waitsForDependencies(service: String) throws {
        let compose = try normalized()
        let lines = compose.services[service] ?? []
        let section = compose.section("depends_on", of: lines)
        let dependsOn = try #require(section, "\(service) has no depends_on")
        for dependency in infrastructureServices {
            let condition = compose.section(dependency, of: dependsOn).map { compose.words(in: $0) } ?? []
            #expect(condition.adjacent("condition:", "service_healthy"), "\(service) → \(dependency): \(condition)")
        }
    }

    @Test("services can be scaled: no fixed container names")
    func noContainerNames() throws {
        let compose = try normalized()
        for name in applicationServices {
            let containerName = compose.section("container_name", of: compose.services[name] ?? [])
            #expect(containerName == nil, "\(name) sets container_name")
        }
    }

    @Test("the working services run several replicas, and scaling one is an environment variable")
    func workersRunReplicas() throws {
        let compose = try normalized()
        for name in ["extraction", "research", "cv-generator"] {
            let words = compose.words(in: compose.services[name] ?? [])
            #expect(words.adjacent("scale:", "2"), "\(name) does not run two replicas by default")
        }
        let scaled = ComposeCommand.run(["config"], environment: ["GATEWAY_API_TOKEN": "test", "EXTRACTION_REPLICAS": "5"])
        #expect(scaled.status == 0, "stderr: \(scaled.errorOutput)")
        let extraction = NormalizedCompose(scaled.output).services["extraction"] ?? []
        #expect(compose.words(in: extraction).adjacent("scale:", "5"))
    }

    @Test("a replica drains within its deadline before Compose would kill it", arguments: applicationServices)
    func drainsBeforeTheStopTimeout(service: String) throws {
        let compose = try normalized()
        let words = compose.words(in: compose.services[service] ?? [])
        let deadline = try #require(words.firstIndex(of: "SHUTDOWN_DEADLINE_MS:").flatMap { Int(words[$0 + 1]) }, "\(service) has no SHUTDOWN_DEADLINE_MS")
        let grace = try #require(words.firstIndex(of: "stop_grace_period:").map { words[$0 + 1] }, "\(service) has no stop_grace_period")
        // Normalized as "30s" (or "1m30s"); only seconds are used here.
        let graceSeconds = try #require(Int(grace.dropLast()), "stop_grace_period \(grace)")
        #expect(deadline + 5_000 <= graceSeconds * 1000, "drain deadline \(deadline) ms against a \(grace) stop timeout")
    }

    @Test("the gateway publishes port 8080")
    func gatewayPublishesPort() throws {
        let compose = try normalized()
        let section = compose.section("ports", of: compose.services["gateway"] ?? [])
        let ports = try #require(section, "gateway publishes no ports")
        let words = compose.words(in: ports)
        let longForm = words.adjacent("published:", "8080")
        let shortForm = words.contains { $0.hasPrefix("8080:") || $0.contains(":8080:") }
        #expect(longForm || shortForm, "gateway ports: \(ports)")
    }

    @Test("the gateway needs GATEWAY_API_TOKEN")
    func tokenIsRequired() {
        let run = ComposeCommand.run(["config", "--quiet"], environment: [:])
        #expect(run.status != 0, "config succeeded without GATEWAY_API_TOKEN")
        #expect(run.errorOutput.contains("GATEWAY_API_TOKEN"), "stderr: \(run.errorOutput)")
    }

    @Test("the Dockerfile builds one product chosen by ARG SERVICE")
    func dockerfileBuildsOneProduct() throws {
        let url = TestEnvironment.repositoryRoot.appendingPathComponent("compose/Dockerfile")
        let lines = try String(contentsOf: url, encoding: .utf8)
            .split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.hasPrefix("#") }
        #expect(lines.contains { $0 == "ARG SERVICE" || $0.hasPrefix("ARG SERVICE=") }, "no ARG SERVICE")
        let build = lines.filter { $0.contains("swift build") && $0.contains("--product") }
        #expect(!build.isEmpty, "no swift build --product")
        #expect(build.contains { $0.contains("$SERVICE") || $0.contains("${SERVICE}") }, "--product is not $SERVICE")
        #expect(build.contains { $0.contains("-c release") && $0.contains("--static-swift-stdlib") })
        #expect(lines.contains { $0.hasPrefix("FROM debian:bookworm-slim") }, "runtime stage is not bookworm-slim")
        #expect(lines.contains { $0.hasPrefix("USER ") && !$0.hasPrefix("USER root") }, "runs as root")
    }
}

// MARK: - Running docker-compose

/// The result of one `docker-compose -f compose/docker-compose.yml …` run.
struct ComposeCommand: Sendable {
    var status: Int32
    var output: String
    var errorOutput: String

    /// Runs docker-compose from the repository root. `environment` is laid over a copy of this process's
    /// environment from which the variables the compose file reads have been removed, so a developer's
    /// shell cannot change the outcome.
    static func run(_ arguments: [String], environment: [String: String]) -> ComposeCommand {
        guard let executable = findExecutable("docker-compose") else {
            return ComposeCommand(
                status: -1, output: "",
                errorOutput: "docker-compose is not installed (scripts/test installs it: apt-get install docker-compose)"
            )
        }
        var env = ProcessInfo.processInfo.environment
        for name in env.keys where name.hasPrefix("COMPOSE_") || Self.interpolatedVariables.contains(name) {
            env[name] = nil
        }
        env.merge(environment) { _, new in new }

        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent(TestEnvironment.uniqueName("compose-config"))
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            // Files, not pipes: nothing can block on a full pipe buffer while we wait.
            let outURL = folder.appendingPathComponent("stdout")
            let errURL = folder.appendingPathComponent("stderr")
            _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
            _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
            let out = try FileHandle(forWritingTo: outURL)
            let err = try FileHandle(forWritingTo: errURL)

            let process = Process()
            process.executableURL = executable
            process.arguments = ["-f", "compose/docker-compose.yml"] + arguments
            process.currentDirectoryURL = TestEnvironment.repositoryRoot
            process.environment = env
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = out
            process.standardError = err
            try process.run()
            process.waitUntilExit()
            try out.close()
            try err.close()
            return ComposeCommand(
                status: process.terminationStatus,
                output: try String(contentsOf: outURL, encoding: .utf8),
                errorOutput: try String(contentsOf: errURL, encoding: .utf8)
            )
        } catch {
            return ComposeCommand(status: -1, output: "", errorOutput: "could not run docker-compose: \(error)")
        }
    }

    /// Variables `compose/docker-compose.yml` interpolates.
    static let interpolatedVariables: Set<String> = [
        "GATEWAY_API_TOKEN", "GATEWAY_PORT", "POSTGRES_PASSWORD", "JOBSMITH_THREADS", "JOBSMITH_STREAM_PREFIX",
        "LOG_LEVEL", "LOG_FORMAT",
    ]

    private static func findExecutable(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/local/bin", "/usr/bin"]
        for folder in folders where !folder.isEmpty {
            let candidate = URL(fileURLWithPath: folder).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}

// MARK: - Reading the normalized YAML

/// The block-structured YAML `docker-compose config` prints (PyYAML's block style, two-space indent),
/// read by indentation. It is not a YAML parser; it relies on the normalized layout, which is the
/// same for every input the compose file can be written as.
struct NormalizedCompose: Sendable {
    /// The lines of each entry under the top-level `services:` key, indentation kept.
    let services: [String: [String]]

    init(_ text: String) {
        var services: [String: [String]] = [:]
        var inServices = false
        var current: String?
        for line in text.split(separator: "\n").map(String.init) {
            let indent = Self.indentation(of: line)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            if indent == 0 {
                inServices = trimmed == "services:"
                current = nil
            } else if inServices, indent == 2, trimmed.hasSuffix(":") {
                let name = String(trimmed.dropLast()).trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
                current = name
                services[name] = []
            } else if inServices, let current {
                services[current, default: []].append(line)
            }
        }
        self.services = services
    }

    /// The lines under `key:` at the shallowest indentation of `lines` (a sequence's `- ` items may sit
    /// at the key's own indentation). An inline value (`key: value`) comes back as one line. Nil when the
    /// key is absent.
    func section(_ key: String, of lines: [String]) -> [String]? {
        guard let depth = lines.map(Self.indentation(of:)).min() else { return nil }
        for (index, line) in lines.enumerated() where Self.indentation(of: line) == depth {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let unquoted = trimmed.replacingOccurrences(of: "'", with: "").replacingOccurrences(of: "\"", with: "")
            if unquoted.hasPrefix("\(key): ") {
                return [String(unquoted.dropFirst(key.count + 2))]
            }
            guard unquoted == "\(key):" else { continue }
            var body: [String] = []
            for next in lines[(index + 1)...] {
                let nextIndent = Self.indentation(of: next)
                let nextTrimmed = next.trimmingCharacters(in: .whitespaces)
                if nextIndent > depth || (nextIndent == depth && nextTrimmed.hasPrefix("- ")) {
                    body.append(next)
                } else {
                    break
                }
            }
            return body
        }
        return nil
    }

    /// Every word of `lines` with sequence dashes and quotes removed.
    func words(in lines: [String]) -> [String] {
        lines.flatMap { line in
            line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                .map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "'\"")) }
                .filter { $0 != "-" && !$0.isEmpty }
        }
    }

    private static func indentation(of line: String) -> Int {
        line.prefix { $0 == " " }.count
    }
}

extension Array where Element == String {
    /// True when `first` is immediately followed by `second` somewhere in the array.
    func adjacent(_ first: String, _ second: String) -> Bool {
        zip(self, dropFirst()).contains { $0 == first && $1 == second }
    }
}
