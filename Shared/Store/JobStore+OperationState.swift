import Foundation
import Postgres

/// The state changes of operation runs. Each locks its run row (`FOR UPDATE`) inside a transaction,
/// so the services working on a run's steps and the gateways cancelling or retrying it, on any
/// replica, see one order of events.
extension JobStore {
    /// What a service should do with a command it received.
    public enum StepStart: Sendable, Equatable {
        /// Work on it: the step is now running.
        case proceed(force: Bool)
        /// The run was cancelled (before it started, or while it waited): do nothing.
        case cancelled
        /// The step already succeeded on an earlier delivery: do not redo it, but make sure the steps
        /// it unlocked were published (`due`).
        case alreadyDone(due: [DueStep])
        /// The command belongs to an earlier attempt, or its run (and job) is gone.
        case obsolete
    }

    /// How a step ended.
    public enum StepEnd: Sendable, Equatable {
        case succeeded
        case failed(String)
        case cancelled
    }

    /// What ending a step did to its run.
    public struct StepOutcome: Sendable, Equatable {
        /// The run's status afterwards; final when this step ended the run.
        public var runStatus: OperationStatus
        /// Whether this step's ending moved the run to its final status.
        public var endedRun: Bool
        /// Steps of the next stage, now queued, whose commands should be published.
        public var due: [DueStep]
        public var error: String?
    }

    private struct LockedRun {
        var jobID: Int
        var status: OperationStatus
        var attempt: Int
        var force: Bool
        var cancelRequested: Bool
    }

    private func lockRun(_ id: UUID, on connection: PostgresConnection) throws -> LockedRun? {
        guard let row = try connection.query(
            "SELECT job_id, status, attempt, force, cancel_requested FROM operation_runs WHERE id = $1 FOR UPDATE", [id]
        ).first else { return nil }
        return LockedRun(
            jobID: try row.decode("job_id"),
            status: OperationStatus(rawValue: try row.decode("status")) ?? .failed,
            attempt: try row.decode("attempt"),
            force: try row.decode("force"),
            cancelRequested: try row.decode("cancel_requested")
        )
    }

    /// Marks a step running when its command arrives, unless the run says otherwise.
    public func startStep(runID: UUID, operation: String, attempt: Int) async throws -> StepStart {
        try await database.withTransaction { connection in
            guard let run = try lockRun(runID, on: connection), run.attempt == attempt,
                  let row = try connection.query(
                    "SELECT status FROM operation_steps WHERE run_id = $1 AND operation = $2", [runID, operation]
                  ).first
            else { return .obsolete }
            let status = OperationStatus(rawValue: try row.decode("status")) ?? .failed
            if status == .succeeded { return .alreadyDone(due: try dueSteps(of: runID, run: run, includingQueued: true, on: connection)) }
            if run.status == .cancelled || run.cancelRequested || status == .cancelled {
                try connection.query(
                    """
                    UPDATE operation_steps SET status = 'cancelled', finished_at = coalesce(finished_at, now())
                    WHERE run_id = $1 AND operation = $2 AND status NOT IN ('succeeded', 'failed')
                    """,
                    [runID, operation]
                )
                return .cancelled
            }
            try connection.query(
                """
                UPDATE operation_steps SET status = 'running', attempt = $3, started_at = now(), finished_at = NULL, error = NULL
                WHERE run_id = $1 AND operation = $2
                """,
                [runID, operation, attempt]
            )
            try connection.query(
                """
                UPDATE operation_runs SET status = 'running', started_at = coalesce(started_at, now()), updated_at = now()
                WHERE id = $1 AND status IN ('queued', 'running')
                """,
                [runID]
            )
            return .proceed(force: run.force)
        }
    }

