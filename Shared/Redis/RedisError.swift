/// Why a Redis call failed.
public struct RedisError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The server could not be reached or the connection broke; the connection reconnects on its next use.
        case connection
        /// No reply within the command timeout.
        case timeout
        /// The server answered with an error reply (`-ERR`, `-BUSYGROUP`, `-WRONGTYPE`…).
        case server
        /// A reply that does not have the shape the caller expected.
        case unexpectedReply
        /// A bad `REDIS_URL` or option.
        case configuration
    }

    public let kind: Kind
    public let message: String

    private init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public static func connection(_ message: String) -> RedisError { RedisError(.connection, message) }
    public static func timeout(_ message: String) -> RedisError { RedisError(.timeout, message) }
    public static func server(_ message: String) -> RedisError { RedisError(.server, message) }
    public static func unexpectedReply(_ message: String) -> RedisError { RedisError(.unexpectedReply, message) }
    public static func configuration(_ message: String) -> RedisError { RedisError(.configuration, message) }

    /// The error code of a server error: `BUSYGROUP` for `-BUSYGROUP Consumer Group name already exists`.
    public var serverCode: String? {
        guard kind == .server else { return nil }
        return message.split(separator: " ", maxSplits: 1).first.map(String.init)
    }

    public var description: String { "Redis \(kind): \(message)" }
}
