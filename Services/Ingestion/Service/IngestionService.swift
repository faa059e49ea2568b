import Domain
import Foundation
import HTTPClient
import Logging
import Runtime
import ServiceLifecycle
import Store

/// Assembles the ingestion service from its configuration:
///
/// - `INGESTION_SOURCES_FILE`: sources to create or update at start-up (none by default);
/// - `MASTER_CV_PATH` (default `samples/master-cv.json`): the CV quick scores are computed against;
///   without it jobs are stored unscored and no threshold applies;
/// - `INGESTION_SCHEDULER_TICK_MS` (default 15000): how often due scheduled runs are looked for;
/// - `INGESTION_HOST_INTERVAL_MS` (default 1000): the least time between two requests to one host;
/// - `INGESTION_MAX_ATTEMPTS` (default 4): tries per request on timeouts, 429 and 5xx.
public enum IngestionService {
    public static func parts(context: ServiceContext) async throws -> ServiceParts {
        let environment = context.configuration.environment
        if let path = environment.string("INGESTION_SOURCES_FILE") {
            try await SourceSeeder.seed(fromFile: path, into: context.store)
        }
        var scorer: QuickScorer?
        let masterPath = environment.string("MASTER_CV_PATH", default: "samples/master-cv.json")
        do {
            scorer = QuickScorer(master: try MasterCV.load(from: URL(fileURLWithPath: masterPath)))
        } catch {
            context.logger.warning("No master CV to score against; jobs are stored unscored", metadata: ["error": "\(error)"])
        }
        var policy = FetchPolicy()
        policy.minimumHostInterval = try environment.milliseconds("INGESTION_HOST_INTERVAL_MS", default: policy.minimumHostInterval, range: 0...600_000)
        policy.maxAttempts = try environment.int("INGESTION_MAX_ATTEMPTS", default: policy.maxAttempts, range: 1...20)
        let client = HTTPClient(threadPool: context.threadPool)
        let fetcher = BoardFetcher(
            client: client,
            policy: policy,
            store: PostgresConditionalGetStore(database: context.database),
            logger: context.logger
        )
        let runner = IngestionRunner(
            store: context.store,
            fetcher: SourceFetcher(fetcher: fetcher, threadPool: context.threadPool),
            producer: context.producer,
            streams: context.streams,
            threadPool: context.threadPool,
            scorer: scorer,
            logger: context.logger
        )
        let scheduler = IngestionScheduler(
            store: context.store,
            producer: context.producer,
            streams: context.streams,
            tick: try environment.milliseconds("INGESTION_SCHEDULER_TICK_MS", default: .seconds(15), range: 100...3_600_000),
            logger: context.logger
        )
        return ServiceParts(handler: IngestionHandler(store: context.store, runner: runner), services: [scheduler])
    }
}
