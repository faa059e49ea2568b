import Foundation
import Postgres

extension JobStore {
    /// What extraction needs of a job.
    public struct ExtractionInput: Sendable {
        public var title: String
        public var descriptionHTML: String
        public var contentHash: String
    }

    public func extractionInput(jobID: Int) async throws -> ExtractionInput? {
        guard let row = try await database.query(
            "SELECT title, coalesce(nullif(description_safe_html, ''), description_html) AS description_html, content_hash FROM jobs WHERE id = $1", [jobID]
        ).first else { return nil }
        return ExtractionInput(
            title: try row.decode("title"),
            descriptionHTML: try row.decode("description_html"),
            contentHash: try row.decode("content_hash")
        )
    }

    /// Stores (or replaces) a job's structured description.
    public func saveExtraction(jobID: Int, contentHash: String, cleanText: String, sections: PostgresJSON, engine: String) async throws {
        try await database.query(
            """
            INSERT INTO job_extractions (job_id, content_hash, clean_text, sections, engine)
            VALUES ($1, $2, $3, $4::jsonb, $5)
            ON CONFLICT (job_id) DO UPDATE SET content_hash = EXCLUDED.content_hash, clean_text = EXCLUDED.clean_text,
                sections = EXCLUDED.sections, engine = EXCLUDED.engine, extracted_at = now()
            """,
            [jobID, contentHash, cleanText, sections, engine]
        )
    }

    /// What research needs of a job.
    public struct ResearchInput: Sendable {
        public var company: String
        public var jobURL: String?
        public var applyURL: String?
    }

    public func researchInput(jobID: Int) async throws -> ResearchInput? {
        guard let row = try await database.query(
            "SELECT company, job_url, apply_url FROM jobs WHERE id = $1", [jobID]
        ).first else { return nil }
        return ResearchInput(company: try row.decode("company"), jobURL: try row.decode("job_url"), applyURL: try row.decode("apply_url"))
    }

    /// Records the job's company (shared by every job of that company) and links the job to it.
    public func saveResearch(jobID: Int, companyName: String, normalizedName: String, domain: String?, careersHost: String?) async throws {
        try await database.withTransaction { connection in
            let company = try connection.query(
                """
                INSERT INTO companies (normalized_name, name, domain, careers_host) VALUES ($1, $2, $3, $4)
                ON CONFLICT (normalized_name) DO UPDATE SET
                    domain = coalesce(EXCLUDED.domain, companies.domain),
                    careers_host = coalesce(EXCLUDED.careers_host, companies.careers_host),
                    updated_at = now()
                RETURNING id
                """,
                [normalizedName, companyName, domain, careersHost]
            )
            guard let companyID = try company.first?.decode("id", as: Int.self) else {
                throw PostgresError.decoding("upserting the company returned no id")
            }
            try connection.query(
                """
                INSERT INTO job_research (job_id, company_id) VALUES ($1, $2)
                ON CONFLICT (job_id) DO UPDATE SET company_id = EXCLUDED.company_id, researched_at = now()
                """,
                [jobID, companyID]
            )
        }
    }

    /// What the CV generator needs of a job: its title, company and clean description.
    public struct CVInput: Sendable {
        public var title: String
        public var company: String
        public var descriptionText: String
    }

    public func cvInput(jobID: Int) async throws -> CVInput? {
        guard let row = try await database.query(
            """
            SELECT j.title, j.company, coalesce(e.clean_text, nullif(j.description_clean, ''), j.description_text, '') AS text
            FROM jobs j LEFT JOIN job_extractions e ON e.job_id = j.id WHERE j.id = $1
            """,
            [jobID]
        ).first else { return nil }
        return CVInput(title: try row.decode("title"), company: try row.decode("company"), descriptionText: try row.decode("text"))
    }

    /// Stores (or replaces) a job's tailored CV.
    public func saveCV(jobID: Int, markdown: String, matchedKeywords: [String], masterCVVersion: String?) async throws {
        try await database.query(
            """
            INSERT INTO job_cvs (job_id, markdown, matched_keywords, master_cv_version) VALUES ($1, $2, $3::text[], $4)
            ON CONFLICT (job_id) DO UPDATE SET markdown = EXCLUDED.markdown, matched_keywords = EXCLUDED.matched_keywords,
                master_cv_version = EXCLUDED.master_cv_version, generated_at = now()
            """,
            [jobID, markdown, matchedKeywords, masterCVVersion]
        )
    }
}
