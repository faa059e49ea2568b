import Domain
import Foundation
import Postgres

extension JobStore {
    /// What extraction needs of a job, and what it stored last time (to skip work already done).
    public struct ExtractionInput: Sendable {
        public var title: String
        public var company: String
        public var locations: [String]
        public var workplaceType: String?
        public var isRemote: Bool?
        public var department: String?
        public var salary: Salary?
        public var descriptionHTML: String
        public var contentHash: String
        public var previous: PreviousExtraction?
    }

    /// The identity of a stored extraction: the content, engine and master CV it was computed from.
    public struct PreviousExtraction: Sendable, Equatable {
        public var contentHash: String
        public var engine: String
        public var masterCVHash: String?
        public var hasAnalysis: Bool
    }

    public func extractionInput(jobID: Int) async throws -> ExtractionInput? {
        guard let row = try await database.query(
            """
            SELECT j.title, j.company, j.locations, j.workplace_type, j.is_remote, j.department,
                   j.salary_min, j.salary_max, j.salary_currency, j.salary_interval,
                   coalesce(nullif(j.description_safe_html, ''), j.description_html) AS description_html, j.content_hash,
                   e.content_hash AS previous_hash, e.engine AS previous_engine, e.master_cv_hash,
                   e.analysis IS NOT NULL AS has_analysis
            FROM jobs j LEFT JOIN job_extractions e ON e.job_id = j.id
            WHERE j.id = $1
            """,
            [jobID]
        ).first else { return nil }
        let minimum: Double? = try row.decode("salary_min")
        let maximum: Double? = try row.decode("salary_max")
        let interval: String? = try row.decode("salary_interval")
        let salary = minimum == nil && maximum == nil ? nil : Salary(
            minimum: minimum,
            maximum: maximum,
            currency: try row.decode("salary_currency"),
            interval: interval.flatMap(Salary.Interval.init(rawValue:))
        )
        let previousHash: String? = try row.decode("previous_hash")
        return ExtractionInput(
            title: try row.decode("title"),
            company: try row.decode("company"),
            locations: try row.decode("locations"),
            workplaceType: try row.decode("workplace_type"),
            isRemote: try row.decode("is_remote"),
            department: try row.decode("department"),
            salary: salary,
            descriptionHTML: try row.decode("description_html"),
            contentHash: try row.decode("content_hash"),
            previous: try previousHash.map { hash in
                PreviousExtraction(
                    contentHash: hash,
                    engine: try row.decode("previous_engine"),
                    masterCVHash: try row.decode("master_cv_hash"),
                    hasAnalysis: try row.decode("has_analysis")
                )
            }
        )
    }

    /// A job's extraction as one unit: the structure, and for a full extraction the analysis and fit.
    public struct ExtractionResult: Sendable {
        public var contentHash: String
        public var cleanText: String
        public var sections: PostgresJSON
        public var engine: String
        /// `nil` when only the structure was computed (`structure-jd`).
        public var analysis: PostgresJSON?
        public var fit: PostgresJSON?
        public var fitScore: Int?
        public var fitCategory: String?
        public var masterCVHash: String?
        /// `deterministic` or the LLM provider whose answer was used.
        public var producer: String
        /// What was tried before the result was produced (providers skipped or failed).
        public var attempts: PostgresJSON

        public init(
            contentHash: String,
            cleanText: String,
            sections: PostgresJSON,
            engine: String,
            analysis: PostgresJSON? = nil,
            fit: PostgresJSON? = nil,
            fitScore: Int? = nil,
            fitCategory: String? = nil,
            masterCVHash: String? = nil,
            producer: String = "deterministic",
            attempts: PostgresJSON
        ) {
            self.contentHash = contentHash
            self.cleanText = cleanText
            self.sections = sections
            self.engine = engine
            self.analysis = analysis
            self.fit = fit
            self.fitScore = fitScore
            self.fitCategory = fitCategory
            self.masterCVHash = masterCVHash
            self.producer = producer
            self.attempts = attempts
        }
    }

    /// Stores (or replaces) a job's extraction and its fit score in one transaction. A structure-only
    /// result keeps an earlier analysis of the same content and drops one of older content.
    public func saveExtraction(jobID: Int, _ result: ExtractionResult) async throws {
        try await database.withTransaction { connection in
            try connection.query(
                """
                INSERT INTO job_extractions (job_id, content_hash, clean_text, sections, engine, analysis, fit,
                                             master_cv_hash, producer, attempts)
                VALUES ($1, $2, $3, $4::jsonb, $5, $6::jsonb, $7::jsonb, $8, $9, $10::jsonb)
                ON CONFLICT (job_id) DO UPDATE SET
                    clean_text = EXCLUDED.clean_text,
                    sections = EXCLUDED.sections,
                    engine = EXCLUDED.engine,
                    analysis = CASE WHEN EXCLUDED.analysis IS NOT NULL THEN EXCLUDED.analysis
                                    WHEN job_extractions.content_hash = EXCLUDED.content_hash THEN job_extractions.analysis END,
                    fit = CASE WHEN EXCLUDED.analysis IS NOT NULL THEN EXCLUDED.fit
                               WHEN job_extractions.content_hash = EXCLUDED.content_hash THEN job_extractions.fit END,
                    master_cv_hash = CASE WHEN EXCLUDED.analysis IS NOT NULL THEN EXCLUDED.master_cv_hash
                                          WHEN job_extractions.content_hash = EXCLUDED.content_hash THEN job_extractions.master_cv_hash END,
                    producer = EXCLUDED.producer,
                    attempts = EXCLUDED.attempts,
                    content_hash = EXCLUDED.content_hash,
                    extracted_at = now()
                """,
                [jobID, result.contentHash, result.cleanText, result.sections, result.engine, result.analysis, result.fit,
                 result.masterCVHash, result.producer, result.attempts]
            )
            if let score = result.fitScore {
                try connection.query(
                    "UPDATE jobs SET fit_score = $2, tier = $3, fit_category = $4 WHERE id = $1",
                    [jobID, score, FitTier.tier(for: score), result.fitCategory]
                )
            }
        }
    }

