import Domain
import Foundation
import Postgres

extension JobStore {
    /// The source of jobs the user pasted into the API.
    public static let manualSource = "manual"
    /// The source of jobs imported from a page's URL (the external id is the URL).
    public static let urlSource = "url"

    // MARK: - The user's fields

    /// Changes the fields given and keeps the others: a partial update never blanks what it does not
    /// name. Any change counts as an update of the job (`updated_at`).
    ///
    /// - Returns: false when there is no such job.
    public func updateJob(id: Int, status: JobStatus? = nil, notes: String? = nil, priority: Int? = nil) async throws -> Bool {
        let rows = try await database.query(
            """
            UPDATE jobs SET status = coalesce($2::text, status), notes = coalesce($3::text, notes),
                priority = coalesce($4::integer, priority), updated_at = now()
            WHERE id = $1
            """,
            [id, status?.rawValue, notes, priority]
        )
        return rows.affectedRows == 1
    }

    /// Sets the status of every job of `ids` that exists.
    ///
    /// - Returns: The ids updated, ascending; the others do not exist.
    public func setStatus(ids: [Int], status: JobStatus) async throws -> [Int] {
        try await database.query(
            "UPDATE jobs SET status = $2, updated_at = now() WHERE id = ANY($1::bigint[]) RETURNING id",
            [ids, status.rawValue]
        ).map { try $0.decode("id", as: Int.self) }.sorted()
    }

    /// Deletes every job of `ids` that exists, with every stage's result, document, annotation and
    /// operation (the foreign keys cascade).
    ///
    /// A deleted job's board sightings go with it, so a board that still lists the posting brings it
    /// back as a new job on its next run; `discarded` is the status that keeps it out of sight.
    ///
    /// - Returns: The ids deleted, ascending; the others did not exist.
    public func deleteJobs(ids: [Int]) async throws -> [Int] {
        try await database.query("DELETE FROM jobs WHERE id = ANY($1::bigint[]) RETURNING id", [ids])
            .map { try $0.decode("id", as: Int.self) }.sorted()
    }

    // MARK: - Jobs the user adds

    /// What adding one posting did.
    public struct AddedJob: Sendable, Equatable {
        public var jobID: Int
        /// False when the posting was stored before (the same source and external id), or is the same
        /// job as one stored from a board.
        public var isNew: Bool
    }

    /// Stores one posting the user added (pasted text, or a page imported by URL) the way ingestion
    /// stores a board's: a new job, the job stored before under the same source and external id
    /// (rewritten when its content changed), or — when `isSameJob` says so — a job already stored
    /// from a board, which gains this posting as a sighting.
    ///
    /// The caller publishes the job to the pipeline afterwards when `unpublishedContent(jobID:)` says
    /// its current content has not been sent yet.
    public func addManualJob(
        _ prepared: PreparedPosting,
        runID: UUID,
        isSameJob: @escaping @Sendable (PreparedPosting, DuplicateCandidate) -> Bool = { _, _ in false }
    ) async throws -> AddedJob {
        let source = prepared.posting.source
        let outcome = try await ingest([prepared], source: source, runID: runID, isSameJob: isSameJob)
        if let id = outcome.touchedJobIDs.first { return AddedJob(jobID: id, isNew: outcome.new == 1) }
        guard let id = try await jobID(source: source, externalID: prepared.posting.externalID) else {
            throw PostgresError.decoding("the posting '\(prepared.posting.externalID)' of '\(source)' was stored but has no job")
        }
        return AddedJob(jobID: id, isNew: false)
    }

    /// The job a board's posting belongs to (its own job or the one it was found a duplicate of).
    public func jobID(source: String, externalID: String) async throws -> Int? {
        try await database.query(
            "SELECT job_id FROM job_sources WHERE source = $1 AND external_id = $2", [source, externalID]
        ).first?.decode("job_id", as: Int.self)
    }

    /// The job's content hash while that content has not been sent down the pipeline (and the job is
    /// not under its source's threshold); nil once it has, or when there is no such job.
    public func unpublishedContent(jobID: Int) async throws -> String? {
        try await database.query(
            "SELECT content_hash FROM jobs WHERE id = $1 AND NOT below_threshold AND published_hash IS DISTINCT FROM content_hash",
            [jobID]
        ).first?.decode("content_hash", as: String.self)
    }
}
