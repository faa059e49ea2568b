import Foundation
import Logging
import Messaging
import Store

/// Handles the ingestion service's commands: `ingest.run` (run a source, from the API or the
/// scheduler) and `ingest.url` (import one job from a page's URL, from the API).
public struct IngestionHandler: MessageHandler {
    let store: JobStore
    let runner: IngestionRunner
    let importer: URLImporter

    public init(store: JobStore, runner: IngestionRunner) {
        self.store = store
        self.runner = runner
        // The importer fetches, stores and publishes as runs do, through the runner's parts.
        self.importer = URLImporter(runner: runner, redis: runner.producer.redis, logger: runner.logger)
    }

    public func handle(_ message: ReceivedMessage) async throws {
        switch message.envelope.type {
        case IngestRunCommand.type:
            let command = try message.envelope.decode(IngestRunCommand.self)
            guard let runID = UUID(uuidString: command.runID) else {
                throw MessagingError.unprocessable("run_id '\(command.runID)' is not a UUID")
            }
            guard let source = try await store.source(named: command.source) else {
                throw MessagingError.unprocessable("no source named '\(command.source)'")
            }
            try await runner.run(source, runID: runID, trigger: command.trigger)
        case IngestURLCommand.type:
            try await importer.importPage(try message.envelope.decode(IngestURLCommand.self))
        default:
            throw MessagingError.unprocessable("the ingestion service has no command '\(message.envelope.type)'")
        }
    }
}
