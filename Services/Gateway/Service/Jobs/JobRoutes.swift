import Foundation
import Hummingbird
import Runtime
import Store

/// `/api/jobs`: the job list with its search, filters, sorts and pages; each job's detail; the
/// user's edits (status, notes, priority), alone or in bulk; deletion; and adding jobs by hand
/// (`JobAdditionRoutes`).
struct JobRoutes: Sendable {
    let context: ServiceContext
    let access: AccessControl
    /// Shared by the concurrent reads of one page; told of every write.
    let listReads = JobListCoalescer()

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.get("jobs", use: list)
        api.post("jobs/bulk", use: bulk)
        api.get("jobs/:id", use: detail)
        api.patch("jobs/:id", use: update)
        api.delete("jobs/:id", use: delete)
        JobAdditionRoutes(context: context, access: access, listReads: listReads).add(to: api)
    }

    // MARK: - Reading

    /// `GET /api/jobs`: see `JobListParameters` for the query string and `JobListResponse` for the
    /// answer.
    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let (query, page) = try JobListParameters(query: request.uri.query).jobQuery()
        let store = self.context.store
        let body: [UInt8]
        do {
            body = try await listReads.body(for: query) {
                let result = try await store.searchJobs(query)
                return JobListJSON.document(
                    JobListResponse(items: result.items, total: result.total, page: page, perPage: query.perPage, nextCursor: result.nextCursor?.encoded)
                )
            }
        } catch let error as JobQueryError {
            throw APIError.badRequest(error.description)
        }
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    @Sendable func detail(_ request: Request, context: ServiceRequestContext) async throws -> JobDetail {
        let id = try positiveInteger("id", in: context)
        guard let detail = try await self.context.store.jobDetail(id: id) else { throw APIError.notFound("no job with id \(id)") }
        return detail
    }

    // MARK: - Editing

    /// `PATCH /api/jobs/{id}`: changes the fields sent, keeps the others; answers with the job as the
    /// list shows it.
    @Sendable func update(_ request: Request, context: ServiceRequestContext) async throws -> JobSummary {
        try await access.authorizeWrite(request, context: context)
        let id = try positiveInteger("id", in: context)
        let patch = try await decodeChecked(JobPatch.self, from: request)
        let store = self.context.store
        let updated = try await store.updateJob(id: id, status: patch.status, notes: patch.notes, priority: patch.priority)
        listReads.invalidate()
        guard updated, let summary = try await store.jobSummary(id: id) else { throw APIError.notFound("no job with id \(id)") }
        return summary
    }

    struct BulkResult: ResponseEncodable {
        var action: String
        var status: JobStatus?
        var updated: [Int]?
        var deleted: [Int]?
        /// Ids of jobs that do not exist.
        var missing: [Int]
    }

    /// `POST /api/jobs/bulk`: one status for many jobs, or many jobs deleted.
    @Sendable func bulk(_ request: Request, context: ServiceRequestContext) async throws -> BulkResult {
        try await access.authorizeWrite(request, context: context)
        let body = try await decodeChecked(BulkJobAction.self, from: request)
        let store = self.context.store
        defer { listReads.invalidate() }
        switch body.action {
        case .setStatus(let status):
            let updated = try await store.setStatus(ids: body.jobIDs, status: status)
            return BulkResult(action: body.action.name, status: status, updated: updated, missing: Self.missing(body.jobIDs, done: updated))
        case .delete:
            let deleted = try await store.deleteJobs(ids: body.jobIDs)
            return BulkResult(action: body.action.name, deleted: deleted, missing: Self.missing(body.jobIDs, done: deleted))
        }
    }

    /// `DELETE /api/jobs/{id}`: 204, or 404 when there is no such job.
    @Sendable func delete(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await access.authorizeWrite(request, context: context)
        let id = try positiveInteger("id", in: context)
        let deleted = try await self.context.store.deleteJobs(ids: [id])
        listReads.invalidate()
        guard deleted == [id] else { throw APIError.notFound("no job with id \(id)") }
        return Response(status: .noContent)
    }

    /// The ids asked for that were not acted on, in the order asked.
    static func missing(_ asked: [Int], done: [Int]) -> [Int] {
        let done = Set(done)
        return asked.filter { !done.contains($0) }
    }
}

extension JobDetail: ResponseEncodable {}
extension JobSummary: ResponseEncodable {}
