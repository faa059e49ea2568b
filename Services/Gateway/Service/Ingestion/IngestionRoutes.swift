import Foundation
import Hummingbird
import Messaging
import Runtime
import Store

/// `POST /api/ingest/{source}/run`: asks the ingestion service to run a source now.
struct IngestionRoutes: Sendable {
    let context: ServiceContext
    let access: AccessControl

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.post("ingest/:source/run", use: runIngestion)
    }

    struct RunQueued: ResponseEncodable {
        var runID: String
        var source: String
        var status: String
        var messageID: String

        enum CodingKeys: String, CodingKey {
            case source, status
            case runID = "run_id"
            case messageID = "message_id"
        }
    }

    /// Records the run as queued, then publishes the command: a run the ingestion service never picks
    /// up still shows in its history as queued rather than vanishing.
    @Sendable func runIngestion(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<RunQueued> {
        try await access.authorizeWrite(request, context: context)
        let name = context.parameters.get("source") ?? ""
        guard let source = try await self.context.store.source(named: name) else {
            throw APIError.notFound("no source named '\(name)'")
        }
        guard source.enabled else { throw APIError.conflict("source '\(name)' is disabled") }
        let runID = UUID()
        try await self.context.store.queueRun(id: runID, source: name, trigger: "user")
        let messageID = try await self.context.producer.publish(
            IngestRunCommand(runID: runID.uuidString.lowercased(), source: name, trigger: "user"),
            to: self.context.streams.ingestionCommands,
            correlationID: runID.uuidString.lowercased()
        )
        return EditedResponse(
            status: .accepted,
            response: RunQueued(runID: runID.uuidString.lowercased(), source: name, status: "queued", messageID: messageID)
        )
    }
}
