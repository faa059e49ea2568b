import Domain
import Foundation
import Postgres

extension JobStore {
    /// What storing one run's postings did.
    public struct IngestOutcome: Sendable, Equatable {
        public var new = 0
        public var updated = 0
        /// Seen before unchanged, or found to be a job already stored from another board.
        public var duplicates = 0
        /// Jobs inserted or changed by this batch.
        public var touchedJobIDs: [Int] = []
    }

    /// Stores one source's postings in one transaction, with a handful of statements whatever the
    /// batch size (each batch travels as one JSON parameter read by `json_to_recordset`, which
    /// streams it instead of first building a binary `jsonb` of the whole batch):
    ///
    /// - a posting seen before (same source and external id) updates its job when its content changed,
    ///   and only refreshes when it was last seen otherwise;
    /// - a new posting that `isSameJob` says is a job already stored from another board becomes a
    ///   second source of that job;
    /// - any other posting becomes a new job.
    public func ingest(
        _ postings: [PreparedPosting],
        source: String,
        runID: UUID,
        isSameJob: @escaping @Sendable (PreparedPosting, DuplicateCandidate) -> Bool
    ) async throws -> IngestOutcome {
        guard !postings.isEmpty else { return IngestOutcome() }
        // The same external id twice in one payload: the last one wins, as it would on two fetches.
        var unique: [String: PreparedPosting] = [:]
        for prepared in postings { unique[prepared.posting.externalID] = prepared }
        let batch = Array(unique.values).sorted { $0.posting.externalID < $1.posting.externalID }
        let byExternalID = unique

        return try await database.withTransaction { connection in
            var known: [String: (jobID: Int, hash: String)] = [:]
            for row in try connection.query(
                "SELECT external_id, job_id, content_hash FROM job_sources WHERE source = $1 AND external_id = ANY($2::text[])",
                [source, batch.map(\.posting.externalID)]
            ) {
                known[try row.decode("external_id")] = (try row.decode("job_id"), try row.decode("content_hash"))
            }

            var outcome = IngestOutcome()
            var inserts: [PreparedPosting] = []
            var updates: [(jobID: Int, prepared: PreparedPosting)] = []
            var sightings: [(jobID: Int?, prepared: PreparedPosting)] = []
            var unknown: [PreparedPosting] = []
            for prepared in batch {
                if let existing = known[prepared.posting.externalID] {
                    if existing.hash == prepared.posting.contentHash {
                        outcome.duplicates += 1
                    } else {
                        updates.append((existing.jobID, prepared))
                    }
                    sightings.append((existing.jobID, prepared))
                } else {
                    unknown.append(prepared)
                }
            }

            // Cross-board duplicates: compare only with jobs of the same company and title.
            var candidates: [String: [DuplicateCandidate]] = [:]
            let keys = Array(Set(unknown.map(\.dedupeKey).filter { !$0.isEmpty }))
            if !keys.isEmpty {
                for row in try connection.query(
                    """
                    SELECT id, source, dedupe_key, locations, is_remote, shingles FROM jobs
                    WHERE dedupe_key = ANY($1::text[]) AND source <> $2
                    """,
                    [keys, source]
                ) {
                    let candidate = DuplicateCandidate(
                        jobID: try row.decode("id"),
                        source: try row.decode("source"),
                        locations: try row.decode("locations"),
                        isRemote: try row.decode("is_remote"),
                        shingles: try row.decode("shingles", as: [Int].self).map(Int64.init)
                    )
                    candidates[try row.decode("dedupe_key"), default: []].append(candidate)
                }
            }
            for prepared in unknown {
                if let match = candidates[prepared.dedupeKey]?.first(where: { isSameJob(prepared, $0) }) {
                    outcome.duplicates += 1
                    sightings.append((match.jobID, prepared))
                } else {
                    inserts.append(prepared)
                }
            }

            if !inserts.isEmpty {
                let rows = try connection.query(
                    """
                    INSERT INTO jobs (\(Self.jobColumns), ingest_run_id)
                    SELECT \(Self.jobColumns), $2::uuid FROM json_to_recordset($1::json) AS r(\(Self.jobRecordType))
                    RETURNING id, external_id
                    """,
                    [PostgresJSON(bytes: Self.jobRows(inserts.map { (nil, $0) })), runID]
                )
                for row in rows {
                    let id: Int = try row.decode("id")
                    let externalID: String = try row.decode("external_id")
                    outcome.touchedJobIDs.append(id)
                    if let prepared = byExternalID[externalID] { sightings.append((id, prepared)) }
                }
                outcome.new = rows.count
            }
            if !updates.isEmpty {
                // Only the job's own board rewrites it; another board's copy is recorded as a sighting.
                let assignments = Self.jobColumnList.map { "\($0) = r.\($0)" }.joined(separator: ", ")
                let rows = try connection.query(
                    """
                    UPDATE jobs SET \(assignments), ingest_run_id = $2::uuid, updated_at = now()
                    FROM json_to_recordset($1::json) AS r(id bigint, \(Self.jobRecordType))
                    WHERE jobs.id = r.id AND jobs.source = r.source
                    RETURNING jobs.id
                    """,
                    [PostgresJSON(bytes: Self.jobRows(updates.map { ($0.jobID, $0.prepared) })), runID]
                )
                let changed = try rows.map { try $0.decode("id", as: Int.self) }
                outcome.updated = changed.count
                outcome.duplicates += updates.count - changed.count
                outcome.touchedJobIDs += changed
            }

            var rows = JSONRows()
            for (jobID, prepared) in sightings {
                guard let jobID else { continue }
                rows.beginRow()
                rows.field("job_id", jobID)
                rows.field("external_id", prepared.posting.externalID)
                rows.field("job_url", prepared.posting.jobURL)
                rows.field("content_hash", prepared.posting.contentHash)
                rows.endRow()
            }
            try connection.query(
                """
                INSERT INTO job_sources (source, external_id, job_id, job_url, content_hash)
                SELECT $2, external_id, job_id, job_url, content_hash
                FROM json_to_recordset($1::json) AS r(job_id bigint, external_id text, job_url text, content_hash text)
                ON CONFLICT (source, external_id) DO UPDATE SET job_url = EXCLUDED.job_url,
                    content_hash = EXCLUDED.content_hash, last_seen_at = now()
                """,
                [PostgresJSON(bytes: rows.finish()), source]
            )
            return outcome
        }
    }

