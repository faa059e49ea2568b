import Foundation
import HTTPClient
import JobsmithTesting
import Messaging
import NIOPosix
import Postgres
import Redis
import Testing

/// One fault scenario from start to end: a Redis and a PostgreSQL of its own, the cluster of binaries,
/// the 1,000-job batch, and the checks every scenario ends with (`settle(after:)`).
///
/// ```swift
/// await FaultScenario.run("redis-restart") { scenario in
///     try await scenario.startBatch()
///     try await scenario.waitForMidBatch()
///     let fault = ContinuousClock.now
///     // … inject the fault …
///     try await scenario.settle(after: fault)
/// }
/// ```
final class FaultScenario: @unchecked Sendable {
    // Safety of `@unchecked Sendable`: a scenario is driven by its test's task only.
    let name: String
    let redis: ManagedRedis
    let postgres: ManagedPostgres
    let streams: StreamNames
    let cluster: FaultCluster
    let ledger: PipelineLedger
    /// A client of the scenario's Redis, for what the test reads and writes itself.
    let redisClient: RedisClient
    private var batchStarted = ContinuousClock.now
    /// Whether a check failed, so that the replicas' logs are kept.
    private(set) var failed = false

    var jobs: [Int] { ledger.jobs }

    private init(name: String, redis: ManagedRedis, postgres: ManagedPostgres, cluster: FaultCluster, ledger: PipelineLedger, redisClient: RedisClient) {
        self.name = name
        self.redis = redis
        self.postgres = postgres
        self.streams = ledger.streams
        self.cluster = cluster
        self.ledger = ledger
        self.redisClient = redisClient
    }

