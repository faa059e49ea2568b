import Foundation
import Postgres
import Redis

/// Where an operation run, or one of its steps, stands.
public enum OperationStatus: String, Codable, Sendable, CaseIterable {
    /// A step of a later stage, queued once every step of the stage before it succeeded.
    case waiting
    case queued
    case running
    case succeeded
    case failed
    case cancelled

    public var isFinal: Bool { self == .succeeded || self == .failed || self == .cancelled }
}

/// An operation a user asked for on one job, with its steps: one per service command.
public struct OperationRun: Codable, Sendable, Equatable {
    public struct Step: Codable, Sendable, Equatable {
        public var operation: String
        public var stage: Int
        public var status: OperationStatus
        public var attempt: Int
        public var error: String?
        public var startedAt: Date?
        public var finishedAt: Date?

        enum CodingKeys: String, CodingKey {
            case operation, stage, status, attempt, error
            case startedAt = "started_at"
            case finishedAt = "finished_at"
        }
    }

    public var id: UUID
    public var jobID: Int
    public var jobTitle: String
    public var company: String
    public var operation: String
    public var status: OperationStatus
    public var batchID: UUID?
    public var force: Bool
    public var attempt: Int
    public var error: String?
    public var cancelRequested: Bool
    public var dismissed: Bool
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    public var updatedAt: Date
    public var steps: [Step]

    enum CodingKeys: String, CodingKey {
        case id, operation, status, force, attempt, error, dismissed, steps
        case jobID = "job_id"
        case jobTitle = "job_title"
        case company
        case batchID = "batch_id"
        case cancelRequested = "cancel_requested"
        case createdAt = "created_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case updatedAt = "updated_at"
    }

    /// Writes ids in lower case, as every other id of the API is written.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.uuidString.lowercased(), forKey: .id)
        try container.encode(jobID, forKey: .jobID)
        try container.encode(jobTitle, forKey: .jobTitle)
        try container.encode(company, forKey: .company)
        try container.encode(operation, forKey: .operation)
        try container.encode(status, forKey: .status)
        try container.encode(batchID?.uuidString.lowercased(), forKey: .batchID)
        try container.encode(force, forKey: .force)
        try container.encode(attempt, forKey: .attempt)
        try container.encode(error, forKey: .error)
        try container.encode(cancelRequested, forKey: .cancelRequested)
        try container.encode(dismissed, forKey: .dismissed)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(finishedAt, forKey: .finishedAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(steps, forKey: .steps)
    }
}

/// One line of a run's log: a progress event, under the events stream entry ID it was published as.
public struct OperationLogEntry: Codable, Sendable, Equatable {
    public var id: String
    public var at: Date
    public var service: String
    public var step: String
    public var phase: String
    public var message: String
}

extension JobStore {
    /// A run to create: its steps, by stage. Steps of the first stage are queued at once.
    public struct NewOperationRun: Sendable {
        public var id: UUID
        public var jobID: Int
        public var operation: String
        public var batchID: UUID?
        public var force: Bool
        public var steps: [(operation: String, stage: Int)]

        public init(id: UUID = UUID(), jobID: Int, operation: String, batchID: UUID? = nil, force: Bool, steps: [(operation: String, stage: Int)]) {
            self.id = id
            self.jobID = jobID
            self.operation = operation
            self.batchID = batchID
            self.force = force
            self.steps = steps
        }
    }

    /// A step whose command should be published now.
    public struct DueStep: Sendable, Equatable {
        public var runID: UUID
        public var jobID: Int
        public var operation: String
        public var attempt: Int
        public var force: Bool
    }

    /// Creates runs with their steps in one transaction, before any command is published, so a command
    /// never arrives for a run that does not exist. Returns the steps to publish.
    public func createOperationRuns(_ runs: [NewOperationRun]) async throws -> [DueStep] {
        guard !runs.isEmpty else { return [] }
        return try await database.withTransaction { connection in
            var due: [DueStep] = []
            for run in runs {
                try connection.query(
                    """
                    INSERT INTO operation_runs (id, job_id, operation, status, batch_id, force)
                    VALUES ($1, $2, $3, 'queued', $4, $5)
                    """,
                    [run.id, run.jobID, run.operation, run.batchID, run.force]
                )
                let firstStage = run.steps.map(\.stage).min() ?? 1
                for step in run.steps {
                    let status: OperationStatus = step.stage == firstStage ? .queued : .waiting
                    try connection.query(
                        "INSERT INTO operation_steps (run_id, operation, stage, status) VALUES ($1, $2, $3, $4)",
                        [run.id, step.operation, step.stage, status.rawValue]
                    )
                    if status == .queued {
                        due.append(DueStep(runID: run.id, jobID: run.jobID, operation: step.operation, attempt: 1, force: run.force))
                    }
                }
            }
            return due
        }
    }

    /// Which of `ids` are stored jobs.
    public func existingJobIDs(_ ids: [Int]) async throws -> Set<Int> {
        let rows = try await database.query("SELECT id FROM jobs WHERE id = ANY($1::bigint[])", [ids])
        return Set(try rows.map { try $0.decode("id", as: Int.self) })
    }

    // MARK: - Reading runs

    /// A run with its steps, or nil.
    public func operationRun(id: UUID) async throws -> OperationRun? {
        try await operationRuns(where: "r.id = $1", [id], limit: 1).first
    }

