import Domain
import Foundation
import Postgres

extension JobStore {
    static let sourceColumns = """
        name, kind, location, enabled, schedule_interval_seconds, title_keywords, description_keywords, locations,
        remote_only, max_results, score_threshold, incremental, next_run_at, last_success_started_at
        """

    static func decodeSource(_ row: PostgresRow) throws -> SourceRecord {
        let kindText = try row.decode("kind", as: String.self)
        guard let kind = SourceKind(rawValue: kindText) else {
            throw PostgresError.decoding("source kind '\(kindText)' is unknown")
        }
        return SourceRecord(
            name: try row.decode("name"),
            kind: kind,
            location: try row.decode("location"),
            enabled: try row.decode("enabled"),
            scheduleIntervalSeconds: try row.decode("schedule_interval_seconds"),
            titleKeywords: try row.decode("title_keywords"),
            descriptionKeywords: try row.decode("description_keywords"),
            locations: try row.decode("locations"),
            remoteOnly: try row.decode("remote_only"),
            maxResults: try row.decode("max_results"),
            scoreThreshold: try row.decode("score_threshold"),
            incremental: try row.decode("incremental"),
            nextRunAt: try row.decode("next_run_at"),
            lastSuccessStartedAt: try row.decode("last_success_started_at")
        )
    }

    private static func configuration(of source: SourceRecord) -> [(any PostgresEncodable)?] {
        [
            source.name, source.kind.rawValue, source.location, source.enabled, source.scheduleIntervalSeconds,
            source.titleKeywords, source.descriptionKeywords, source.locations, source.remoteOnly, source.maxResults,
            source.scoreThreshold, source.incremental,
        ]
    }

    // MARK: - Sources

    public func sources() async throws -> [SourceRecord] {
        try await database.query("SELECT \(Self.sourceColumns) FROM sources ORDER BY name").map(Self.decodeSource)
    }

    public func source(named name: String) async throws -> SourceRecord? {
        try await database.query("SELECT \(Self.sourceColumns) FROM sources WHERE name = $1", [name]).first.map(Self.decodeSource)
    }

    /// Creates a source; returns false when one with that name exists.
    public func createSource(_ source: SourceRecord) async throws -> Bool {
        let rows = try await database.query(
            """
            INSERT INTO sources (name, kind, location, enabled, schedule_interval_seconds, title_keywords,
                                 description_keywords, locations, remote_only, max_results, score_threshold, incremental,
                                 next_run_at)
            VALUES ($1, $2, $3, $4, $5, $6::text[], $7::text[], $8::text[], $9, $10, $11, $12,
                    CASE WHEN $5::integer IS NULL THEN NULL ELSE now() END)
            ON CONFLICT (name) DO NOTHING
            """,
            Self.configuration(of: source)
        )
        return rows.affectedRows == 1
    }

    /// Replaces a source's configuration; returns false when there is no such source. A changed
    /// schedule takes effect from now.
    public func updateSource(_ source: SourceRecord) async throws -> Bool {
        let rows = try await database.query(
            """
            UPDATE sources SET kind = $2, location = $3, enabled = $4, schedule_interval_seconds = $5,
                title_keywords = $6::text[], description_keywords = $7::text[], locations = $8::text[], remote_only = $9,
                max_results = $10, score_threshold = $11, incremental = $12, updated_at = now(),
                next_run_at = CASE
                    WHEN $5::integer IS NULL THEN NULL
                    WHEN schedule_interval_seconds IS DISTINCT FROM $5::integer THEN now()
                    ELSE next_run_at END
            WHERE name = $1
            """,
            Self.configuration(of: source)
        )
        return rows.affectedRows == 1
    }

    /// Creates or replaces a source (seeding from a file at start-up).
    public func upsertSource(_ source: SourceRecord) async throws {
        if try await !updateSource(source) { _ = try await createSource(source) }
    }

    /// Deletes a source and its run history; its jobs stay. Returns false when there is no such source.
    public func deleteSource(named name: String) async throws -> Bool {
        try await database.query("DELETE FROM sources WHERE name = $1", [name]).affectedRows == 1
    }

