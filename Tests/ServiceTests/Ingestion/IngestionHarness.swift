import Domain
import Foundation
import HTTPClient
import IngestionService
import IntegrationTesting
import JobsmithTesting
import Logging
import Messaging
import NIOPosix
import Postgres
import Redis
import Store

/// A real PostgreSQL database, a Redis stream prefix and an ingestion runner wired as the service wires
/// them, for tests that run sources end to end against a loopback board server.
final class IngestionHarness: Sendable {
    let database: TestDatabase
    let threads: NIOThreadPool
    let postgres: PostgresClient
    let redis: RedisClient
    let store: JobStore
    let streams: StreamNames
    let runner: IngestionRunner

    init(scoreAgainstSampleCV: Bool = true) async throws {
        database = try TestDatabase.create(prefix: "ingest")
        threads = NIOThreadPool(numberOfThreads: 4)
        threads.start()
        postgres = PostgresClient(configuration: database.configuration, maximumConnections: 4, threadPool: threads)
        _ = try await postgres.withConnection { try Migrations.migrator.migrate(on: $0) }
        redis = RedisClient(configuration: try TestRedis.configuration(), maximumConnections: 2, threadPool: threads)
        store = JobStore(database: postgres)
        streams = StreamNames(prefix: TestEnvironment.uniqueName("ingest"))
        var policy = FetchPolicy()
        policy.minimumHostInterval = .zero
        policy.baseBackoff = .milliseconds(10)
        policy.timeout = .seconds(2)
        let fetcher = BoardFetcher(
            client: HTTPClient(threadPool: threads),
            policy: policy,
            store: PostgresConditionalGetStore(database: postgres)
        )
        let master = try MasterCV.load(from: TestEnvironment.repositoryRoot.appendingPathComponent("samples/master-cv.json"))
        runner = IngestionRunner(
            store: store,
            fetcher: SourceFetcher(fetcher: fetcher, threadPool: threads),
            producer: StreamProducer(redis: redis, producer: "test"),
            streams: streams,
            threadPool: threads,
            scorer: scoreAgainstSampleCV ? QuickScorer(master: master) : nil,
            logger: Logger(label: "test")
        )
    }

    /// Creates the source and runs it once; returns the run's record.
    @discardableResult
    func run(_ source: SourceRecord) async throws -> RunRecord {
        if try await store.source(named: source.name) == nil {
            _ = try await store.createSource(source)
        }
        let stored = try await store.source(named: source.name)!
        let runID = UUID()
        try await runner.run(stored, runID: runID, trigger: "user")
        return try await store.runs(ofSource: source.name).first { $0.id == runID }!
    }

    func job(source: String, externalID: String) async throws -> PostgresRow? {
        try await postgres.query(
            """
            SELECT j.*, (SELECT count(*) FROM job_sources s WHERE s.job_id = j.id) AS source_count
            FROM job_sources s JOIN jobs j ON j.id = s.job_id WHERE s.source = $1 AND s.external_id = $2
            """,
            [source, externalID]
        ).first
    }

    func publishedCount() async throws -> Int {
        try await redis.send("XLEN", streams.jobsIngested).int ?? 0
    }

    func tearDown() async {
        await redis.shutDown()
        await postgres.shutDown()
        try? await threads.shutdownGracefully()
        TestRedis.deleteKeys(prefix: streams.prefix)
        database.drop()
    }
}

/// Bytes of a file under `shared/fixtures/boards`.
func boardFixture(_ path: String) throws -> Data {
    try Data(contentsOf: TestEnvironment.boardFixturesDirectory.appendingPathComponent(path))
}
