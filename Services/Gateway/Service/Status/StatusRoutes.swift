import Foundation
import Hummingbird
import Messaging
import Runtime

/// `GET /api/status`: services, replicas and streams in one report.
struct StatusRoutes: Sendable {
    let context: ServiceContext
    let inspector: StreamInspector

    init(context: ServiceContext) {
        self.context = context
        self.inspector = StreamInspector(redis: context.redis)
    }

    func add(to api: RouterGroup<BasicRequestContext>) {
        api.get("status", use: status)
    }

    @Sendable func status(_ request: Request, context: BasicRequestContext) async throws -> StatusReport {
        let streams = self.context.streams
        // A replica silent for ten minutes is gone for good; keep the page about the living.
        async let heartbeats = inspector.pruneHeartbeats(key: streams.heartbeats, olderThan: .seconds(600))
        async let streamStatus = inspector.status(of: streams.subscriptions)
        return StatusReport(heartbeats: try await heartbeats, streams: try await streamStatus, now: Date())
    }
}

extension StatusReport: ResponseEncodable {}
