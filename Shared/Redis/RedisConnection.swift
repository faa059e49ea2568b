import CHiredis
import ConnectionPool
import Foundation

/// One connection to Redis through hiredis's blocking API.
///
/// Commands go out with `redisCommandArgv`, so every argument is binary-safe. After an I/O error or a
/// timeout hiredis leaves the context unusable (and a half-read reply would desynchronise the
/// protocol), so the connection drops it and reconnects on its next command.
///
/// Safety of `@unchecked Sendable`: the hiredis context is not thread-safe; a connection is only ever
/// used by the one borrower that checked it out of `BlockingConnectionPool` (or by the single reader
/// task that owns it), so no two threads touch it at once.
public final class RedisConnection: PoolableConnection, @unchecked Sendable {
    public let configuration: RedisConfiguration
    private var context: UnsafeMutablePointer<redisContext>?

    /// Connects at once, so a wrong address fails here rather than at the first command.
    public init(configuration: RedisConfiguration) throws {
        self.configuration = configuration
        try connect()
    }

    deinit { close() }

    public var isReusable: Bool { true }

    public var isConnected: Bool { context != nil }

    public func close() {
        if let context { redisFree(context) }
        context = nil
    }

    /// Sends one command and waits for its reply.
    ///
    /// - Throws: `RedisError.server` for an error reply, `.connection`/`.timeout` for I/O failures.
    @discardableResult
    public func send(_ arguments: any RedisArgument...) throws -> RedisReply {
        try send(arguments: arguments.map(\.redisBytes))
    }

    @discardableResult
    public func send(arguments: [[UInt8]]) throws -> RedisReply {
        let context = try connectedContext()
        let raw = withArgv(arguments) { argc, argv, lengths in
            redisCommandArgv(context, argc, argv, lengths)
        }
        guard let raw else { throw failure(of: context) }
        let reply = RedisReply(raw.assumingMemoryBound(to: redisReply.self))
        freeReplyObject(raw)
        if case .error(let message) = reply { throw RedisError.server(message) }
        return reply
    }

    /// Sends several commands in one round trip and returns their replies in order.
    ///
    /// Error replies are returned in place (one failing command does not hide the others' replies).
    public func pipeline(_ commands: [[[UInt8]]]) throws -> [RedisReply] {
        let context = try connectedContext()
        for command in commands {
            let status = withArgv(command) { argc, argv, lengths in
                redisAppendCommandArgv(context, argc, argv, lengths)
            }
            guard status == REDIS_OK else { throw failure(of: context) }
        }
        var replies: [RedisReply] = []
        replies.reserveCapacity(commands.count)
        for _ in commands {
            var raw: UnsafeMutableRawPointer?
            guard redisGetReply(context, &raw) == REDIS_OK, let raw else { throw failure(of: context) }
            replies.append(RedisReply(raw.assumingMemoryBound(to: redisReply.self)))
            freeReplyObject(raw)
        }
        return replies
    }

    /// Changes how long this connection waits for a reply (for connections that run blocking reads).
    public func setCommandTimeout(_ timeout: Duration) throws {
        let context = try connectedContext()
        guard redisSetTimeout(context, timeval(timeout)) == REDIS_OK else { throw failure(of: context) }
    }

    // MARK: - Connecting

    private func connectedContext() throws -> UnsafeMutablePointer<redisContext> {
        if let context { return context }
        try connect()
        return context!
    }

    private func connect() throws {
        guard let context = redisConnectWithTimeout(configuration.host, Int32(configuration.port), timeval(configuration.connectTimeout)) else {
            throw RedisError.connection("could not allocate a Redis context")
        }
        if context.pointee.err != 0 {
            let message = Self.errorString(context)
            redisFree(context)
            throw RedisError.connection("cannot connect to \(configuration.host):\(configuration.port): \(message)")
        }
        self.context = context
        redisSetTimeout(context, timeval(configuration.commandTimeout))
        do {
            if let password = configuration.password { try send("AUTH", password) }
            if configuration.database != 0 { try send("SELECT", configuration.database) }
        } catch {
            close()
            throw error
        }
    }

    /// Turns hiredis's error state into an error, and drops the broken context.
    private func failure(of context: UnsafeMutablePointer<redisContext>) -> RedisError {
        let code = context.pointee.err
        let message = Self.errorString(context)
        let systemError = errno
        close()
        if code == REDIS_ERR_IO && (systemError == EAGAIN || systemError == EWOULDBLOCK) {
            return .timeout("no reply from \(configuration.host):\(configuration.port) within the command timeout")
        }
        return .connection("connection to \(configuration.host):\(configuration.port) failed: \(message)")
    }

    private static func errorString(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { buffer in
            let bytes = buffer.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    private func timeval(_ duration: Duration) -> Glibc.timeval {
        let (seconds, attoseconds) = duration.components
        return Glibc.timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}

/// Lays out `arguments` as hiredis's `argc`/`argv`/`argvlen` for the duration of `body`.
private func withArgv<Result>(
    _ arguments: [[UInt8]],
    _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> Result
) -> Result {
    // One contiguous buffer for all arguments keeps this to a single allocation per command.
    var storage: [UInt8] = []
    storage.reserveCapacity(arguments.reduce(0) { $0 + $1.count })
    var offsets: [Int] = []
    offsets.reserveCapacity(arguments.count)
    for argument in arguments {
        offsets.append(storage.count)
        storage.append(contentsOf: argument)
    }
    let lengths = arguments.map(\.count)
    return storage.withUnsafeBufferPointer { buffer in
        let base = UnsafeRawPointer(buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!)
        var argv: [UnsafePointer<CChar>?] = offsets.map { base.advanced(by: $0).assumingMemoryBound(to: CChar.self) }
        return argv.withUnsafeMutableBufferPointer { argvBuffer in
            lengths.withUnsafeBufferPointer { lengthBuffer in
                body(Int32(arguments.count), argvBuffer.baseAddress!, lengthBuffer.baseAddress!)
            }
        }
    }
}

extension RedisReply {
    /// Copies a hiredis reply tree into Swift values (the C tree is freed right after).
    init(_ reply: UnsafeMutablePointer<redisReply>) {
        let node = reply.pointee
        switch node.type {
        case REDIS_REPLY_STRING:
            self = .bulk(Self.bytes(node.str, node.len))
        case REDIS_REPLY_STATUS:
            self = .status(String(decoding: Self.bytes(node.str, node.len), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            self = .error(String(decoding: Self.bytes(node.str, node.len), as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            self = .integer(node.integer)
        case REDIS_REPLY_ARRAY:
            var elements: [RedisReply] = []
            elements.reserveCapacity(node.elements)
            for index in 0..<node.elements {
                if let child = node.element[index] { elements.append(RedisReply(child)) } else { elements.append(.null) }
            }
            self = .array(elements)
        default:
            self = .null
        }
    }

    private static func bytes(_ pointer: UnsafeMutablePointer<CChar>?, _ count: Int) -> [UInt8] {
        guard let pointer, count > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}
