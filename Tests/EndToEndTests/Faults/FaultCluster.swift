import Foundation
import HTTPClient
import JobsmithTesting
import Messaging

/// The built binaries of one fault scenario: one gateway and three replicas each of extraction,
/// research and cv-generator, on the suite's own Redis and PostgreSQL.
///
/// Timeouts are short so that recovery shows within seconds: an entry left by a dead replica is
/// reclaimed after 3 s, a message failing three times is dead-lettered, and a heartbeat is stale after
/// 1.5 s.
final class FaultCluster: @unchecked Sendable {
    // Safety of `@unchecked Sendable`: the processes are started and signalled from the test's task only.
    static let workers: [ServiceName] = [.extraction, .research, .cvGenerator]
    static let replicasPerService = 3
    static let shutdownDeadline = Duration.seconds(10)
    static let maximumDeliveries = 3

    let work: URL
    let http: HTTPClient
    let token = UUID().uuidString
    private let base: [String: String]
    private(set) var processes: [String: ServiceProcess] = [:]
    /// Replicas the scenario stopped or killed on purpose.
    private(set) var stopped: Set<String> = []

    init(redisURL: String, databaseURL: String, streams: StreamNames, work: URL, http: HTTPClient) {
        self.work = work
        self.http = http
        var base = ProcessInfo.processInfo.environment
        base["REDIS_URL"] = redisURL
        base["DATABASE_URL"] = databaseURL
        base["JOBSMITH_STREAM_PREFIX"] = streams.prefix
        base["MASTER_CV_PATH"] = TestEnvironment.repositoryRoot.appendingPathComponent("samples/master-cv.json").path
        base["CV_OUTPUT_DIR"] = work.appendingPathComponent("output").path
        base["GATEWAY_API_TOKEN"] = token
        base["JOBSMITH_THREADS"] = "2"
        base["HEARTBEAT_INTERVAL_MS"] = "500"
        // Ten debug-built processes share two cores here and a replica can stall for seconds; with a
        // shorter timeout a live replica's entries would be claimed by another and handled twice.
        base["CONSUMER_VISIBILITY_TIMEOUT_MS"] = "10000"
        base["CONSUMER_MAX_DELIVERIES"] = String(Self.maximumDeliveries)
        base["CONSUMER_HANDLER_TIMEOUT_MS"] = "60000"
        base["SHUTDOWN_DEADLINE_MS"] = String(Self.shutdownDeadline.wholeMilliseconds)
        self.base = base
    }

    /// The replica names of a working service: `extraction-1` … `extraction-3`.
    static func replicas(of service: ServiceName) -> [String] {
        (1...replicasPerService).map { "\(service.rawValue)-\($0)" }
    }

    /// Starts every binary at once (start-up is mostly waiting on the two servers) and waits until
    /// each answers `/readyz`.
    func startAll() async throws {
        try launch(.gateway, as: "gateway-1")
        for service in Self.workers {
            for instance in Self.replicas(of: service) { try launch(service, as: instance) }
        }
        let deadline = ContinuousClock.now + .seconds(120)
        for process in processes.values.sorted(by: { $0.name < $1.name }) {
            while (try? await http.get("http://127.0.0.1:\(process.port)/readyz"))?.status != 200 {
                guard process.isRunning, ContinuousClock.now < deadline else {
                    throw EndToEndFailure("\(process.name) did not become ready:\n\(process.log.suffix(2000))")
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    private func launch(_ service: ServiceName, as instance: String) throws {
        var environment = base
        let port = try ServiceProcess.freePort()
        environment["HTTP_PORT"] = String(port)
        environment["JOBSMITH_INSTANCE"] = instance
        let process = try ServiceProcess(
            executable: PipelineEndToEndTests.binaryDirectory.appendingPathComponent(service.rawValue), name: instance, port: port,
            environment: environment, logDirectory: work
        )
        try process.start()
        processes[instance] = process
    }

    func process(_ instance: String) throws -> ServiceProcess {
        guard let process = processes[instance] else { throw EndToEndFailure("no replica \(instance)") }
        return process
    }

    /// Sends `signal` to a replica and marks it as stopped on purpose.
    func signal(_ instance: String, _ signal: Int32) throws {
        stopped.insert(instance)
        try process(instance).send(signal)
    }

    /// Replicas that exited although the scenario did not stop them.
    var unexpectedlyExited: [String] {
        processes.values.filter { !$0.isRunning && !stopped.contains($0.name) }.map(\.name).sorted()
    }

    // MARK: - The gateway's API

    var gateway: String { "http://127.0.0.1:\(processes["gateway-1"]!.port)" }

    func get(_ path: String) async throws -> [String: Any] {
        let response = try await http.get(gateway + path)
        guard response.status == 200 else { throw EndToEndFailure("GET \(path) answered \(response.status): \(response.bodyText.prefix(300))") }
        return try json(response)
    }

    func post(_ path: String) async throws -> (status: Int, body: [String: Any]) {
        let response = try await http.execute(HTTPRequest(
            method: .post, url: gateway + path, headers: [HTTPHeader(name: "Authorization", value: "Bearer \(token)")]
        ))
        return (response.status, (try? json(response)) ?? [:])
    }

    // MARK: - Ending

    /// Every replica's log tail, for failure reports.
    var logs: String {
        processes.values.sorted { $0.name < $1.name }.map { "--- \($0.name)\n\($0.log.suffix(1500))" }.joined(separator: "\n")
    }

    /// Lines of every replica's log that contain `text`, at most `limit`, each with its replica's name.
    func logLines(containing text: String, limit: Int = 20) -> [String] {
        let lines = processes.values.sorted { $0.name < $1.name }.flatMap { process in
            process.log.split(separator: "\n").filter { $0.contains(text) }.map { "\(process.name): \($0)" }
        }
        return Array(lines.prefix(limit))
    }

    func stopAll() async {
        await withTaskGroup(of: Void.self) { group in
            for process in processes.values {
                group.addTask { _ = await process.terminate() }
            }
        }
    }
}