    /// Sets a scenario up, runs `body`, and tears everything down again, also when something failed
    /// (a failure is recorded as an issue with the replicas' logs, never rethrown past the clean-up).
    static func run(_ name: String, _ body: (FaultScenario) async throws -> Void) async {
        let threads = NIOThreadPool(numberOfThreads: 4)
        threads.start()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("faults-\(name)"))
        var servers: (redis: ManagedRedis?, postgres: ManagedPostgres?) = (nil, nil)
        var clients: (redis: RedisClient?, database: PostgresClient?) = (nil, nil)
        var scenario: FaultScenario?
        var failed = false
        do {
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            let redis = try ManagedRedis(directory: work.appendingPathComponent("redis"))
            servers.redis = redis
            try await redis.start()
            let postgres = try await ManagedPostgres.start(in: work.appendingPathComponent("postgres"))
            servers.postgres = postgres
            try postgres.createDatabase("jobsmith")

            let databaseURL = postgres.url(database: "jobsmith")
            let database = PostgresClient(configuration: PostgresConfiguration(url: databaseURL), maximumConnections: 2, threadPool: threads)
            let redisClient = RedisClient(configuration: try RedisConfiguration(url: redis.url), maximumConnections: 2, threadPool: threads)
            clients = (redisClient, database)
            let streams = StreamNames(prefix: TestEnvironment.uniqueName("faults"))
            let cluster = FaultCluster(redisURL: redis.url, databaseURL: databaseURL, streams: streams, work: work, http: HTTPClient(threadPool: threads))
            let jobs = try await PostingBatch.seed(into: database)
            let ledger = PipelineLedger(database: database, redis: redisClient, streams: streams, jobs: jobs)
            let current = FaultScenario(name: name, redis: redis, postgres: postgres, cluster: cluster, ledger: ledger, redisClient: redisClient)
            scenario = current
            try await cluster.startAll()
            try await body(current)
        } catch {
            failed = true
            Issue.record("fault scenario \(name) failed: \(error)\n\(scenario?.cluster.logs ?? "")")
        }
        await scenario?.cluster.stopAll()
        await clients.redis?.shutDown()
        await clients.database?.shutDown()
        await servers.redis?.shutDown()
        await servers.postgres?.shutDown()
        try? await threads.shutdownGracefully()
        // The replicas' logs stay for a look when something failed.
        if failed || scenario?.failed == true {
            print("fault scenario \(name): the replicas' logs are in \(work.path)")
        } else {
            try? FileManager.default.removeItem(at: work)
        }
    }

    /// Records an issue unless `condition` holds and, like `#expect`, lets the scenario go on.
    func check(_ condition: Bool, _ message: @autoclosure () -> String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard !condition else { return }
        failed = true
        Issue.record(Comment(rawValue: message()), sourceLocation: sourceLocation)
    }

    // MARK: - Driving the batch

    /// Announces the whole batch on `jobs:ingested`.
    func startBatch() async throws {
        batchStarted = ContinuousClock.now
        try await PostingBatch.publish(jobs, redis: redisClient, streams: streams)
    }

    /// Waits until a tenth of the jobs have their CV: every stage is busy then, and most of the batch
    /// is still to come.
    func waitForMidBatch() async throws {
        try await wait(until: "a tenth of the jobs have a CV", timeout: .seconds(240)) {
            try await ledger.progress().withCV >= jobs.count / 10
        }
    }

    /// Polls `condition` every 200 ms until it holds. Errors count as "not yet": the scenario may
    /// have taken Redis or PostgreSQL away on purpose.
    func wait(until what: String, timeout: Duration, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        var lastError: (any Error)?
        while ContinuousClock.now < deadline {
            do {
                if try await condition() { return }
            } catch {
                lastError = error
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw EndToEndFailure("timed out after \(timeout) waiting until \(what)" + (lastError.map { "; last error: \($0)" } ?? ""))
    }

    // MARK: - The end of every scenario

    /// What a scenario reports, one line each, so the figures can be quoted.
    struct Figures: CustomStringConvertible {
        var scenario: String
        var jobsIn: Int
        var jobsOut: Int
        /// Save events beyond one per job and stage.
        var duplicates: Int
        /// Jobs and stages with no save event at all.
        var missing: Int
        /// From the fault until every job was done and nothing was pending.
        var recovery: Duration
        var batch: Duration

        var description: String {
            "fault scenario \(scenario): jobs in \(jobsIn), out \(jobsOut), duplicates \(duplicates), "
                + (missing > 0 ? "missing save events \(missing), " : "")
                + "recovered in \(Self.seconds(recovery)) s (batch \(Self.seconds(batch)) s)"
        }

        static func seconds(_ duration: Duration) -> String {
            let (seconds, attoseconds) = duration.components
            return String(format: "%.1f", Double(seconds) + Double(attoseconds) / 1e18)
        }
    }

    /// Waits until the pipeline has recovered from a fault injected at `fault`, prints the scenario's
    /// figures, and checks through PostgreSQL, Redis and the gateway that every job reached the end
    /// exactly once.
    ///
    /// - Parameters:
    ///   - expectedDeadLetters: The original entry IDs each stream may have dead-lettered; every other
    ///     dead-letter stream must stay empty.
    ///   - toleratedRepeatedReports: Save events beyond one per job and stage that the fault may cause
    ///     (results and documents must still be exactly one each).
    @discardableResult
    func settle(
        after fault: ContinuousClock.Instant,
        expectedDeadLetters: [String: Set<String>] = [:],
        toleratedRepeatedReports: Int = 0
    ) async throws -> Figures {
        var progress = PipelineLedger.Progress()
        do {
            try await wait(until: "every job is done and nothing is pending", timeout: .seconds(240)) {
                progress = try await ledger.progress()
                return ledger.isSettled(progress)
            }
        } catch {
            let problems = cluster.logLines(containing: "error") + cluster.logLines(containing: "warning")
            throw EndToEndFailure("\(error)\nlast seen: \(progress)\nlog lines:\n\(problems.joined(separator: "\n"))")
        }
        let settled = ContinuousClock.now

        // Stored results: one of each per job, and no document stored twice.
        let complete = progress.extracted == jobs.count && progress.researched == jobs.count && progress.withCV == jobs.count
        check(complete, "not every job has every result: \(progress)")
        let repeated = try await ledger.repeatedDocuments()
        check(repeated.isEmpty, "documents stored more than once: \(repeated.prefix(10))")

        // Progress events: each stage reported saving each job exactly once.
        let events = try await ledger.saveEvents()
        var duplicates: [PipelineLedger.SaveEvent] = []
        var missing: [String] = []
        for service in FaultCluster.workers {
            let byJob = Dictionary(grouping: events.filter { $0.service == service }, by: \.jobID)
            for job in jobs {
                let saves = byJob[job] ?? []
                if saves.isEmpty { missing.append("\(service.rawValue) job \(job)") }
                duplicates += saves.dropFirst()
            }
        }
        check(duplicates.count <= toleratedRepeatedReports, "\(duplicates.count) save events beyond one per job and stage, e.g.:\n\(describe(duplicates, among: events))")
        check(missing.isEmpty, "\(missing.count) jobs and stages without a save event: \(missing.prefix(10))")
        let figures = Figures(
            scenario: name, jobsIn: jobs.count, jobsOut: progress.finished, duplicates: duplicates.count, missing: missing.count,
            recovery: settled - fault, batch: settled - batchStarted
        )
        print(figures)

        // Nothing pending, in Redis and as the gateway reports it.
        for (subscription, pending) in try await ledger.pendingSummary() {
            check(pending == 0, "\(subscription.stream) has \(pending) pending entries in group \(subscription.group)")
        }
        try await checkGatewayStatus()
        try await checkGatewayJobs()

        // Dead letters: only what the scenario put there on purpose.
        let letters = try await ledger.deadLetters()
        for stream in Set(letters.keys).union(expectedDeadLetters.keys) {
            let found = Set((letters[stream] ?? []).compactMap(\.originalEntryID))
            let described = (letters[stream] ?? []).map { "\($0.originalEntryID ?? "?"): \($0.error ?? "")" }
            check(found == expectedDeadLetters[stream] ?? [], "dead letters of \(stream): \(described)")
        }
        check(cluster.unexpectedlyExited.isEmpty, "replicas exited on their own: \(cluster.unexpectedlyExited)")

        return figures
    }

    /// The first few duplicated saves, each with every save event of its job and stage.
    private func describe(_ duplicates: [PipelineLedger.SaveEvent], among events: [PipelineLedger.SaveEvent]) -> String {
        duplicates.prefix(5).map { duplicate in
            events.filter { $0.service == duplicate.service && $0.jobID == duplicate.jobID }.map(\.description).joined(separator: "; ")
        }.joined(separator: "\n")
    }

    /// `/api/status` reports nothing pending on any stream (it refreshes once a second, so it may lag
    /// the streams briefly).
    private func checkGatewayStatus() async throws {
        var pending: [String: Int] = [:]
        let deadline = ContinuousClock.now + .seconds(10)
        repeat {
            let status = try await cluster.get("/api/status")
            pending = [:]
            for stream in status["streams"] as? [[String: Any]] ?? [] {
                pending[stream["stream"] as? String ?? "?"] = stream["pending"] as? Int ?? -1
            }
            if !pending.isEmpty, pending.values.allSatisfy({ $0 == 0 }) { return }
            try await Task.sleep(for: .milliseconds(500))
        } while ContinuousClock.now < deadline
        check(false, "/api/status still reports pending entries: \(pending)")
    }

    /// `/api/jobs` lists every job of the batch as extracted, researched and with a CV.
    private func checkGatewayJobs() async throws {
        var seen: [Int: Bool] = [:]
        var page = 1
        while seen.count < jobs.count, page <= jobs.count / 200 + 1 {
            let listing = try await cluster.get("/api/jobs?per_page=200&page=\(page)")
            for job in listing["items"] as? [[String: Any]] ?? [] {
                guard let id = job["id"] as? Int else { continue }
                seen[id] = stage(job, "extracted") && stage(job, "researched") && stage(job, "cv")
            }
            page += 1
        }
        let unfinished = jobs.filter { seen[$0] != true }
        check(unfinished.isEmpty, "the gateway lists \(unfinished.count) jobs as not through every stage: \(unfinished.prefix(10))")
    }
}
