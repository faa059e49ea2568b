import Foundation
import Hummingbird
import Messaging
import Runtime
import Store

/// Operations users run on jobs, as runs stored in PostgreSQL (so every gateway replica shows the
/// same queue) and commands on the services' streams:
///
/// - `POST /api/jobs/{id}/operations/{operation}` and `POST /api/operations/batch` queue runs;
/// - `GET /api/operations` is the queue view, `GET /api/operations/{id}` one run with its full log;
/// - `POST /api/operations/{id}/cancel | retry | dismiss` act on the real work: a cancelled run's
///   queued commands are skipped by the services, a running step is stopped at its next progress step,
///   and a retry publishes the unfinished steps again as a new attempt.
struct OperationRoutes: Sendable {
    let context: ServiceContext
    let access: AccessControl

    static let maximumBatch = 1_000

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.post("jobs/:id/operations/:operation", use: start)
        api.post("operations/batch", use: startBatch)
        api.get("operations", use: queue)
        api.get("operations/:id", use: detail)
        api.post("operations/:id/cancel", use: cancel)
        api.post("operations/:id/retry", use: retry)
        api.post("operations/:id/dismiss", use: dismiss)
    }

    struct Options: Decodable {
        var force: Bool?
    }

    struct RunResponse: ResponseEncodable {
        var run: OperationRun
        var log: [OperationLogEntry]?
    }

    @Sendable func start(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<RunResponse> {
        try await access.authorizeWrite(request, context: context)
        let jobID = try positiveInteger("id", in: context)
        let name = context.parameters.get("operation") ?? ""
        guard let steps = OperationPlan.steps(of: name) else {
            throw APIError.badRequest("unknown operation '\(name)'; use one of \(OperationPlan.names.joined(separator: ", "))")
        }
        let options = try await optionalBody(Options.self, from: request, context: context)
        guard try await self.context.store.existingJobIDs([jobID]).contains(jobID) else { throw APIError.notFound("no job with id \(jobID)") }
        let run = JobStore.NewOperationRun(jobID: jobID, operation: name, force: options?.force ?? false, steps: steps)
        try await queue([run])
        guard let stored = try await self.context.store.operationRun(id: run.id) else { throw APIError.internalError }
        return EditedResponse(status: .accepted, response: RunResponse(run: stored))
    }

    struct BatchRequest: Decodable {
        var operation: String
        var jobIDs: [Int]
        var force: Bool?

        enum CodingKeys: String, CodingKey {
            case operation, force
            case jobIDs = "job_ids"
        }
    }

    struct BatchResponse: ResponseEncodable {
        var batchID: String
        var operation: String
        var runs: [OperationRun]
        /// Ids that name no job; nothing was queued for them.
        var missing: [Int]

        enum CodingKeys: String, CodingKey {
            case operation, runs, missing
            case batchID = "batch_id"
        }
    }

    @Sendable func startBatch(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<BatchResponse> {
        try await access.authorizeWrite(request, context: context)
        let batch = try await decode(BatchRequest.self, from: request, context: context)
        guard let steps = OperationPlan.steps(of: batch.operation) else {
            throw APIError.badRequest("unknown operation '\(batch.operation)'; use one of \(OperationPlan.names.joined(separator: ", "))")
        }
        guard (1...Self.maximumBatch).contains(batch.jobIDs.count) else {
            throw APIError.badRequest("job_ids must list 1 to \(Self.maximumBatch) jobs, got \(batch.jobIDs.count)")
        }
        var seen = Set<Int>()
        let ids = batch.jobIDs.filter { seen.insert($0).inserted }
        let existing = try await self.context.store.existingJobIDs(ids)
        let batchID = UUID()
        let runs = ids.filter(existing.contains).map {
            JobStore.NewOperationRun(jobID: $0, operation: batch.operation, batchID: batchID, force: batch.force ?? false, steps: steps)
        }
        try await queue(runs)
        let stored = runs.isEmpty ? [] : try await self.context.store.operationRuns(batchID: batchID, limit: Self.maximumBatch)
        return EditedResponse(
            status: .accepted,
            response: BatchResponse(batchID: batchID.uuidString.lowercased(), operation: batch.operation, runs: stored, missing: ids.filter { !existing.contains($0) })
        )
    }

    struct QueueView: ResponseEncodable {
        var running: [OperationRun]
        var queued: [OperationRun]
        var failed: [OperationRun]
        var recent: [OperationRun]
    }

    /// The queue: running, queued, failed (until dismissed) and recently finished runs, newest first;
    /// `job_id` or `batch_id` narrow it to one job or one batch.
    @Sendable func queue(_ request: Request, context: ServiceRequestContext) async throws -> QueueView {
        let limit = try integerQuery(request, "limit", default: 50, range: 1...500)
        let jobID: Int? = request.uri.queryParameters.get("job_id") == nil
            ? nil : try integerQuery(request, "job_id", default: 0, range: 1...Int.max)
        let batchID: UUID? = try request.uri.queryParameters.get("batch_id").map { raw in
            guard let id = UUID(uuidString: raw) else { throw APIError.badRequest("batch_id must be a UUID, got '\(raw)'") }
            return id
        }
        let store = self.context.store
        async let running = store.operationRuns(jobID: jobID, batchID: batchID, statuses: [.running], limit: limit)
        async let queued = store.operationRuns(jobID: jobID, batchID: batchID, statuses: [.queued], limit: limit)
        async let failed = store.operationRuns(jobID: jobID, batchID: batchID, statuses: [.failed], includeDismissed: false, limit: limit)
        async let recent = store.operationRuns(jobID: jobID, batchID: batchID, statuses: [.succeeded, .cancelled], limit: limit)
        return QueueView(running: try await running, queued: try await queued, failed: try await failed, recent: try await recent)
    }

    @Sendable func detail(_ request: Request, context: ServiceRequestContext) async throws -> RunResponse {
        let runID = try runID(context)
        guard let run = try await self.context.store.operationRun(id: runID) else { throw APIError.notFound("no operation with id \(runID.uuidString.lowercased())") }
        return RunResponse(run: run, log: try await self.context.store.operationLog(runID: runID))
    }

    @Sendable func cancel(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<RunResponse> {
        try await access.authorizeWrite(request, context: context)
        let runID = try runID(context)
        let change = try await self.context.store.cancelRun(id: runID)
        let run = try await changed(runID, change, action: "cancel")
        if case .changed(_, let ended) = change, ended {
            await progress(of: run).report("run", .cancelled, "Run cancelled before it started")
        }
        // 202 while a running step is still being stopped; 200 once the run is over.
        return EditedResponse(status: run.status.isFinal ? .ok : .accepted, response: RunResponse(run: run))
    }

    @Sendable func retry(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<RunResponse> {
        try await access.authorizeWrite(request, context: context)
        let runID = try runID(context)
        let change = try await self.context.store.retryRun(id: runID)
        var run = try await changed(runID, change, action: "retry")
        if case .changed(let due, _) = change {
            await progress(of: run).report("run", .started, "Retrying: attempt \(run.attempt)")
            do {
                try await self.context.publishCommands(for: due)
            } catch {
                try await self.context.store.failUnpublishedRun(id: runID, error: "could not queue the retry: \(error)")
                throw APIError.unavailable("could not queue the retry; the run is marked failed")
            }
            run = try await self.context.store.operationRun(id: runID) ?? run
        }
        return EditedResponse(status: .accepted, response: RunResponse(run: run))
    }

    @Sendable func dismiss(_ request: Request, context: ServiceRequestContext) async throws -> RunResponse {
        try await access.authorizeWrite(request, context: context)
        let runID = try runID(context)
        return RunResponse(run: try await changed(runID, try await self.context.store.dismissRun(id: runID), action: "dismiss"))
    }

    // MARK: - Helpers

    /// Stores the runs, then publishes their first steps; runs whose commands could not be published
    /// are marked failed rather than left queued forever.
    private func queue(_ runs: [JobStore.NewOperationRun]) async throws {
        let due = try await context.store.createOperationRuns(runs)
        do {
            try await context.publishCommands(for: due)
        } catch {
            for run in runs { try await context.store.failUnpublishedRun(id: run.id, error: "could not queue: \(error)") }
            throw APIError.unavailable("could not queue the operation: the message broker is unreachable")
        }
    }

    private func runID(_ context: ServiceRequestContext) throws -> UUID {
        let raw = context.parameters.get("id") ?? ""
        guard let id = UUID(uuidString: raw) else { throw APIError.badRequest("operation id must be a UUID, got '\(raw)'") }
        return id
    }

    private func changed(_ runID: UUID, _ change: JobStore.RunChange, action: String) async throws -> OperationRun {
        switch change {
        case .notFound:
            throw APIError.notFound("no operation with id \(runID.uuidString.lowercased())")
        case .conflict(let status):
            throw APIError.conflict("cannot \(action) an operation that is \(status.rawValue)")
        case .changed:
            guard let run = try await context.store.operationRun(id: runID) else {
                throw APIError.notFound("no operation with id \(runID.uuidString.lowercased())")
            }
            return run
        }
    }

    private func progress(of run: OperationRun) -> ProgressReporter {
        let runID = run.id.uuidString.lowercased()
        return context.progress(jobID: run.jobID, operationID: runID, correlationID: runID)
    }
}

extension OperationRun: ResponseEncodable {}