    /// Runs matching a filter, newest first.
    public func operationRuns(jobID: Int? = nil, batchID: UUID? = nil, statuses: [OperationStatus]? = nil, includeDismissed: Bool = true, limit: Int) async throws -> [OperationRun] {
        var conditions: [String] = []
        var parameters: [(any PostgresEncodable)?] = []
        if let jobID {
            parameters.append(jobID)
            conditions.append("r.job_id = $\(parameters.count)")
        }
        if let batchID {
            parameters.append(batchID)
            conditions.append("r.batch_id = $\(parameters.count)")
        }
        if let statuses {
            parameters.append(statuses.map(\.rawValue))
            conditions.append("r.status = ANY($\(parameters.count)::text[])")
        }
        if !includeDismissed { conditions.append("NOT r.dismissed") }
        return try await operationRuns(where: conditions.isEmpty ? "true" : conditions.joined(separator: " AND "), parameters, limit: limit)
    }

    /// The queue view: running, queued, failed (not dismissed) and recently finished runs.
    public func operationQueue(limit: Int) async throws -> (running: [OperationRun], queued: [OperationRun], failed: [OperationRun], recent: [OperationRun]) {
        async let running = operationRuns(statuses: [.running], limit: limit)
        async let queued = operationRuns(statuses: [.queued], limit: limit)
        async let failed = operationRuns(statuses: [.failed], includeDismissed: false, limit: limit)
        async let recent = operationRuns(statuses: [.succeeded, .cancelled], limit: limit)
        return try await (running, queued, failed, recent)
    }

    /// `conditions` is built by this file from fixed SQL fragments; every value is a parameter.
    private func operationRuns(where conditions: String, _ parameters: [(any PostgresEncodable)?], limit: Int) async throws -> [OperationRun] {
        try await database.withConnection { connection in
            let rows = try connection.query(
                """
                SELECT r.id, r.job_id, j.title, j.company, r.operation, r.status, r.batch_id, r.force, r.attempt, r.error,
                       r.cancel_requested, r.dismissed, r.created_at, r.started_at, r.finished_at, r.updated_at
                FROM operation_runs r JOIN jobs j ON j.id = r.job_id
                WHERE \(conditions)
                ORDER BY r.created_at DESC, r.id
                LIMIT \(max(1, limit))
                """,
                parameters
            )
            var runs = try rows.map { row in
                OperationRun(
                    id: try row.decode("id"),
                    jobID: try row.decode("job_id"),
                    jobTitle: try row.decode("title"),
                    company: try row.decode("company"),
                    operation: try row.decode("operation"),
                    status: OperationStatus(rawValue: try row.decode("status")) ?? .failed,
                    batchID: try row.decode("batch_id"),
                    force: try row.decode("force"),
                    attempt: try row.decode("attempt"),
                    error: try row.decode("error"),
                    cancelRequested: try row.decode("cancel_requested"),
                    dismissed: try row.decode("dismissed"),
                    createdAt: try row.decode("created_at"),
                    startedAt: try row.decode("started_at"),
                    finishedAt: try row.decode("finished_at"),
                    updatedAt: try row.decode("updated_at"),
                    steps: []
                )
            }
            guard !runs.isEmpty else { return [] }
            var steps: [UUID: [OperationRun.Step]] = [:]
            for row in try connection.query(
                """
                SELECT run_id, operation, stage, status, attempt, error, started_at, finished_at FROM operation_steps
                WHERE run_id = ANY($1::uuid[]) ORDER BY stage, operation
                """,
                [runs.map(\.id)]
            ) {
                steps[try row.decode("run_id"), default: []].append(
                    OperationRun.Step(
                        operation: try row.decode("operation"),
                        stage: try row.decode("stage"),
                        status: OperationStatus(rawValue: try row.decode("status")) ?? .failed,
                        attempt: try row.decode("attempt"),
                        error: try row.decode("error"),
                        startedAt: try row.decode("started_at"),
                        finishedAt: try row.decode("finished_at")
                    )
                )
            }
            for index in runs.indices { runs[index].steps = steps[runs[index].id] ?? [] }
            return runs
        }
    }

    // MARK: - The log

    /// Keeps one progress event of a run. A run deleted with its job takes its log with it, and an
    /// event published twice (a redelivered message) is kept once.
    public func appendOperationEvent(runID: UUID, position: StreamPosition, service: String, step: String, phase: String, message: String) async throws {
        try await database.query(
            """
            INSERT INTO operation_events (run_id, entry_ms, entry_seq, service, step, phase, message)
            SELECT $1, $2, $3, $4, $5, $6, $7 WHERE EXISTS (SELECT 1 FROM operation_runs WHERE id = $1)
            ON CONFLICT DO NOTHING
            """,
            [runID, position.milliseconds, position.sequence, service, step, phase, message]
        )
    }

    /// A run's log in publishing order, after `position` when given.
    public func operationLog(runID: UUID, after position: StreamPosition? = nil) async throws -> [OperationLogEntry] {
        let after = position ?? StreamPosition(milliseconds: -1, sequence: 0)
        let rows = try await database.query(
            """
            SELECT entry_ms, entry_seq, at, service, step, phase, message FROM operation_events
            WHERE run_id = $1 AND (entry_ms, entry_seq) > ($2, $3)
            ORDER BY entry_ms, entry_seq
            """,
            [runID, after.milliseconds, after.sequence]
        )
        return try rows.map { row in
            OperationLogEntry(
                id: "\(try row.decode("entry_ms", as: Int64.self))-\(try row.decode("entry_seq", as: Int64.self))",
                at: try row.decode("at"),
                service: try row.decode("service"),
                step: try row.decode("step"),
                phase: try row.decode("phase"),
                message: try row.decode("message")
            )
        }
    }
}
