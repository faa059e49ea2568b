import Foundation
import Logging
import Messaging
import NIOPosix
import Postgres
import Runtime
import Store
import TextAnalysis

/// Turns a job's description HTML into clean text split into typed sections, stores it, and passes the
/// job on to research.
public struct ExtractionHandler: MessageHandler {
    /// Recorded with each result so a later engine (an LLM provider) can be told apart.
    public static let engine = "deterministic-v1"
    let context: ServiceContext

    public init(context: ServiceContext) {
        self.context = context
    }

    public func handle(_ message: ReceivedMessage) async throws {
        let jobID = try message.envelope.decode(JobIngested.self).jobID
        guard let input = try await context.store.extractionInput(jobID: jobID) else {
            context.logger.notice("Job no longer exists; nothing to extract", metadata: ["job.id": "\(jobID)"])
            return
        }
        // Structuring is pure CPU work; it runs on the service's pool like every other piece of work.
        let structure = try await context.threadPool.runIfActive {
            DescriptionStructurer.structure(html: input.descriptionHTML)
        }
        try await context.store.saveExtraction(
            jobID: jobID,
            contentHash: input.contentHash,
            cleanText: structure.text,
            sections: try PostgresJSON(structure.sections),
            engine: Self.engine
        )
        try await context.forward(JobExtracted(jobID: jobID), to: context.streams.jobsExtracted, jobID: jobID, after: message)
    }
}
