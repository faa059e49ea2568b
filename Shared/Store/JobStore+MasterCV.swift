import Foundation
import Postgres

/// One saved version of the master CV.
public struct MasterCVVersion: Codable, Sendable {
    public var version: Int
    /// How it was saved: `seed` (from the configured file), `api`, `json-resume`, `rollback`.
    public var source: String
    public var note: String?
    public var fingerprint: String
    public var createdAt: Date
    /// The master CV itself; left out of history listings.
    public var document: JSONFragment?

    enum CodingKeys: String, CodingKey {
        case version, source, note, fingerprint, document
        case createdAt = "created_at"
    }
}

extension JobStore {
    /// The newest master CV version, with its document.
    public func currentMasterCV() async throws -> MasterCVVersion? {
        try await database.query(
            "SELECT version, source, note, fingerprint, created_at, document FROM master_cvs ORDER BY version DESC LIMIT 1"
        ).first.map { try Self.masterCVVersion($0, withDocument: true) }
    }

    public func masterCV(version: Int) async throws -> MasterCVVersion? {
        try await database.query(
            "SELECT version, source, note, fingerprint, created_at, document FROM master_cvs WHERE version = $1", [version]
        ).first.map { try Self.masterCVVersion($0, withDocument: true) }
    }

    /// Saved versions, newest first, without their documents.
    public func masterCVHistory(limit: Int = 100) async throws -> [MasterCVVersion] {
        try await database.query(
            "SELECT version, source, note, fingerprint, created_at FROM master_cvs ORDER BY version DESC LIMIT $1", [limit]
        ).map { try Self.masterCVVersion($0, withDocument: false) }
    }

    /// Saves a new version unless it is identical to the current one; returns the current version.
    @discardableResult
    public func saveMasterCV(_ document: PostgresJSON, fingerprint: String, source: String, note: String? = nil) async throws -> Int {
        try await database.withTransaction { connection in
            // Serializes savers, so two identical saves at once make one version.
            try connection.query("LOCK TABLE master_cvs IN SHARE ROW EXCLUSIVE MODE")
            if let current = try connection.query("SELECT version, fingerprint FROM master_cvs ORDER BY version DESC LIMIT 1").first,
               try current.decode("fingerprint", as: String.self) == fingerprint {
                return try current.decode("version", as: Int.self)
            }
            let rows = try connection.query(
                "INSERT INTO master_cvs (document, fingerprint, source, note) VALUES ($1::jsonb, $2, $3, $4) RETURNING version",
                [document, fingerprint, source, note]
            )
            guard let version = try rows.first?.decode("version", as: Int.self) else {
                throw PostgresError.decoding("saving the master CV returned no version")
            }
            return version
        }
    }

    /// Saves the first version only when there is none yet (a service seeding from its file). Several
    /// services start at once and all try; the table lock lets exactly one of them in.
    public func seedMasterCV(_ document: PostgresJSON, fingerprint: String) async throws {
        try await database.withTransaction { connection in
            try connection.query("LOCK TABLE master_cvs IN SHARE ROW EXCLUSIVE MODE")
            try connection.query(
                """
                INSERT INTO master_cvs (document, fingerprint, source, note)
                SELECT $1::jsonb, $2, 'seed', 'from the configured master CV file'
                WHERE NOT EXISTS (SELECT 1 FROM master_cvs)
                """,
                [document, fingerprint]
            )
        }
    }

    /// Saves version `version` again as the newest; nil when there is no such version.
    public func rollbackMasterCV(to version: Int) async throws -> Int? {
        guard let old = try await database.query(
            "SELECT document::text AS document, fingerprint FROM master_cvs WHERE version = $1", [version]
        ).first else { return nil }
        let document = PostgresJSON(bytes: Array(try old.decode("document", as: String.self).utf8))
        return try await saveMasterCV(document, fingerprint: try old.decode("fingerprint"), source: "rollback", note: "rollback to version \(version)")
    }

    private static func masterCVVersion(_ row: PostgresRow, withDocument: Bool) throws -> MasterCVVersion {
        MasterCVVersion(
            version: try row.decode("version"),
            source: try row.decode("source"),
            note: try row.decode("note"),
            fingerprint: try row.decode("fingerprint"),
            createdAt: try row.decode("created_at"),
            document: withDocument ? try JSONFragment(bytes: try row.decode("document", as: PostgresJSONValue.self).bytes) : nil
        )
    }
}
