/// Why a PostgreSQL call failed.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// Connecting failed or the connection broke.
        case connection
        /// The server rejected a statement; `sqlState` says why.
        case server
        /// A value could not be read as the requested Swift type.
        case decoding
        /// A migration could not be applied or does not match what was applied before.
        case migration
    }

    public let kind: Kind
    public let message: String
    /// The five-character SQLSTATE of a server error (`23505` unique violation, `40P01` deadlock…).
    public let sqlState: String?
    /// The server's DETAIL line, when it sent one.
    public let detail: String?

    private init(_ kind: Kind, _ message: String, sqlState: String? = nil, detail: String? = nil) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
    }

    public static func connection(_ message: String) -> PostgresError { PostgresError(.connection, message) }
    public static func server(_ message: String, sqlState: String?, detail: String?) -> PostgresError {
        PostgresError(.server, message, sqlState: sqlState, detail: detail)
    }
    public static func decoding(_ message: String) -> PostgresError { PostgresError(.decoding, message) }
    public static func migration(_ message: String) -> PostgresError { PostgresError(.migration, message) }

    /// Whether this is a unique-constraint violation (SQLSTATE 23505).
    public var isUniqueViolation: Bool { sqlState == "23505" }

    public var description: String {
        var text = "PostgreSQL \(kind) error"
        if let sqlState { text += " [\(sqlState)]" }
        text += ": \(message)"
        if let detail { text += " (\(detail))" }
        return text
    }
}