    /// Records how a step ended and moves the run on: a failure fails the run, a cancellation cancels
    /// it, and the last success of a stage queues the next stage (or ends the run when there is none).
    public func finishStep(runID: UUID, operation: String, attempt: Int, _ end: StepEnd) async throws -> StepOutcome? {
        try await database.withTransaction { connection in
            guard let run = try lockRun(runID, on: connection), run.attempt == attempt else { return nil }
            let stepStatus: OperationStatus
            var error: String?
            switch end {
            case .succeeded: stepStatus = .succeeded
            case .failed(let message):
                stepStatus = .failed
                error = String(message.prefix(4_000))
            case .cancelled: stepStatus = .cancelled
            }
            try connection.query(
                "UPDATE operation_steps SET status = $3, error = $4, finished_at = now() WHERE run_id = $1 AND operation = $2",
                [runID, operation, stepStatus.rawValue, error]
            )
            var outcome = StepOutcome(runStatus: run.status, endedRun: false, due: [], error: nil)
            guard !run.status.isFinal else { return outcome }
            switch end {
            case .failed(let message):
                try endRun(runID, .failed, error: "\(operation): \(message.prefix(4_000))", on: connection)
                outcome = StepOutcome(runStatus: .failed, endedRun: true, due: [], error: "\(operation): \(message)")
            case .cancelled:
                try endRun(runID, .cancelled, error: nil, on: connection)
                outcome = StepOutcome(runStatus: .cancelled, endedRun: true, due: [], error: nil)
            case .succeeded:
                let due = try dueSteps(of: runID, run: run, on: connection)
                let open = try connection.query(
                    "SELECT count(*) AS open FROM operation_steps WHERE run_id = $1 AND status <> 'succeeded'", [runID]
                ).first?.decode("open", as: Int.self) ?? 0
                if open == 0 {
                    try endRun(runID, .succeeded, error: nil, on: connection)
                    outcome = StepOutcome(runStatus: .succeeded, endedRun: true, due: [], error: nil)
                } else {
                    outcome.due = due
                }
            }
            return outcome
        }
    }

    /// Queues the lowest open stage when it is still waiting and returns its steps to publish.
    ///
    /// With `includingQueued`, steps of that stage already queued are returned too: a redelivered
    /// command whose step succeeded uses it, because the crash that caused the redelivery may have come
    /// between committing the next stage and publishing it. (A command published twice is harmless:
    /// the handlers are idempotent.)
    private func dueSteps(of runID: UUID, run: LockedRun, includingQueued: Bool = false, on connection: PostgresConnection) throws -> [DueStep] {
        guard !run.status.isFinal, !run.cancelRequested else { return [] }
        let rows = try connection.query(
            "SELECT operation, stage, status FROM operation_steps WHERE run_id = $1 ORDER BY stage, operation", [runID]
        )
        let steps = try rows.map { (operation: try $0.decode("operation", as: String.self), stage: try $0.decode("stage", as: Int.self),
                                     status: OperationStatus(rawValue: try $0.decode("status")) ?? .failed) }
        guard let stage = steps.first(where: { $0.status != .succeeded })?.stage else { return [] }
        let current = steps.filter { $0.stage == stage && $0.status != .succeeded }
        if current.allSatisfy({ $0.status == .waiting }) {
            try connection.query(
                "UPDATE operation_steps SET status = 'queued', attempt = $3 WHERE run_id = $1 AND stage = $2 AND status = 'waiting'",
                [runID, stage, run.attempt]
            )
            return current.map { DueStep(runID: runID, jobID: run.jobID, operation: $0.operation, attempt: run.attempt, force: run.force) }
        }
        guard includingQueued else { return [] }
        return current.filter { $0.status == .queued }
            .map { DueStep(runID: runID, jobID: run.jobID, operation: $0.operation, attempt: run.attempt, force: run.force) }
    }

    private func endRun(_ runID: UUID, _ status: OperationStatus, error: String?, on connection: PostgresConnection) throws {
        try connection.query(
            "UPDATE operation_runs SET status = $2, error = $3, finished_at = now(), updated_at = now() WHERE id = $1",
            [runID, status.rawValue, error]
        )
        if status == .cancelled {
            try connection.query(
                """
                UPDATE operation_steps SET status = 'cancelled', finished_at = now()
                WHERE run_id = $1 AND status IN ('waiting', 'queued')
                """,
                [runID]
            )
        }
    }

