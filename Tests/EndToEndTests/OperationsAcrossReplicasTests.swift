import Foundation
import HTTPClient
import IngestionService
import IntegrationTesting
import JobsmithTesting
import NIOPosix
import Postgres
import Redis
import Store
import Testing

/// Operations on real queued and running work, asked for on one gateway replica and acted on from
/// another, with the services running as their built binaries.
@Suite(.serialized) struct OperationsAcrossReplicasTests {
    /// The binaries of one test: two gateways and the three working services.
    final class Cluster: @unchecked Sendable {
        // Safety of `@unchecked Sendable`: the processes are started and stopped from the test's task only.
        let work: URL
        let base: [String: String]
        var processes: [String: ServiceProcess] = [:]
        let http: HTTPClient
        let token = UUID().uuidString

        /// - Parameter llmURL: An Anthropic endpoint for the extraction's LLM step; nil runs it offline.
        init(database: TestDatabase, prefix: String, llmURL: String?, http: HTTPClient) {
            work = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("replicas"))
            try? FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            var base = ProcessInfo.processInfo.environment
            base["REDIS_URL"] = TestEnvironment.redisURL
            base["DATABASE_URL"] = database.url
            base["JOBSMITH_STREAM_PREFIX"] = prefix
            // No master CV anywhere until the test stores one through the API.
            base["MASTER_CV_PATH"] = work.appendingPathComponent("no-master-cv.json").path
            base["CV_OUTPUT_DIR"] = work.appendingPathComponent("output").path
            base["GATEWAY_API_TOKEN"] = token
            base["HEARTBEAT_INTERVAL_MS"] = "500"
            base["JOBSMITH_THREADS"] = "2"
            if let llmURL {
                base["JOBSMITH_LLM_PROVIDERS_EXTRACTION"] = "anthropic"
                base["ANTHROPIC_API_KEY"] = "test-key"
                base["ANTHROPIC_BASE_URL"] = llmURL
            }
            self.base = base
            self.http = http
        }

