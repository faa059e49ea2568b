import Domain
import Foundation
import Logging
import Messaging
import NIOPosix
import Runtime
import Store

/// Runs one ingestion run per `ingest.run` command: reads the source, stores new and changed postings,
/// publishes them for extraction, and records the run with its counts and rejections.
///
/// Redelivery-safe: the run's postings are marked with its ID, so a second delivery of the same
/// command republishes exactly that run's jobs (downstream handlers are idempotent).
public struct IngestionHandler: MessageHandler {
    let context: ServiceContext

    public init(context: ServiceContext) {
        self.context = context
    }

    public func handle(_ message: ReceivedMessage) async throws {
        let command = try message.envelope.decode(IngestRunCommand.self)
        guard let runID = UUID(uuidString: command.runID) else {
            throw MessagingError.unprocessable("run_id '\(command.runID)' is not a UUID")
        }
        guard let source = try await context.store.source(named: command.source) else {
            throw MessagingError.unprocessable("no source named '\(command.source)'")
        }
        var logger = context.logger
        logger[metadataKey: "ingestion.run"] = "\(command.runID)"
        logger[metadataKey: "ingestion.source"] = "\(source.name)"
        try await context.store.startRun(id: runID, source: source.name, trigger: command.trigger)

        let fetch: SourceReader.Fetch
        do {
            fetch = try await context.threadPool.runIfActive { try SourceReader.read(source) }
        } catch let error as IngestionError {
            // Reading again would fail the same way: record it and let the message go.
            try await context.store.finishRun(id: runID, status: "failed", counts: RunCounts(), rejections: [], error: error.message)
            logger.warning("Ingestion run failed", metadata: ["error": "\(error)"])
            return
        }
        let outcome = try await context.store.store(fetch.postings, runID: runID)
        let jobIDs = try await context.store.jobIDs(ofRun: runID)
        for batch in stride(from: 0, to: jobIDs.count, by: 500).map({ Array(jobIDs[$0..<min($0 + 500, jobIDs.count)]) }) {
            let envelopes = try batch.map { id in
                try Envelope(JobIngested(jobID: id), producer: context.configuration.instance, jobID: id, correlationID: command.runID)
            }
            try await context.producer.publish(envelopes, to: context.streams.jobsIngested)
        }
        var counts = RunCounts()
        counts.fetched = fetch.postings.count + fetch.rejected.count
        counts.new = outcome.new
        counts.updated = outcome.updated
        counts.unchanged = outcome.unchanged
        counts.rejected = fetch.rejected.count
        let status = fetch.errors.isEmpty ? "succeeded" : (fetch.postings.isEmpty ? "failed" : "partial")
        try await context.store.finishRun(
            id: runID,
            status: status,
            counts: counts,
            rejections: fetch.rejected,
            error: fetch.errors.isEmpty ? nil : fetch.errors.joined(separator: "; ")
        )
        logger.info(
            "Ingestion run finished",
            metadata: [
                "ingestion.status": "\(status)", "ingestion.fetched": "\(counts.fetched)", "ingestion.new": "\(counts.new)",
                "ingestion.updated": "\(counts.updated)", "ingestion.rejected": "\(counts.rejected)",
                "ingestion.published": "\(jobIDs.count)",
            ]
        )
    }
}
