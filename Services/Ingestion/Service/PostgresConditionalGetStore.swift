import Postgres
import Store

/// Keeps the ETag and Last-Modified of each board URL in PostgreSQL, so every replica (and every
/// restart) sends conditional GETs.
public struct PostgresConditionalGetStore: ConditionalGetStore {
    let database: PostgresClient

    public init(database: PostgresClient) {
        self.database = database
    }

    public func validators(for url: String) async throws -> Validators? {
        guard let row = try await database.query("SELECT etag, last_modified FROM http_validators WHERE url = $1", [url]).first else {
            return nil
        }
        return Validators(etag: try row.decode("etag"), lastModified: try row.decode("last_modified"))
    }

    public func save(_ validators: Validators, for url: String) async throws {
        try await database.query(
            """
            INSERT INTO http_validators (url, etag, last_modified) VALUES ($1, $2, $3)
            ON CONFLICT (url) DO UPDATE SET etag = EXCLUDED.etag, last_modified = EXCLUDED.last_modified, updated_at = now()
            """,
            [url, validators.etag, validators.lastModified]
        )
    }
}