    /// What research needs of a job: the posting, its extraction, and what research stored before.
    public struct ResearchInput: Sendable {
        public var company: String
        public var title: String
        public var department: String?
        public var jobURL: String?
        public var applyURL: String?
        /// The clean description, from extraction when it ran.
        public var descriptionText: String
        /// The extraction's sections (JSON), to find the about-the-company text.
        public var sections: PostgresJSONValue?
        /// How many contacts an earlier run stored for this job (`nil`: never researched).
        public var storedContacts: Int?
    }

    public func researchInput(jobID: Int) async throws -> ResearchInput? {
        guard let row = try await database.query(
            """
            SELECT j.company, j.title, j.department, j.job_url, j.apply_url,
                   coalesce(e.clean_text, nullif(j.description_clean, ''), j.description_text, '') AS text, e.sections,
                   jsonb_array_length(r.contacts) AS contacts
            FROM jobs j
            LEFT JOIN job_extractions e ON e.job_id = j.id
            LEFT JOIN job_research r ON r.job_id = j.id
            WHERE j.id = $1
            """,
            [jobID]
        ).first else { return nil }
        return ResearchInput(
            company: try row.decode("company"),
            title: try row.decode("title"),
            department: try row.decode("department"),
            jobURL: try row.decode("job_url"),
            applyURL: try row.decode("apply_url"),
            descriptionText: try row.decode("text"),
            sections: try row.decode("sections"),
            storedContacts: try row.decode("contacts")
        )
    }

    /// A company's cached profile (JSON) and when it was researched, if it ever was.
    public struct CachedCompany: Sendable {
        public var profile: PostgresJSONValue
        public var researchedAt: Date
    }

    public func cachedCompany(normalizedName: String) async throws -> CachedCompany? {
        guard let row = try await database.query(
            "SELECT profile, researched_at FROM companies WHERE normalized_name = $1 AND profile IS NOT NULL AND researched_at IS NOT NULL",
            [normalizedName]
        ).first else { return nil }
        return CachedCompany(profile: try row.decode("profile"), researchedAt: try row.decode("researched_at"))
    }

    /// The company side of a research result.
    public struct CompanyResearch: Sendable {
        public var name: String
        public var normalizedName: String
        public var domain: String?
        public var careersHost: String?
        /// A freshly built profile to cache, or nil when the cached one was used.
        public var refreshedProfile: PostgresJSON?

        public init(name: String, normalizedName: String, domain: String?, careersHost: String?, refreshedProfile: PostgresJSON?) {
            self.name = name
            self.normalizedName = normalizedName
            self.domain = domain
            self.careersHost = careersHost
            self.refreshedProfile = refreshedProfile
        }
    }

    /// Stores a research result in one transaction: the company (and its profile when refreshed) and
    /// the job's link to it with its contacts and the providers' report.
    public func saveResearch(jobID: Int, company: CompanyResearch, contacts: PostgresJSON, providers: PostgresJSON, cacheHit: Bool) async throws {
        try await database.withTransaction { connection in
            let rows = try connection.query(
                """
                INSERT INTO companies (normalized_name, name, domain, careers_host, profile, researched_at)
                VALUES ($1, $2, $3, $4, $5::jsonb, CASE WHEN $5::jsonb IS NULL THEN NULL ELSE now() END)
                ON CONFLICT (normalized_name) DO UPDATE SET
                    domain = coalesce(EXCLUDED.domain, companies.domain),
                    careers_host = coalesce(EXCLUDED.careers_host, companies.careers_host),
                    profile = coalesce(EXCLUDED.profile, companies.profile),
                    researched_at = coalesce(EXCLUDED.researched_at, companies.researched_at),
                    updated_at = now()
                RETURNING id
                """,
                [company.normalizedName, company.name, company.domain, company.careersHost, company.refreshedProfile]
            )
            guard let companyID = try rows.first?.decode("id", as: Int.self) else {
                throw PostgresError.decoding("upserting the company returned no id")
            }
            try connection.query(
                """
                INSERT INTO job_research (job_id, company_id, contacts, providers, cache_hit) VALUES ($1, $2, $3::jsonb, $4::jsonb, $5)
                ON CONFLICT (job_id) DO UPDATE SET company_id = EXCLUDED.company_id, contacts = EXCLUDED.contacts,
                    providers = EXCLUDED.providers, cache_hit = EXCLUDED.cache_hit, researched_at = now()
                """,
                [jobID, companyID, contacts, providers, cacheHit]
            )
        }
    }

    /// What the CV generator needs of a job: its title, company, clean description and analysis.
    public struct CVInput: Sendable {
        public var title: String
        public var company: String
        public var descriptionText: String
        /// The extracted JD (JSON), for the ATS report; absent when extraction stored none.
        public var analysis: PostgresJSONValue?
    }

    public func cvInput(jobID: Int) async throws -> CVInput? {
        guard let row = try await database.query(
            """
            SELECT j.title, j.company, coalesce(e.clean_text, nullif(j.description_clean, ''), j.description_text, '') AS text,
                   e.analysis
            FROM jobs j LEFT JOIN job_extractions e ON e.job_id = j.id WHERE j.id = $1
            """,
            [jobID]
        ).first else { return nil }
        return CVInput(
            title: try row.decode("title"),
            company: try row.decode("company"),
            descriptionText: try row.decode("text"),
            analysis: try row.decode("analysis")
        )
    }
}
