import ConnectionPool
import NIOPosix

/// A bounded pool of PostgreSQL connections whose statements run on the service's thread pool.
///
/// ```swift
/// let jobs = try await database.query("SELECT id FROM jobs WHERE source = $1", ["ashby"])
/// try await database.withTransaction { connection in
///     try connection.query("UPDATE jobs SET notes = $2 WHERE id = $1", [id, notes])
/// }
/// ```
public final class PostgresClient: Sendable {
    public let configuration: PostgresConfiguration
    private let pool: BlockingConnectionPool<PostgresConnection>

    public init(configuration: PostgresConfiguration, maximumConnections: Int, threadPool: NIOThreadPool) {
        self.configuration = configuration
        self.pool = BlockingConnectionPool(maximumConnections: maximumConnections, threadPool: threadPool) {
            try PostgresConnection(configuration: configuration)
        }
    }

    /// Runs one statement on a pooled connection.
    @discardableResult
    public func query(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) async throws -> PostgresRows {
        try await withConnection { try $0.query(sql, parameters) }
    }

    /// Runs `body` inside a transaction on one pooled connection (on the thread pool).
    public func withTransaction<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) throws -> Result
    ) async throws -> Result {
        try await withConnection { connection in try connection.transaction(body) }
    }

    /// Runs `body` with a pooled connection on the thread pool.
    public func withConnection<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) throws -> Result
    ) async throws -> Result {
        try await pool.withConnection(body)
    }

    public var openConnections: Int { pool.openConnections }

    public func shutDown() async { await pool.shutDown() }
}