    /// Claims the sources whose scheduled run is due, moving each one's next run forward by its
    /// interval plus up to 10% jitter. The row update makes the claim atomic: with several ingestion
    /// replicas, each due source is claimed by exactly one of them.
    public func claimDueSources() async throws -> [String] {
        try await database.query(
            """
            UPDATE sources SET next_run_at = now() + make_interval(secs => schedule_interval_seconds * (1 + random() * 0.1))
            WHERE enabled AND schedule_interval_seconds IS NOT NULL AND next_run_at <= now()
            RETURNING name
            """
        ).map { try $0.decode("name") }
    }

    // MARK: - Runs

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

    /// Takes the source's run lease for `runID`, so that at most one run per source is in progress
    /// across all ingestion replicas. A lease left by a crashed replica expires after `lease`.
    ///
    /// - Returns: false when another run holds the lease.
    public func acquireRunLease(source: String, runID: UUID, lease: Duration) async throws -> Bool {
        try await database.query(
            """
            UPDATE sources SET running_run_id = $2, running_until = now() + make_interval(secs => $3)
            WHERE name = $1 AND (running_run_id IS NULL OR running_run_id = $2 OR running_until < now())
            """,
            [source, runID, Double(lease.components.seconds)]
        ).affectedRows == 1
    }

    public func releaseRunLease(source: String, runID: UUID) async throws {
        try await database.query(
            "UPDATE sources SET running_run_id = NULL, running_until = NULL WHERE name = $1 AND running_run_id = $2",
            [source, runID]
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

    /// Records how a run ended; a run that got anything in remembers its start for incremental mode.
    public func finishRun(id: UUID, status: String, counts: RunCounts, rejections: [RejectedPosting], errors: [String]) async throws {
        try await database.withTransaction { connection in
            let rows = try connection.query(
                """
                UPDATE ingestion_runs SET status = $2, finished_at = now(), fetched = $3, new = $4, updated = $5,
                    duplicates = $6, filtered_out = $7, below_threshold = $8, rejected = $9, rejections = $10::jsonb,
                    errors = $11::jsonb
                WHERE id = $1
                RETURNING source, started_at
                """,
                [
                    id, status, counts.fetched, counts.new, counts.updated, counts.duplicates, counts.filteredOut,
                    counts.belowThreshold, counts.rejected, try PostgresJSON(rejections), try PostgresJSON(errors),
                ]
            )
            if status == "succeeded" || status == "partial", let row = rows.first {
                try connection.query(
                    "UPDATE sources SET last_success_started_at = $2 WHERE name = $1",
                    [try row.decode("source", as: String.self), try row.decode("started_at", as: Date?.self)]
                )
            }
        }
    }

    /// The last `limit` runs of a source, newest first.
    public func runs(ofSource source: String, limit: Int = 50) async throws -> [RunRecord] {
        try await database.query(
            """
            SELECT id, source, trigger, status, queued_at, started_at, finished_at,
                   (extract(epoch FROM finished_at - started_at) * 1000)::bigint AS duration_ms,
                   fetched, new, updated, duplicates, filtered_out, below_threshold, rejected, rejections, errors
            FROM ingestion_runs WHERE source = $1 ORDER BY queued_at DESC, id LIMIT $2
            """,
            [source, limit]
        ).map { row in
            var counts = RunCounts()
            counts.fetched = try row.decode("fetched")
            counts.new = try row.decode("new")
            counts.updated = try row.decode("updated")
            counts.duplicates = try row.decode("duplicates")
            counts.filteredOut = try row.decode("filtered_out")
            counts.belowThreshold = try row.decode("below_threshold")
            counts.rejected = try row.decode("rejected")
            return RunRecord(
                id: try row.decode("id"),
                source: try row.decode("source"),
                trigger: try row.decode("trigger"),
                status: try row.decode("status"),
                queuedAt: try row.decode("queued_at"),
                startedAt: try row.decode("started_at"),
                finishedAt: try row.decode("finished_at"),
                durationMilliseconds: try row.decode("duration_ms"),
                counts: counts,
                rejections: try row.decode("rejections", as: PostgresJSONValue.self).decode([RejectedPosting].self),
                errors: try row.decode("errors", as: PostgresJSONValue.self).decode([String].self)
            )
        }
    }
}
