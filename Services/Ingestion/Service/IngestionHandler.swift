import Foundation
import Logging
import Messaging
import Store

/// Handles `ingest.run` commands, from the API or the scheduler.
public struct IngestionHandler: MessageHandler {
    let store: JobStore
    let runner: IngestionRunner

    public init(store: JobStore, runner: IngestionRunner) {
        self.store = store
        self.runner = runner
    }

    public func handle(_ message: ReceivedMessage) async throws {
        let command = try message.envelope.decode(IngestRunCommand.self)
        guard let runID = UUID(uuidString: command.runID) else {
            throw MessagingError.unprocessable("run_id '\(command.runID)' is not a UUID")
        }
        guard let source = try await store.source(named: command.source) else {
            throw MessagingError.unprocessable("no source named '\(command.source)'")
        }
        try await runner.run(source, runID: runID, trigger: command.trigger)
    }
}