        func start(_ executable: String, as instance: String) async throws {
            var environment = base
            let port = try ServiceProcess.freePort()
            environment["HTTP_PORT"] = String(port)
            environment["JOBSMITH_INSTANCE"] = instance
            let process = try ServiceProcess(
                executable: PipelineEndToEndTests.binaryDirectory.appendingPathComponent(executable), name: instance, port: port,
                environment: environment, logDirectory: work
            )
            try process.start()
            processes[instance] = process
            let deadline = ContinuousClock.now + .seconds(60)
            while (try? await http.get("http://127.0.0.1:\(port)/readyz"))?.status != 200 {
                guard process.isRunning, ContinuousClock.now < deadline else {
                    throw EndToEndFailure("\(instance) did not become ready:\n\(process.log.suffix(2000))")
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }

        func stop(_ instance: String) async {
            _ = await processes[instance]?.terminate()
        }

        func url(_ instance: String, _ path: String) -> String { "http://127.0.0.1:\(processes[instance]!.port)\(path)" }

        func post(_ instance: String, _ path: String, json: Any? = nil) async throws -> (status: Int, body: [String: Any]) {
            var headers = [HTTPHeader(name: "Authorization", value: "Bearer \(token)")]
            var body: [UInt8]?
            if let json {
                headers.append(HTTPHeader(name: "Content-Type", value: "application/json"))
                body = Array(try JSONSerialization.data(withJSONObject: json))
            }
            let response = try await http.execute(HTTPRequest(method: .post, url: url(instance, path), headers: headers, body: body))
            return (response.status, (try? EndToEndTests.json(response)) ?? [:])
        }

        func run(_ instance: String, _ id: String) async throws -> [String: Any] {
            let response = try await http.get(url(instance, "/api/operations/\(id)"))
            guard response.status == 200 else { throw EndToEndFailure("GET operation \(id) answered \(response.status)") }
            return try EndToEndTests.json(response)
        }

        /// Waits until `instance` reports the run in `status`; returns the run with its log.
        @discardableResult
        func waitForRun(_ instance: String, _ id: String, status: String, timeout: Duration = .seconds(60)) async throws -> [String: Any] {
            let deadline = ContinuousClock.now + timeout
            var last: [String: Any] = [:]
            while ContinuousClock.now < deadline {
                last = try await run(instance, id)
                if (last["run"] as? [String: Any])?["status"] as? String == status { return last }
                try await Task.sleep(for: .milliseconds(200))
            }
            throw EndToEndFailure("run \(id) never became \(status) on \(instance): \(last)\n\(logs)")
        }

        var logs: String {
            processes.values.map { "--- \($0.name)\n\($0.log.suffix(1500))" }.joined(separator: "\n")
        }

        func stopAll() async {
            for process in processes.values { _ = await process.terminate() }
        }
    }

    /// Stores Coder's postings in the test database as ingestion would, and returns their ids.
    func seedJobs(_ database: TestDatabase, threads: NIOThreadPool) async throws -> [Int] {
        let client = PostgresClient(configuration: database.configuration, maximumConnections: 1, threadPool: threads)
        defer { Task { await client.shutDown() } }
        _ = try await client.withConnection { try Migrations.migrator.migrate(on: $0) }
        let data = try Data(contentsOf: TestEnvironment.ashbyDatasetDirectory.appendingPathComponent("Coder.json"))
        let page = try AshbyBoardParser().parse(data, context: BoardContext(source: "ashby-coder", board: "coder"))
        let prepared = page.postings.prefix(6).map { PostingPreparer.prepare($0, scorer: nil, threshold: 0) }
        let outcome = try await JobStore(database: client).ingest(Array(prepared), source: "ashby-coder", runID: UUID()) { _, _ in false }
        return outcome.touchedJobIDs.sorted()
    }

    @Test func cancelAndRetryActOnRealWorkFromEitherGateway() async throws {
        // The extraction's LLM answers its first request after 20 s (the run to cancel while it
        // runs) and refuses the rest at once, so later extractions fall back to the offline engine.
        let llm = try await startModelThatHangsOnce(for: .seconds(20))
        let threads = NIOThreadPool(numberOfThreads: 2)
        threads.start()
        let database = try TestDatabase.create(prefix: "replicas")
        let cluster = Cluster(database: database, prefix: TestEnvironment.uniqueName("replicas"), llmURL: llm.baseURL, http: HTTPClient(threadPool: threads))
        do {
            let jobs = try await seedJobs(database, threads: threads)
            #expect(jobs.count == 6)
            try await cluster.start("gateway", as: "gateway-a")
            try await cluster.start("gateway", as: "gateway-b")
            try await cluster.start("extraction", as: "extraction-1")
            try await cluster.start("cv-generator", as: "cv-generator-1")

            // 1. Running work: asked on A, cancelled on B while the extraction waits for its model.
            let running = try await cluster.post("gateway-a", "/api/jobs/\(jobs[0])/operations/full-extraction")
            #expect(running.status == 202)
            let runningID = try #require((running.body["run"] as? [String: Any])?["id"] as? String)
            try await cluster.waitForRun("gateway-b", runningID, status: "running")
            let cancel = try await cluster.post("gateway-b", "/api/operations/\(runningID)/cancel")
            #expect(cancel.status == 202, "a running run is asked to stop: \(cancel.body)")
            let cancelled = try await cluster.waitForRun("gateway-a", runningID, status: "cancelled", timeout: .seconds(30))
            let runningLog = cancelled["log"] as? [[String: Any]] ?? []
            #expect(runningLog.contains { $0["step"] as? String == "full-extraction" && $0["phase"] as? String == "cancelled" })

            // 2. Queued work: research is down, so its commands wait on the stream; B cancels one of
            //    three runs A queued, and when research comes back it does the other two only.
            let batch = try await cluster.post("gateway-a", "/api/operations/batch",
                                               json: ["operation": "research-company", "job_ids": [jobs[1], jobs[2], jobs[3]]])
            #expect(batch.status == 202)
            let runIDs = (batch.body["runs"] as? [[String: Any]] ?? []).compactMap { run in
                (run["job_id"] as? Int).flatMap { job in (run["id"] as? String).map { (job, $0) } }
            }
            let byJob = Dictionary(uniqueKeysWithValues: runIDs)
            let toCancel = try #require(byJob[jobs[2]])
            let queuedCancel = try await cluster.post("gateway-b", "/api/operations/\(toCancel)/cancel")
            #expect(queuedCancel.status == 200)
            #expect((queuedCancel.body["run"] as? [String: Any])?["status"] as? String == "cancelled")
            try await cluster.start("research", as: "research-1")
            try await cluster.waitForRun("gateway-b", try #require(byJob[jobs[1]]), status: "succeeded")
            try await cluster.waitForRun("gateway-a", try #require(byJob[jobs[3]]), status: "succeeded")
            // The research service received the cancelled run's command too, and did not start it.
            let skipped = try await cluster.waitForRunLog("gateway-a", toCancel) { log in
                log.contains { $0["step"] as? String == "research-company" && $0["phase"] as? String == "cancelled" }
            }
            #expect((skipped["run"] as? [String: Any])?["status"] as? String == "cancelled")
            #expect(!(skipped["log"] as? [[String: Any]] ?? []).contains { $0["phase"] as? String == "started" })

            // 3. Failed work: without a master CV the CV fails; once one is stored, a retry from the
            //    other replica succeeds as a second attempt.
            let cv = try await cluster.post("gateway-b", "/api/jobs/\(jobs[1])/operations/generate-cv")
            let cvID = try #require((cv.body["run"] as? [String: Any])?["id"] as? String)
            let failed = try await cluster.waitForRun("gateway-a", cvID, status: "failed")
            let failure = (failed["run"] as? [String: Any])?["error"] as? String ?? ""
            #expect(failure.contains("master CV"), "\(failure)")
            let master = try Data(contentsOf: TestEnvironment.repositoryRoot.appendingPathComponent("samples/master-cv.json"))
            let stored = try await cluster.http.execute(HTTPRequest(
                method: .put, url: cluster.url("gateway-a", "/api/master-cv"),
                headers: [HTTPHeader(name: "Authorization", value: "Bearer \(cluster.token)"), HTTPHeader(name: "Content-Type", value: "application/json")],
                body: Array(master)
            ))
            #expect(stored.status == 200)
            let retry = try await cluster.post("gateway-b", "/api/operations/\(cvID)/retry")
            #expect(retry.status == 202)
            let retried = try await cluster.waitForRun("gateway-a", cvID, status: "succeeded")
            #expect((retried["run"] as? [String: Any])?["attempt"] as? Int == 2)

            // 4. all-ops on B, its whole log streamed live from A and ending with the run.
            let all = try await cluster.post("gateway-b", "/api/jobs/\(jobs[4])/operations/all-ops")
            let allID = try #require((all.body["run"] as? [String: Any])?["id"] as? String)
            let reader = try EventStreamReader(port: cluster.processes["gateway-a"]!.port, path: "/api/operations/\(allID)/events")
            let events = reader.read(timeout: .seconds(60)) { $0.last?.name == "end" }
            reader.drop()
            #expect(events.last?.data == #"{"status":"succeeded"}"#, "\(events.suffix(3))")
            let steps = Set(events.compactMap { event -> String? in
                guard let object = try? JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any] else { return nil }
                return object["step"] as? String
            })
            #expect(steps.isSuperset(of: ["full-extraction", "research-company", "generate-cv", "run"]))
        } catch {
            Issue.record("\(error)\n\(cluster.logs)")
        }
        await cluster.stopAll()
        await llm.stop()
        database.drop()
        try await threads.shutdownGracefully()
    }

    @Test func theActivityStreamResumesAfterADroppedConnection() async throws {
        let threads = NIOThreadPool(numberOfThreads: 2)
        threads.start()
        let database = try TestDatabase.create(prefix: "resume")
        let cluster = Cluster(database: database, prefix: TestEnvironment.uniqueName("resume"), llmURL: nil, http: HTTPClient(threadPool: threads))
        do {
            let jobs = try await seedJobs(database, threads: threads)
            try await cluster.start("gateway", as: "gateway-a")
            try await cluster.start("research", as: "research-1")
            let port = cluster.processes["gateway-a"]!.port

            let first = try EventStreamReader(port: port, path: "/api/events")
            // Give the subscription a moment to be in place before work starts.
            try await Task.sleep(for: .milliseconds(500))
            _ = try await cluster.post("gateway-a", "/api/operations/batch", json: ["operation": "research-company", "job_ids": Array(jobs[0..<3])])
            let before = first.read(timeout: .seconds(30)) { $0.count >= 3 }
            first.drop()
            let lastSeen = try #require(before.last?.id)

            // While nobody listens, more work reports progress.
            let more = try await cluster.post("gateway-a", "/api/operations/batch", json: ["operation": "research-company", "job_ids": Array(jobs[3..<6])])
            let moreIDs = (more.body["runs"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            for id in moreIDs { try await cluster.waitForRun("gateway-a", id, status: "succeeded") }

            let second = try EventStreamReader(port: port, path: "/api/events", headers: ["Last-Event-ID": lastSeen])
            let after = second.read(timeout: .seconds(30)) { events in
                moreIDs.allSatisfy { id in events.contains { $0.data.contains(id) && $0.data.contains("\"step\":\"run\"") } }
            }
            second.drop()
            let ids = after.compactMap(\.id)
            #expect(!ids.isEmpty)
            #expect(Set(ids).count == ids.count, "an event came twice")
            #expect(!ids.contains { before.compactMap(\.id).contains($0) }, "an event seen before the drop came again")
            // Nothing was skipped: the resumed stream starts with the entry right after the last one seen.
            let redis = try RedisCommand(url: TestEnvironment.redisURL)
            let expectedFirst = try redis.firstEntry(after: lastSeen, in: cluster.base["JOBSMITH_STREAM_PREFIX"]! + ":events")
            #expect(ids.first == expectedFirst)
            for id in moreIDs {
                #expect(after.contains { $0.data.contains(id) && $0.data.contains("\"step\":\"run\"") }, "run \(id) is missing its end")
            }
        } catch {
            Issue.record("\(error)\n\(cluster.logs)")
        }
        await cluster.stopAll()
        database.drop()
        try await threads.shutdownGracefully()
    }
}

extension OperationsAcrossReplicasTests.Cluster {
    /// Waits until a run's log satisfies `condition`.
    func waitForRunLog(_ instance: String, _ id: String, timeout: Duration = .seconds(30), _ condition: ([[String: Any]]) -> Bool) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let run = try await run(instance, id)
            if condition(run["log"] as? [[String: Any]] ?? []) { return run }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw EndToEndFailure("the log of run \(id) never showed what was expected")
    }
}

/// One Redis command, for reading what the test expects straight from the stream.
struct RedisCommand {
    let url: String
    init(url: String) throws { self.url = url }

    func firstEntry(after id: String, in stream: String) throws -> String? {
        let connection = try RedisConnection(configuration: try RedisConfiguration(url: url))
        defer { connection.close() }
        let reply = try connection.send("XRANGE", stream, "(\(id)", "+", "COUNT", 50)
        // The first progress event after `id` (the stream holds only progress events).
        return reply.array?.first?.array?.first?.string
    }
}
