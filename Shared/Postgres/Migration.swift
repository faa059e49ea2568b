/// One versioned step of the database schema.
///
/// Migrations are applied in version order, each in its own transaction, and never edited once they
/// have shipped: a changed migration is detected by its checksum and refused.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// FNV-1a over the SQL text: enough to notice an edited migration, no cryptography needed.
    public var checksum: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in sql.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
