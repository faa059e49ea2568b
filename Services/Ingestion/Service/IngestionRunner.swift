import Domain
import Foundation
import Logging
import Messaging
import NIOPosix
import Store
import TextAnalysis

/// Carries out one ingestion run: fetch, prepare, filter, score, store, publish, record.
///
/// Safe to repeat: storing is keyed by source and external id, and publishing sends each job's
/// content version once, so a redelivered command (after a crash) finishes what the first delivery
/// left undone instead of duplicating it.
public struct IngestionRunner: Sendable {
    /// How long a run may hold its source before another replica may take over (a crashed run).
    static let lease: Duration = .seconds(900)

    let store: JobStore
    let fetcher: SourceFetcher
    let producer: StreamProducer
    let streams: StreamNames
    let threadPool: NIOThreadPool
    let scorer: QuickScorer?
    let matcher = DuplicateMatcher()
    let logger: Logger

    public init(
        store: JobStore,
        fetcher: SourceFetcher,
        producer: StreamProducer,
        streams: StreamNames,
        threadPool: NIOThreadPool,
        scorer: QuickScorer?,
        logger: Logger
    ) {
        self.store = store
        self.fetcher = fetcher
        self.producer = producer
        self.streams = streams
        self.threadPool = threadPool
        self.scorer = scorer
        self.logger = logger
    }

    /// Runs `source` as run `runID`; records the outcome in the run's row and returns its status.
    @discardableResult
    public func run(_ source: SourceRecord, runID: UUID, trigger: String) async throws -> String {
        var logger = self.logger
        logger[metadataKey: "ingestion.run"] = "\(runID.uuidString.lowercased())"
        logger[metadataKey: "ingestion.source"] = "\(source.name)"
        try await store.startRun(id: runID, source: source.name, trigger: trigger)
        guard try await store.acquireRunLease(source: source.name, runID: runID, lease: Self.lease) else {
            try await store.finishRun(id: runID, status: "skipped", counts: RunCounts(), rejections: [], errors: ["another run of this source was in progress"])
            logger.notice("Skipped: another run of this source is in progress")
            return "skipped"
        }
        do {
            let status = try await ingest(source, runID: runID, logger: logger)
            try await store.releaseRunLease(source: source.name, runID: runID)
            return status
        } catch {
            try? await store.releaseRunLease(source: source.name, runID: runID)
            throw error
        }
    }

    private func ingest(_ source: SourceRecord, runID: UUID, logger: Logger) async throws -> String {
        let fetch: SourceFetcher.Fetch
        do {
            fetch = try await fetcher.fetch(source)
        } catch {
            // The board is down or the source is misconfigured: the run fails with the reason and the
            // next scheduled run tries again. Jobs stranded by an earlier crash are still published.
            try await publishPending(source: source.name, logger: logger)
            try await store.finishRun(id: runID, status: "failed", counts: RunCounts(), rejections: [], errors: ["\(error)"])
            logger.warning("Ingestion run failed", metadata: ["error": "\(error)"])
            return "failed"
        }

        let scorer = self.scorer
        let prepared = try await threadPool.runIfActive {
            fetch.postings.map { PostingPreparer.prepare($0, scorer: scorer, threshold: source.scoreThreshold) }
        }
        let (kept, filteredOut) = SourceFilter(source: source).apply(to: prepared)
        let matcher = self.matcher
        let outcome = try await store.ingest(kept, source: source.name, runID: runID) { matcher.isSameJob($0, $1) }
        let published = try await publishPending(source: source.name, logger: logger)

        var counts = RunCounts()
        counts.fetched = fetch.postings.count + fetch.rejected.count
        counts.new = outcome.new
        counts.updated = outcome.updated
        counts.duplicates = outcome.duplicates
        counts.filteredOut = filteredOut
        counts.belowThreshold = kept.filter(\.belowThreshold).count
        counts.rejected = fetch.rejected.count
        let status = fetch.errors.isEmpty ? "succeeded" : "partial"
        try await store.finishRun(id: runID, status: status, counts: counts, rejections: fetch.rejected, errors: fetch.errors)
        logger.info(
            "Ingestion run finished",
            metadata: [
                "ingestion.status": "\(status)", "ingestion.fetched": "\(counts.fetched)", "ingestion.new": "\(counts.new)",
                "ingestion.updated": "\(counts.updated)", "ingestion.duplicates": "\(counts.duplicates)",
                "ingestion.filtered_out": "\(counts.filteredOut)", "ingestion.below_threshold": "\(counts.belowThreshold)",
                "ingestion.rejected": "\(counts.rejected)", "ingestion.published": "\(published)",
                "ingestion.not_modified": "\(fetch.notModified)",
            ]
        )
        return status
    }

    /// Sends every job of the source whose current content was not sent yet to extraction, then
    /// records it as sent.
    @discardableResult
    private func publishPending(source: String, logger: Logger) async throws -> Int {
        let pending = try await store.unpublishedJobs(source: source)
        for start in stride(from: 0, to: pending.count, by: 500) {
            let batch = Array(pending[start..<min(start + 500, pending.count)])
            let envelopes = try batch.map { job in
                try Envelope(JobIngested(jobID: job.id), producer: producer.producer, jobID: job.id)
            }
            try await producer.publish(envelopes, to: streams.jobsIngested)
            try await store.markPublished(batch)
        }
        return pending.count
    }
}