    /// Jobs of `source` whose current content has not been sent down the pipeline yet and that passed
    /// its score threshold. After a crash between storing and publishing, they are found again here.
    public func unpublishedJobs(source: String) async throws -> [(id: Int, contentHash: String)] {
        try await database.query(
            """
            SELECT id, content_hash FROM jobs
            WHERE source = $1 AND NOT below_threshold AND published_hash IS DISTINCT FROM content_hash
            ORDER BY id
            """,
            [source]
        ).map { (try $0.decode("id"), try $0.decode("content_hash")) }
    }

    /// Records that these content versions were published, so they are not published again.
    public func markPublished(_ jobs: [(id: Int, contentHash: String)]) async throws {
        var rows = JSONRows()
        for job in jobs {
            rows.beginRow()
            rows.field("id", job.id)
            rows.field("content_hash", job.contentHash)
            rows.endRow()
        }
        try await database.query(
            """
            UPDATE jobs SET published_hash = r.content_hash
            FROM json_to_recordset($1::json) AS r(id bigint, content_hash text) WHERE jobs.id = r.id
            """,
            [PostgresJSON(bytes: rows.finish())]
        )
    }

    // MARK: - Rows

    /// The board's own HTML and plain text are not stored apart: they stay in `raw`, and the
    /// sanitized HTML and `description_clean` are what every stage reads. Storing each description
    /// in fewer forms was the largest saving in PostgreSQL's share of ingestion.
    static let jobColumnList = [
        "source", "external_id", "title", "company", "locations", "is_remote", "workplace_type", "employment_type",
        "department", "team", "posted_at", "job_url", "apply_url",
        "description_safe_html", "description_clean", "raw", "content_hash", "salary_min", "salary_max",
        "salary_currency", "salary_interval", "dedupe_key", "shingles", "fit_score", "tier", "below_threshold",
    ]

    static var jobColumns: String { jobColumnList.joined(separator: ", ") }

    /// The record type `json_to_recordset` reads job rows as.
    static let jobRecordType = """
        source text, external_id text, title text, company text, locations text[], is_remote boolean,
        workplace_type text, employment_type text, department text, team text, posted_at timestamptz, job_url text,
        apply_url text, description_safe_html text,
        description_clean text, raw json, content_hash text, salary_min double precision,
        salary_max double precision, salary_currency text, salary_interval text, dedupe_key text, shingles bigint[],
        fit_score integer, tier text, below_threshold boolean
        """

    static func jobRows(_ jobs: [(id: Int?, prepared: PreparedPosting)]) -> [UInt8] {
        var rows = JSONRows()
        for (id, prepared) in jobs {
            let posting = prepared.posting
            rows.beginRow()
            if let id { rows.field("id", id) }
            rows.field("source", posting.source)
            rows.field("external_id", posting.externalID)
            rows.field("title", posting.title)
            rows.field("company", posting.company)
            rows.field("locations", posting.locations)
            rows.field("is_remote", posting.isRemote)
            rows.field("workplace_type", posting.workplaceType?.rawValue)
            rows.field("employment_type", posting.employmentType)
            rows.field("department", posting.department)
            rows.field("team", posting.team)
            rows.field("posted_at", posting.postedAt.map { $0.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)) })
            rows.field("job_url", posting.jobURL)
            rows.field("apply_url", posting.applyURL)
            rows.field("description_safe_html", prepared.safeHTML)
            rows.field("description_clean", prepared.cleanText)
            rows.field("raw", json: posting.raw)
            rows.field("content_hash", posting.contentHash)
            rows.field("salary_min", posting.salary?.minimum)
            rows.field("salary_max", posting.salary?.maximum)
            rows.field("salary_currency", posting.salary?.currency)
            rows.field("salary_interval", posting.salary?.interval?.rawValue)
            rows.field("dedupe_key", prepared.dedupeKey)
            rows.field("shingles", prepared.shingles)
            rows.field("fit_score", prepared.fitScore)
            rows.field("tier", prepared.tier)
            rows.field("below_threshold", prepared.belowThreshold)
            rows.endRow()
        }
        return rows.finish()
    }
}
