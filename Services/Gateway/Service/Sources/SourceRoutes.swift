import Foundation
import Hummingbird
import Runtime
import Store

/// `/api/sources` (configuration of ingestion sources) and `/api/ingest/history/{source}`.
struct SourceRoutes: Sendable {
    let store: JobStore
    let access: AccessControl

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.get("sources", use: list)
        api.post("sources", use: create)
        api.get("sources/:name", use: show)
        api.patch("sources/:name", use: update)
        api.delete("sources/:name", use: delete)
        api.get("ingest/history/:source", use: history)
    }

    struct SourceList: ResponseEncodable {
        var items: [SourceRecord]
    }

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> SourceList {
        SourceList(items: try await store.sources())
    }

    @Sendable func show(_ request: Request, context: ServiceRequestContext) async throws -> SourceRecord {
        try await existing(context)
    }

    @Sendable func create(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<SourceRecord> {
        try await access.authorizeWrite(request, context: context)
        let source = try await decode(SourceEntry.self, from: request, context: context).record
        if let problem = source.problem { throw APIError.badRequest(problem) }
        guard try await store.createSource(source) else { throw APIError.conflict("a source named '\(source.name)' exists") }
        return EditedResponse(status: .created, response: try await store.source(named: source.name) ?? source)
    }

    @Sendable func update(_ request: Request, context: ServiceRequestContext) async throws -> SourceRecord {
        try await access.authorizeWrite(request, context: context)
        let current = try await existing(context)
        let patched = try await decode(SourcePatch.self, from: request, context: context).applied(to: current)
        if let problem = patched.problem { throw APIError.badRequest(problem) }
        guard try await store.updateSource(patched) else { throw APIError.notFound("no source named '\(current.name)'") }
        return try await store.source(named: current.name) ?? patched
    }

    @Sendable func delete(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await access.authorizeWrite(request, context: context)
        let name = context.parameters.get("name") ?? ""
        guard try await store.deleteSource(named: name) else { throw APIError.notFound("no source named '\(name)'") }
        return Response(status: .noContent)
    }

    struct RunHistory: ResponseEncodable {
        var source: String
        var items: [RunRecord]
    }

    /// The last 50 runs of a source, newest first.
    @Sendable func history(_ request: Request, context: ServiceRequestContext) async throws -> RunHistory {
        let name = context.parameters.get("source") ?? ""
        guard try await store.source(named: name) != nil else { throw APIError.notFound("no source named '\(name)'") }
        return RunHistory(source: name, items: try await store.runs(ofSource: name, limit: 50))
    }

    private func existing(_ context: ServiceRequestContext) async throws -> SourceRecord {
        let name = context.parameters.get("name") ?? ""
        guard let source = try await store.source(named: name) else { throw APIError.notFound("no source named '\(name)'") }
        return source
    }
}

extension SourceRecord: ResponseEncodable {}
