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

    // The job list and its search are in JobStore+Search.swift, edits in JobStore+Editing.swift.

    /// A job with every stage's result, or nil when there is no such job.
    public func jobDetail(id: Int) async throws -> JobDetail? {
        try await database.withConnection { connection in
            let jobRows = try connection.query(
                """
                SELECT id, source, external_id, title, company, locations, is_remote, employment_type, department,
                       team, posted_at, job_url, apply_url, description_safe_html, description_clean, created_at,
                       updated_at, workplace_type, salary_min, salary_max, salary_currency, salary_interval, fit_score,
                       tier, below_threshold, status, notes, priority
                FROM jobs WHERE id = $1
                """,
                [id]
            )
            guard let job = jobRows.first else { return nil }
            let sightings = try connection.query(
                """
                SELECT source, external_id, job_url, first_seen_at, last_seen_at FROM job_sources
                WHERE job_id = $1 ORDER BY first_seen_at, source
                """,
                [id]
            ).map { row in
                JobDetail.Posting.Sighting(
                    source: try row.decode("source"),
                    externalID: try row.decode("external_id"),
                    jobURL: try row.decode("job_url"),
                    firstSeenAt: try row.decode("first_seen_at"),
                    lastSeenAt: try row.decode("last_seen_at")
                )
            }
            var salary: Salary?
            let minimum: Double? = try job.decode("salary_min")
            let maximum: Double? = try job.decode("salary_max")
            if minimum != nil || maximum != nil {
                salary = Salary(
                    minimum: minimum,
                    maximum: maximum,
                    currency: try job.decode("salary_currency"),
                    interval: (try job.decode("salary_interval", as: String?.self)).flatMap(Salary.Interval.init(rawValue:))
                )
            }
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
                    workplaceType: try job.decode("workplace_type"),
                    salary: salary,
                    postedAt: try job.decode("posted_at"),
                    jobURL: try job.decode("job_url"),
                    applyURL: try job.decode("apply_url"),
                    descriptionHTML: try job.decode("description_safe_html"),
                    descriptionText: try job.decode("description_clean"),
                    fitScore: try job.decode("fit_score"),
                    tier: try job.decode("tier"),
                    belowThreshold: try job.decode("below_threshold"),
                    status: try Self.decodeStatus(job),
                    notes: try job.decode("notes"),
                    priority: try job.decode("priority"),
                    sources: sightings,
                    createdAt: try job.decode("created_at"),
                    updatedAt: try job.decode("updated_at")
                )
            )
            if let row = try connection.query(
                "SELECT clean_text, sections, analysis, fit, engine, producer, extracted_at FROM job_extractions WHERE job_id = $1", [id]
            ).first {
                detail.extraction = .init(
                    cleanText: try row.decode("clean_text"),
                    sections: try JSONFragment(bytes: try row.decode("sections", as: PostgresJSONValue.self).bytes),
                    analysis: try row.decode("analysis", as: PostgresJSONValue?.self).map { try JSONFragment(bytes: $0.bytes) },
                    fit: try row.decode("fit", as: PostgresJSONValue?.self).map { try JSONFragment(bytes: $0.bytes) },
                    engine: try row.decode("engine"),
                    producer: try row.decode("producer"),
                    extractedAt: try row.decode("extracted_at")
                )
            }
            if let row = try connection.query(
                """
                SELECT c.name, c.normalized_name, c.domain, c.careers_host, c.profile, r.contacts, r.providers, r.cache_hit,
                       r.researched_at
                FROM job_research r JOIN companies c ON c.id = r.company_id WHERE r.job_id = $1
                """,
                [id]
            ).first {
                detail.research = .init(
                    company: try row.decode("name"),
                    normalizedName: try row.decode("normalized_name"),
                    domain: try row.decode("domain"),
                    careersHost: try row.decode("careers_host"),
                    profile: try row.decode("profile", as: PostgresJSONValue?.self).map { try JSONFragment(bytes: $0.bytes) },
                    contacts: try JSONFragment(bytes: try row.decode("contacts", as: PostgresJSONValue.self).bytes),
                    providers: try JSONFragment(bytes: try row.decode("providers", as: PostgresJSONValue.self).bytes),
                    cacheHit: try row.decode("cache_hit"),
                    researchedAt: try row.decode("researched_at")
                )
            }
            if let row = try connection.query(
                "SELECT markdown, matched_keywords, master_cv_version, integrity, ats, ready, generated_at FROM job_cvs WHERE job_id = $1", [id]
            ).first {
                detail.cv = .init(
                    markdown: try row.decode("markdown"),
                    matchedKeywords: try row.decode("matched_keywords"),
                    masterCVVersion: try row.decode("master_cv_version"),
                    integrity: try row.decode("integrity", as: PostgresJSONValue?.self).map { try JSONFragment(bytes: $0.bytes) },
                    ats: try row.decode("ats", as: PostgresJSONValue?.self).map { try JSONFragment(bytes: $0.bytes) },
                    ready: try row.decode("ready"),
                    generatedAt: try row.decode("generated_at")
                )
            }
            return detail
        }
    }
}
