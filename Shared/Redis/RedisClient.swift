import ConnectionPool
import NIOPosix

/// A bounded pool of Redis connections whose commands run on the service's thread pool.
///
/// Use it for ordinary commands. A blocking read (`XREADGROUP … BLOCK`) holds its connection for the
/// whole wait: give it a dedicated `RedisConnection` instead of a pooled one.
public final class RedisClient: Sendable {
    public let configuration: RedisConfiguration
    private let pool: BlockingConnectionPool<RedisConnection>
    private let coalescer: CommandCoalescer

    public init(configuration: RedisConfiguration, maximumConnections: Int, threadPool: NIOThreadPool) {
        self.configuration = configuration
        let pool = BlockingConnectionPool<RedisConnection>(maximumConnections: maximumConnections, threadPool: threadPool) {
            try RedisConnection(configuration: configuration)
        }
        self.pool = pool
        self.coalescer = CommandCoalescer { commands in
            try await pool.withConnection { try $0.pipeline(commands) }
        }
    }

    /// Sends one command.
    ///
    /// A command that fails because the connection broke is sent once more on a fresh connection: a
    /// pooled connection may have been closed by the server while idle. This can repeat a command that
    /// did reach the server, which the at-least-once design tolerates everywhere it matters.
    @discardableResult
    public func send(_ arguments: any RedisArgument...) async throws -> RedisReply {
        let encoded = arguments.map(\.redisBytes)
        return try await withConnection { connection in
            do {
                return try connection.send(arguments: encoded)
            } catch let error as RedisError where error.kind == .connection {
                return try connection.send(arguments: encoded)
            }
        }
    }

    /// Sends one command in a round trip shared with the commands other tasks send this way at the
    /// same moment (see `CommandCoalescer`): for frequent small writes such as `XADD` and `XACK`.
    /// An error reply is thrown as `RedisError.server`.
    @discardableResult
    public func sendCoalesced(arguments: [[UInt8]]) async throws -> RedisReply {
        try await coalescer.submit(arguments)
    }

    /// Sends several commands in one round trip; replies (error replies included) come back in order.
    public func pipeline(_ commands: [[any RedisArgument]]) async throws -> [RedisReply] {
        let encoded = commands.map { $0.map(\.redisBytes) }
        return try await withConnection { try $0.pipeline(encoded) }
    }

    /// Runs `body` with a pooled connection on the thread pool.
    public func withConnection<Result: Sendable>(
        _ body: @escaping @Sendable (RedisConnection) throws -> Result
    ) async throws -> Result {
        try await pool.withConnection(body)
    }

    /// Connections open right now, idle or in use.
    public var openConnections: Int { pool.openConnections }

    public func shutDown() async { await pool.shutDown() }
}
