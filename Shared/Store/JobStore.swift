import Domain
import Foundation
import Postgres

/// Jobsmith's data in PostgreSQL: sources, runs, jobs and each stage's results.
///
/// Every statement is parameterized. Each stage's save is an upsert keyed by the job, so a message
/// handled twice (at-least-once delivery) writes the same row twice rather than a duplicate.
public struct JobStore: Sendable {
    public let database: PostgresClient

    public init(database: PostgresClient) {
        self.database = database
    }

    // MARK: - Jobs

    /// What storing a batch of postings did.
    public struct StoreOutcome: Sendable, Equatable {
        public var new = 0
        public var updated = 0
        public var unchanged = 0
    }

    /// Inserts new postings and updates changed ones, marking both with `runID`; unchanged postings are
    /// left alone. One transaction: a crash leaves either all of the batch or none of it.
    public func store(_ postings: [JobPosting], runID: UUID) async throws -> StoreOutcome {
        try await database.withTransaction { connection in
            var outcome = StoreOutcome()
            for posting in postings {
                let rows = try connection.query(
                    """
                    INSERT INTO jobs (source, external_id, title, company, locations, is_remote, employment_type,
                                      department, team, posted_at, job_url, apply_url, description_html,
                                      description_text, raw, content_hash, ingest_run_id)
                    VALUES ($1, $2, $3, $4, $5::text[], $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::jsonb, $16, $17)
                    ON CONFLICT (source, external_id) DO UPDATE SET
                        title = EXCLUDED.title, company = EXCLUDED.company, locations = EXCLUDED.locations,
                        is_remote = EXCLUDED.is_remote, employment_type = EXCLUDED.employment_type,
                        department = EXCLUDED.department, team = EXCLUDED.team, posted_at = EXCLUDED.posted_at,
                        job_url = EXCLUDED.job_url, apply_url = EXCLUDED.apply_url,
                        description_html = EXCLUDED.description_html, description_text = EXCLUDED.description_text,
                        raw = EXCLUDED.raw, content_hash = EXCLUDED.content_hash,
                        ingest_run_id = EXCLUDED.ingest_run_id, updated_at = now()
                    WHERE jobs.content_hash <> EXCLUDED.content_hash
                    RETURNING (xmax = 0) AS inserted
                    """,
                    [
                        posting.source, posting.externalID, posting.title, posting.company, posting.locations,
                        posting.isRemote, posting.employmentType, posting.department, posting.team, posting.postedAt,
                        posting.jobURL, posting.applyURL, posting.descriptionHTML, posting.descriptionText,
                        PostgresJSON(bytes: posting.raw.isEmpty ? Array("{}".utf8) : posting.raw),
                        posting.contentHash, runID,
                    ]
                )
                if let row = rows.first {
                    if try row.decode("inserted", as: Bool.self) { outcome.new += 1 } else { outcome.updated += 1 }
                } else {
                    outcome.unchanged += 1
                }
            }
            return outcome
        }
    }

    /// The jobs a run inserted or changed: what it must publish (again, after a redelivery).
    public func jobIDs(ofRun runID: UUID) async throws -> [Int] {
        try await database.query("SELECT id FROM jobs WHERE ingest_run_id = $1 ORDER BY id", [runID])
            .map { try $0.decode("id") }
    }

    /// A page of jobs, newest first, with which stages are done.
    public func jobs(page: Int, perPage: Int) async throws -> (items: [JobSummary], total: Int) {
        let rows = try await database.query(
            """
            SELECT j.id, j.title, j.company, j.locations, j.is_remote, j.source, j.posted_at, j.created_at,
                   e.job_id IS NOT NULL AS extracted, r.job_id IS NOT NULL AS researched, c.job_id IS NOT NULL AS has_cv,
                   count(*) OVER () AS total
            FROM jobs j
            LEFT JOIN job_extractions e ON e.job_id = j.id
            LEFT JOIN job_research r ON r.job_id = j.id
            LEFT JOIN job_cvs c ON c.job_id = j.id
            ORDER BY j.created_at DESC, j.id DESC
            LIMIT $1 OFFSET $2
            """,
            [perPage, (page - 1) * perPage]
        )
        var total = try rows.first?.decode("total", as: Int.self)
        if total == nil {
            // Past the last page the window function has no row to report the count on.
            total = try await database.query("SELECT count(*) AS total FROM jobs").first?.decode("total", as: Int.self)
        }
        let items = try rows.map { row in
            JobSummary(
                id: try row.decode("id"),
                title: try row.decode("title"),
                company: try row.decode("company"),
                locations: try row.decode("locations"),
                isRemote: try row.decode("is_remote"),
                source: try row.decode("source"),
                postedAt: try row.decode("posted_at"),
                createdAt: try row.decode("created_at"),
                stages: .init(
                    extracted: try row.decode("extracted"),
                    researched: try row.decode("researched"),
                    cv: try row.decode("has_cv")
                )
            )
        }
        return (items, total ?? 0)
    }

    /// A job with every stage's result, or nil when there is no such job.
    public func jobDetail(id: Int) async throws -> JobDetail? {
        try await database.withConnection { connection in
            let jobRows = try connection.query(
                """
                SELECT id, source, external_id, title, company, locations, is_remote, employment_type, department,
                       team, posted_at, job_url, apply_url, description_text, created_at, updated_at
                FROM jobs WHERE id = $1
                """,
                [id]
            )
            guard let job = jobRows.first else { return nil }
            var detail = JobDetail(
                job: .init(
                    id: try job.decode("id"),
                    source: try job.decode("source"),
                    externalID: try job.decode("external_id"),
                    title: try job.decode("title"),
                    company: try job.decode("company"),
                    locations: try job.decode("locations"),
                    isRemote: try job.decode("is_remote"),
                    employmentType: try job.decode("employment_type"),
                    department: try job.decode("department"),
                    team: try job.decode("team"),
                    postedAt: try job.decode("posted_at"),
                    jobURL: try job.decode("job_url"),
                    applyURL: try job.decode("apply_url"),
                    descriptionText: try job.decode("description_text"),
                    createdAt: try job.decode("created_at"),
                    updatedAt: try job.decode("updated_at")
                )
            )
            if let row = try connection.query(
                "SELECT clean_text, sections, engine, extracted_at FROM job_extractions WHERE job_id = $1", [id]
            ).first {
                detail.extraction = .init(
                    cleanText: try row.decode("clean_text"),
                    sections: try JSONFragment(bytes: try row.decode("sections", as: PostgresJSONValue.self).bytes),
                    engine: try row.decode("engine"),
                    extractedAt: try row.decode("extracted_at")
                )
            }
            if let row = try connection.query(
                """
                SELECT c.name, c.normalized_name, c.domain, c.careers_host, r.researched_at
                FROM job_research r JOIN companies c ON c.id = r.company_id WHERE r.job_id = $1
                """,
                [id]
            ).first {
                detail.research = .init(
                    company: try row.decode("name"),
                    normalizedName: try row.decode("normalized_name"),
                    domain: try row.decode("domain"),
                    careersHost: try row.decode("careers_host"),
                    researchedAt: try row.decode("researched_at")
                )
            }
            if let row = try connection.query(
                "SELECT markdown, matched_keywords, master_cv_version, generated_at FROM job_cvs WHERE job_id = $1", [id]
            ).first {
                detail.cv = .init(
                    markdown: try row.decode("markdown"),
                    matchedKeywords: try row.decode("matched_keywords"),
                    masterCVVersion: try row.decode("master_cv_version"),
                    generatedAt: try row.decode("generated_at")
                )
            }
            return detail
        }
    }
}
