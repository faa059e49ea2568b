import Foundation
import HTTPClient
import IngestionService
import IntegrationTesting
import JobsmithTesting
import Messaging
import NIOPosix
import Postgres
import Redis
import Store
import Testing

/// Scale-out: three replicas of the extraction service on the same Redis and PostgreSQL share one
/// batch through their consumer group, and each job is extracted exactly once.
@Suite(.serialized) struct WorkSharingTests {
    @Test func threeReplicasEachTakeAShareOfABatch() async throws {
        let threads = NIOThreadPool(numberOfThreads: 2)
        threads.start()
        let database = try TestDatabase.create(prefix: "sharing")
        let prefix = TestEnvironment.uniqueName("sharing")
        let cluster = OperationsAcrossReplicasTests.Cluster(
            database: database, prefix: prefix, llmURL: nil, http: HTTPClient(threadPool: threads)
        )
        let client = PostgresClient(configuration: database.configuration, maximumConnections: 2, threadPool: threads)
        let redis = RedisClient(configuration: try TestRedis.configuration(), maximumConnections: 1, threadPool: threads)
        do {
            // 300 real postings, stored as ingestion stores them.
            _ = try await client.withConnection { try Migrations.migrator.migrate(on: $0) }
            var jobIDs: [Int] = []
            let boards = try FileManager.default.contentsOfDirectory(atPath: TestEnvironment.ashbyDatasetDirectory.path)
                .filter { $0.hasSuffix(".json") }.sorted()
            for file in boards where jobIDs.count < 300 {
                let data = try Data(contentsOf: TestEnvironment.ashbyDatasetDirectory.appendingPathComponent(file))
                let board = String(file.dropLast(".json".count)).lowercased()
                let source = "ashby-\(board)"
                let page = try AshbyBoardParser().parse(data, context: BoardContext(source: source, board: board))
                let prepared = page.postings.map { PostingPreparer.prepare($0, scorer: nil, threshold: 0) }
                jobIDs += try await JobStore(database: client).ingest(prepared, source: source, runID: UUID()) { _, _ in false }.touchedJobIDs
            }
            jobIDs = Array(jobIDs.sorted().prefix(300))
            #expect(jobIDs.count == 300)

            try await cluster.start("gateway", as: "gateway-a")
            for replica in 1...3 { try await cluster.start("extraction", as: "extraction-\(replica)") }
            // The whole batch at once, as ingestion publishes it.
            let producer = StreamProducer(redis: redis, producer: "test")
            let envelopes = try jobIDs.map { try Envelope(JobIngested(jobID: $0), producer: "test", jobID: $0) }
            try await producer.publish(envelopes, to: StreamNames(prefix: prefix).jobsIngested)

            let deadline = ContinuousClock.now + .seconds(120)
            var extracted = 0
            while ContinuousClock.now < deadline {
                extracted = try await client.query("SELECT count(*) AS n FROM job_extractions").first?.decode("n", as: Int.self) ?? 0
                if extracted == jobIDs.count { break }
                try await Task.sleep(for: .milliseconds(250))
            }
            #expect(extracted == jobIDs.count)

            // Each replica's heartbeat counts what it handled from jobs:ingested.
            var shares: [String: Int] = [:]
            let statusDeadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < statusDeadline {
                let status = try json(await cluster.http.get(cluster.url("gateway-a", "/api/status")))
                let services = status["services"] as? [[String: Any]] ?? []
                let replicas = services.first { $0["name"] as? String == "extraction" }?["replicas"] as? [[String: Any]] ?? []
                shares = Dictionary(uniqueKeysWithValues: replicas.map { replica in
                    let consumers = replica["consumers"] as? [[String: Any]] ?? []
                    let ingested = consumers.first { ($0["stream"] as? String)?.hasSuffix(":jobs:ingested") == true }
                    return (replica["instance"] as? String ?? "", ingested?["processed"] as? Int ?? 0)
                })
                if shares.values.reduce(0, +) >= jobIDs.count { break }
                try await Task.sleep(for: .milliseconds(500))
            }
            print("work sharing: \(shares.sorted { $0.key < $1.key })")
            #expect(shares.count == 3)
            #expect(shares.values.allSatisfy { $0 > 0 }, "a replica took no share: \(shares)")
            #expect(shares.values.reduce(0, +) == jobIDs.count, "handled \(shares) for \(jobIDs.count) messages")
        } catch {
            Issue.record("\(error)\n\(cluster.logs)")
        }
        await cluster.stopAll()
        await redis.shutDown()
        await client.shutDown()
        database.drop()
        TestRedis.deleteKeys(prefix: prefix)
        try await threads.shutdownGracefully()
    }
}
