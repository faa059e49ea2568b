import Foundation
import IngestionService
import JobsmithTesting
import Messaging
import Postgres
import Redis
import Store

/// The batch every fault scenario pushes through the pipeline: the first 1,000 real postings of the
/// Ashby dataset, stored as ingestion stores them and announced on `jobs:ingested` in one go.
///
/// No ingestion service runs: seeding directly keeps the batch the same in every scenario (boards in
/// name order, so the same postings get the same job IDs) and starts the clock with all the work
/// already queued.
enum PostingBatch {
    static let size = 1000

    /// Applies the migrations, stores the postings and returns the batch's job IDs, ascending.
    ///
    /// Boards are stored whole until the batch is full; the jobs past the first `size` are deleted
    /// again, so the database holds exactly the batch and every count over it is a count of the batch.
    static func seed(into database: PostgresClient) async throws -> [Int] {
        _ = try await database.withConnection { try Migrations.migrator.migrate(on: $0) }
        let store = JobStore(database: database)
        let dataset = TestEnvironment.ashbyDatasetDirectory
        let boards = try FileManager.default.contentsOfDirectory(atPath: dataset.path).filter { $0.hasSuffix(".json") }.sorted()
        var stored: [Int] = []
        for file in boards where stored.count < size {
            let data = try Data(contentsOf: dataset.appendingPathComponent(file))
            let board = String(file.dropLast(".json".count)).lowercased()
            let source = "ashby-\(board)"
            let page = try AshbyBoardParser().parse(data, context: BoardContext(source: source, board: board))
            let prepared = page.postings.map { PostingPreparer.prepare($0, scorer: nil, threshold: 0) }
            stored += try await store.ingest(prepared, source: source, runID: UUID()) { _, _ in false }.touchedJobIDs
        }
        let batch = Array(stored.sorted().prefix(size))
        guard batch.count == size, let last = batch.last else {
            throw EndToEndFailure("the Ashby dataset holds only \(batch.count) postings; the fault suite needs \(size)")
        }
        try await database.query("DELETE FROM jobs WHERE id > $1", [last])
        return batch
    }

    /// Announces every job on `jobs:ingested` in one pipelined write, as an ingestion run would.
    static func publish(_ jobIDs: [Int], redis: RedisClient, streams: StreamNames) async throws {
        let envelopes = try jobIDs.map { try Envelope(JobIngested(jobID: $0), producer: "fault-suite", jobID: $0) }
        _ = try await StreamProducer(redis: redis, producer: "fault-suite").publish(envelopes, to: streams.jobsIngested)
    }
}
