import Foundation
import Postgres

/// One version of a job's document.
public struct JobDocument: Codable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case cv
        case coverLetter = "cover_letter"
        case outreach
    }

    public var id: Int
    public var jobID: Int
    public var kind: Kind
    /// `generated` or `user` (an edit made through the API).
    public var source: String
    public var markdown: String
    public var html: String?
    /// Reports and parts that belong to the document: integrity, ATS, messages per contact.
    public var details: JSONFragment
    public var ready: Bool
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, kind, source, markdown, html, details, ready
        case jobID = "job_id"
        case createdAt = "created_at"
    }
}

extension JobStore {
    /// A document version to store.
    public struct NewDocument: Sendable {
        public var kind: JobDocument.Kind
        public var source: String
        public var markdown: String
        public var html: String?
        public var details: PostgresJSON
        public var ready: Bool
        /// Identifies the content, so storing the same document twice keeps one version.
        public var fingerprint: String

        public init(kind: JobDocument.Kind, source: String, markdown: String, html: String?, details: PostgresJSON, ready: Bool, fingerprint: String) {
            self.kind = kind
            self.source = source
            self.markdown = markdown
            self.html = html
            self.details = details
            self.ready = ready
            self.fingerprint = fingerprint
        }
    }

    /// Stores the documents as new versions in one transaction, skipping any identical to the job's
    /// newest version of its kind (a redelivered message adds nothing). When a CV is among them it also
    /// becomes the job's current CV.
    public func saveDocuments(jobID: Int, _ documents: [NewDocument], cv: (matchedKeywords: [String], masterCVVersion: String?, integrity: PostgresJSON, ats: PostgresJSON?)?) async throws {
        try await database.withTransaction { connection in
            // Two deliveries of one job saving at once must not both see "no such version yet".
            try connection.query("SELECT 1 FROM jobs WHERE id = $1 FOR UPDATE", [jobID])
            for document in documents {
                let newest = try connection.query(
                    "SELECT fingerprint FROM job_documents WHERE job_id = $1 AND kind = $2 ORDER BY id DESC LIMIT 1",
                    [jobID, document.kind.rawValue]
                ).first
                if let newest, try newest.decode("fingerprint", as: String.self) == document.fingerprint { continue }
                try connection.query(
                    """
                    INSERT INTO job_documents (job_id, kind, source, markdown, html, details, ready, fingerprint)
                    VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)
                    """,
                    [jobID, document.kind.rawValue, document.source, document.markdown, document.html, document.details, document.ready, document.fingerprint]
                )
            }
            if let cv, let document = documents.first(where: { $0.kind == .cv }) {
                try connection.query(
                    """
                    INSERT INTO job_cvs (job_id, markdown, matched_keywords, master_cv_version, integrity, ats, ready)
                    VALUES ($1, $2, $3::text[], $4, $5::jsonb, $6::jsonb, $7)
                    ON CONFLICT (job_id) DO UPDATE SET markdown = EXCLUDED.markdown, matched_keywords = EXCLUDED.matched_keywords,
                        master_cv_version = EXCLUDED.master_cv_version, integrity = EXCLUDED.integrity, ats = EXCLUDED.ats,
                        ready = EXCLUDED.ready, generated_at = now()
                    """,
                    [jobID, document.markdown, cv.matchedKeywords, cv.masterCVVersion, cv.integrity, cv.ats, document.ready]
                )
            }
        }
    }

    /// Whether the newest stored version of each document's kind has the document's fingerprint, so
    /// saving them would add nothing.
    public func hasDocuments(jobID: Int, matching documents: [NewDocument]) async throws -> Bool {
        guard !documents.isEmpty else { return false }
        let newest = try await database.query(
            "SELECT DISTINCT ON (kind) kind, fingerprint FROM job_documents WHERE job_id = $1 ORDER BY kind, id DESC",
            [jobID]
        )
        var fingerprints: [String: String] = [:]
        for row in newest { fingerprints[try row.decode("kind", as: String.self)] = try row.decode("fingerprint", as: String.self) }
        return documents.allSatisfy { fingerprints[$0.kind.rawValue] == $0.fingerprint }
    }

    /// The newest version of each of `kinds` if every one was stored at or after `since`; nil when some
    /// kind has no such version. Tells a repeated delivery whose earlier attempt saved its documents
    /// from a new pass of the pipeline.
    public func documentsStored(jobID: Int, kinds: [String], since: Date) async throws -> [(kind: String, ready: Bool)]? {
        let rows = try await database.query(
            """
            SELECT DISTINCT ON (kind) kind, ready, extract(epoch FROM created_at)::float8 AS stored
            FROM job_documents WHERE job_id = $1 AND kind = ANY($2::text[]) ORDER BY kind, id DESC
            """,
            [jobID, kinds]
        )
        var newest: [(kind: String, ready: Bool)] = []
        for row in rows where try row.decode("stored", as: Double.self) >= since.timeIntervalSince1970 {
            newest.append((try row.decode("kind", as: String.self), try row.decode("ready", as: Bool.self)))
        }
        return newest.count == Set(kinds).count ? newest : nil
    }

    /// A job's document versions, newest first, optionally of one kind.
    public func documents(jobID: Int, kind: JobDocument.Kind? = nil, limit: Int = 50) async throws -> [JobDocument] {
        try await database.query(
            """
            SELECT id, job_id, kind, source, markdown, html, details, ready, created_at FROM job_documents
            WHERE job_id = $1 AND ($2::text IS NULL OR kind = $2) ORDER BY id DESC LIMIT $3
            """,
            [jobID, kind?.rawValue, limit]
        ).map { row in
            JobDocument(
                id: try row.decode("id"),
                jobID: try row.decode("job_id"),
                kind: JobDocument.Kind(rawValue: try row.decode("kind")) ?? .cv,
                source: try row.decode("source"),
                markdown: try row.decode("markdown"),
                html: try row.decode("html"),
                details: try JSONFragment(bytes: try row.decode("details", as: PostgresJSONValue.self).bytes),
                ready: try row.decode("ready"),
                createdAt: try row.decode("created_at")
            )
        }
    }

    /// What the letters need besides the CV input: the company's profile and the job's contacts (JSON).
    public struct LetterInput: Sendable {
        public var profile: PostgresJSONValue?
        public var contacts: PostgresJSONValue?
    }

    public func letterInput(jobID: Int) async throws -> LetterInput {
        let row = try await database.query(
            "SELECT c.profile, r.contacts FROM job_research r JOIN companies c ON c.id = r.company_id WHERE r.job_id = $1", [jobID]
        ).first
        return LetterInput(profile: try row?.decode("profile"), contacts: try row?.decode("contacts"))
    }
}
