import Foundation
import Hummingbird
import Logging
import Messaging
import Runtime
import Store

/// The REST API.
public struct GatewayRoutes: Sendable {
    let context: ServiceContext
    let token: APIToken
    let inspector: StreamInspector
    let masterCV: MasterCVSource

    public init(context: ServiceContext) {
        self.context = context
        self.token = APIToken(context.configuration.environment.string("GATEWAY_API_TOKEN"))
        self.inspector = StreamInspector(redis: context.redis)
        self.masterCV = MasterCVSource(
            store: context.store,
            seedPath: context.configuration.environment.string("MASTER_CV_PATH", default: "samples/master-cv.json"),
            threadPool: context.threadPool,
            logger: context.logger,
            refreshInterval: .zero
        )
    }

    public func add(to router: Router<BasicRequestContext>) {
        // On the router rather than the group, so that unknown paths get the JSON error shape too.
        router.add(middleware: APIErrorMiddleware())
        let api = router.group("api")
        api.get("jobs", use: listJobs)
        api.get("jobs/:id", use: jobDetail)
        api.post("ingest/:source/run", use: runIngestion)
        api.get("status", use: status)
        SourceRoutes(store: context.store, token: token).add(to: api)
        MasterCVRoutes(store: context.store, source: masterCV, token: token).add(to: api)
        DocumentRoutes(store: context.store, token: token).add(to: api)
    }

    struct JobPage: ResponseEncodable {
        var items: [JobSummary]
        var total: Int
        var page: Int
        var perPage: Int

        enum CodingKeys: String, CodingKey {
            case items, total, page
            case perPage = "per_page"
        }
    }

    @Sendable func listJobs(_ request: Request, context: BasicRequestContext) async throws -> JobPage {
        let page = try integer(request, "page", default: 1, range: 1...1_000_000)
        let perPage = try integer(request, "per_page", default: 50, range: 1...500)
        let (items, total) = try await self.context.store.jobs(page: page, perPage: perPage)
        return JobPage(items: items, total: total, page: page, perPage: perPage)
    }

    @Sendable func jobDetail(_ request: Request, context: BasicRequestContext) async throws -> JobDetail {
        let raw = context.parameters.get("id") ?? ""
        guard let id = Int(raw), id > 0 else { throw APIError.badRequest("job id must be a positive integer, got '\(raw)'") }
        guard let detail = try await self.context.store.jobDetail(id: id) else { throw APIError.notFound("no job with id \(id)") }
        return detail
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
    @Sendable func runIngestion(_ request: Request, context: BasicRequestContext) async throws -> EditedResponse<RunQueued> {
        try token.authorize(request)
        let name = context.parameters.get("source") ?? ""
        guard let source = try await self.context.store.source(named: name) else {
            throw APIError.notFound("no source named '\(name)'")
        }
        guard source.enabled else { throw APIError.conflict("source '\(name)' is disabled") }
        let runID = UUID().uuidString.lowercased()
        try await self.context.store.queueRun(id: UUID(uuidString: runID)!, source: name, trigger: "user")
        let messageID = try await self.context.producer.publish(
            IngestRunCommand(runID: runID, source: name, trigger: "user"),
            to: self.context.streams.ingestionCommands,
            correlationID: runID
        )
        return EditedResponse(status: .accepted, response: RunQueued(runID: runID, source: name, status: "queued", messageID: messageID))
    }

    @Sendable func status(_ request: Request, context: BasicRequestContext) async throws -> StatusReport {
        let streams = self.context.streams
        // A replica silent for ten minutes is gone for good; keep the page about the living.
        async let heartbeats = inspector.pruneHeartbeats(key: streams.heartbeats, olderThan: .seconds(600))
        async let streamStatus = inspector.status(of: streams.subscriptions)
        return StatusReport(heartbeats: try await heartbeats, streams: try await streamStatus, now: Date())
    }

    private func integer(_ request: Request, _ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = request.uri.queryParameters[Substring(name)] else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw APIError.badRequest("\(name) must be a whole number in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
        }
        return value
    }
}

extension StatusReport: ResponseEncodable {}
extension JobDetail: ResponseEncodable {}
