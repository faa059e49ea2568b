import Domain
import Foundation
import Postgres

extension JobStore {
    /// Creates a source or updates its kind, location and enabled flag.
    public func upsertSource(_ source: SourceRecord) async throws {
        try await database.query(
            """
            INSERT INTO sources (name, kind, location, enabled) VALUES ($1, $2, $3, $4)
            ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind, location = EXCLUDED.location,
                enabled = EXCLUDED.enabled, updated_at = now()
            """,
            [source.name, source.kind, source.location, source.enabled]
        )
    }

    public func source(named name: String) async throws -> SourceRecord? {
        guard let row = try await database.query(
            "SELECT name, kind, location, enabled FROM sources WHERE name = $1", [name]
        ).first else { return nil }
        return SourceRecord(
            name: try row.decode("name"),
            kind: try row.decode("kind"),
            location: try row.decode("location"),
            enabled: try row.decode("enabled")
        )
    }

    /// Records a run that was asked for and not started yet. Asking twice for the same run is harmless.
    public func queueRun(id: UUID, source: String, trigger: String) async throws {
        try await database.query(
            """
            INSERT INTO ingestion_runs (id, source, trigger, status) VALUES ($1, $2, $3, 'queued')
            ON CONFLICT (id) DO NOTHING
            """,
            [id, source, trigger]
        )
    }

    /// Marks a run as running (creating its row if the command came from elsewhere).
    public func startRun(id: UUID, source: String, trigger: String) async throws {
        try await database.query(
            """
            INSERT INTO ingestion_runs (id, source, trigger, status, started_at) VALUES ($1, $2, $3, 'running', now())
            ON CONFLICT (id) DO UPDATE SET status = 'running', started_at = coalesce(ingestion_runs.started_at, now())
            """,
            [id, source, trigger]
        )
    }

    /// Records how a run ended.
    public func finishRun(id: UUID, status: String, counts: RunCounts, rejections: [RejectedPosting], error: String?) async throws {
        try await database.query(
            """
            UPDATE ingestion_runs SET status = $2, finished_at = now(), fetched = $3, new = $4, updated = $5,
                unchanged = $6, rejected = $7, rejections = $8::jsonb, error = $9
            WHERE id = $1
            """,
            [
                id, status, counts.fetched, counts.new, counts.updated, counts.unchanged, counts.rejected,
                try PostgresJSON(rejections), error,
            ]
        )
    }
}