    /// Whether someone asked to stop the run (a service polls this while it works on a step).
    public func isCancelRequested(runID: UUID) async throws -> Bool {
        let row = try await database.query("SELECT cancel_requested, status FROM operation_runs WHERE id = $1", [runID]).first
        guard let row else { return true }
        return try row.decode("cancel_requested", as: Bool.self) || (try row.decode("status", as: String.self)) == OperationStatus.cancelled.rawValue
    }

    // MARK: - What users do to runs

    public enum RunChange: Sendable, Equatable {
        case notFound
        /// The run is not in a status the change applies to.
        case conflict(OperationStatus)
        /// Done; `due` are the steps to publish (retry), `ended` tells whether the run is now final.
        case changed(due: [DueStep], ended: Bool)
    }

    /// Cancels a run: one with nothing running ends at once; one with a running step is asked to
    /// stop, and its service ends it. Steps not yet started never start.
    public func cancelRun(id: UUID) async throws -> RunChange {
        try await database.withTransaction { connection in
            guard let run = try lockRun(id, on: connection) else { return .notFound }
            guard !run.status.isFinal else { return .conflict(run.status) }
            let running = try connection.query(
                "SELECT count(*) AS running FROM operation_steps WHERE run_id = $1 AND status = 'running'", [id]
            ).first?.decode("running", as: Int.self) ?? 0
            try connection.query("UPDATE operation_runs SET cancel_requested = true, updated_at = now() WHERE id = $1", [id])
            try connection.query(
                """
                UPDATE operation_steps SET status = 'cancelled', finished_at = now()
                WHERE run_id = $1 AND status IN ('waiting', 'queued')
                """,
                [id]
            )
            if running == 0 {
                try endRun(id, .cancelled, error: nil, on: connection)
                return .changed(due: [], ended: true)
            }
            return .changed(due: [], ended: false)
        }
    }

    /// Starts a failed or cancelled run again as a new attempt: its unfinished steps are queued again
    /// (the lowest open stage) or wait (later stages); steps that succeeded are kept.
    public func retryRun(id: UUID) async throws -> RunChange {
        try await database.withTransaction { connection in
            guard var run = try lockRun(id, on: connection) else { return .notFound }
            guard run.status == .failed || run.status == .cancelled else { return .conflict(run.status) }
            run.attempt += 1
            run.status = .queued
            run.cancelRequested = false
            try connection.query(
                """
                UPDATE operation_runs SET status = 'queued', attempt = $2, error = NULL, cancel_requested = false,
                       dismissed = false, finished_at = NULL, updated_at = now()
                WHERE id = $1
                """,
                [id, run.attempt]
            )
            try connection.query(
                """
                UPDATE operation_steps SET status = 'waiting', attempt = $2, error = NULL, started_at = NULL, finished_at = NULL
                WHERE run_id = $1 AND status <> 'succeeded'
                """,
                [id, run.attempt]
            )
            return .changed(due: try dueSteps(of: id, run: run, on: connection), ended: false)
        }
    }

    /// Hides a finished run from the queue view; it stays in the job's history.
    public func dismissRun(id: UUID) async throws -> RunChange {
        try await database.withTransaction { connection in
            guard let run = try lockRun(id, on: connection) else { return .notFound }
            guard run.status.isFinal else { return .conflict(run.status) }
            try connection.query("UPDATE operation_runs SET dismissed = true, updated_at = now() WHERE id = $1", [id])
            return .changed(due: [], ended: true)
        }
    }

    /// Marks a run failed when its commands could not be published, so it does not sit queued forever.
    public func failUnpublishedRun(id: UUID, error: String) async throws {
        try await database.query(
            """
            UPDATE operation_runs SET status = 'failed', error = $2, finished_at = now(), updated_at = now()
            WHERE id = $1 AND status = 'queued'
            """,
            [id, error]
        )
    }
}
