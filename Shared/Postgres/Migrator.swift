/// Applies pending migrations, safely from several replicas starting at once.
///
/// The first replica takes a session-level advisory lock and migrates; the others wait on the lock,
/// then find nothing left to do.
public struct Migrator: Sendable {
    /// The advisory-lock key every Jobsmith process agrees on.
    public static let lockKey: Int64 = 0x4A6F_6273_6D69_7468  // "Jobsmith"

    public let migrations: [Migration]

    public init(migrations: [Migration]) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Brings the database up to the newest migration.
    ///
    /// - Returns: the versions this call applied (empty when another replica already had).
    /// - Throws: `PostgresError.migration` when an applied migration's checksum differs from the
    ///   code's, or whatever the failing statement threw (its transaction is rolled back).
    @discardableResult
    public func migrate(on connection: PostgresConnection) throws -> [Int] {
        try connection.query("SELECT pg_advisory_lock($1)", [Self.lockKey])
        defer { _ = try? connection.query("SELECT pg_advisory_unlock($1)", [Self.lockKey]) }
        try connection.execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """
        )
        var applied: [Int: String] = [:]
        for row in try connection.query("SELECT version, checksum FROM schema_migrations") {
            applied[try row.decode("version")] = try row.decode("checksum", as: String.self)
        }
        var newlyApplied: [Int] = []
        for migration in migrations {
            if let checksum = applied[migration.version] {
                guard checksum == migration.checksum else {
                    throw PostgresError.migration(
                        "migration \(migration.version) (\(migration.name)) was changed after it was applied"
                    )
                }
                continue
            }
            try connection.transaction { connection in
                try connection.execute(migration.sql)
                try connection.query(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    [migration.version, migration.name, migration.checksum]
                )
            }
            newlyApplied.append(migration.version)
        }
        return newlyApplied
    }
}
