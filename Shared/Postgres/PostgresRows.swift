import Foundation

/// The rows a query returned, copied out of libpq's result so they outlive it.
public struct PostgresRows: Sendable, Sequence {
    public struct Column: Sendable, Equatable {
        public let name: String
        /// The column's type OID (`23` int4, `25` text, `1184` timestamptz, `3802` jsonb…).
        public let typeOID: UInt32
    }

    public let columns: [Column]
    public let rows: [PostgresRow]
    /// Rows changed by an INSERT/UPDATE/DELETE (`PQcmdTuples`), 0 for other statements.
    public let affectedRows: Int

    public var count: Int { rows.count }
    public var first: PostgresRow? { rows.first }
    public var isEmpty: Bool { rows.isEmpty }

    public func makeIterator() -> IndexingIterator<[PostgresRow]> { rows.makeIterator() }
}

/// One row; read its cells by column name with `decode`.
public struct PostgresRow: Sendable {
    let columnIndex: [String: Int]
    let columns: [PostgresRows.Column]
    let values: [String?]

    /// Decodes the named column as `type`. Ask for an optional to accept SQL NULL.
    ///
    /// - Throws: `PostgresError.decoding` when the column is missing, NULL for a non-optional type, or
    ///   its text does not parse as `type`.
    public func decode<Value: PostgresDecodable>(_ column: String, as type: Value.Type = Value.self) throws -> Value {
        guard let index = columnIndex[column] else {
            throw PostgresError.decoding("no column named '\(column)' in the result")
        }
        return try Value(postgresCell: PostgresCell(text: values[index], typeOID: columns[index].typeOID, column: column))
    }

    /// Whether the named column is SQL NULL (or missing).
    public func isNull(_ column: String) -> Bool {
        guard let index = columnIndex[column] else { return true }
        return values[index] == nil
    }
}

/// A cell as libpq returns it: text, or nil for SQL NULL.
public struct PostgresCell: Sendable {
    public let text: String?
    public let typeOID: UInt32
    public let column: String

    func required() throws -> String {
        guard let text else { throw PostgresError.decoding("column '\(column)' is NULL") }
        return text
    }

    func mismatch(_ type: Any.Type) -> PostgresError {
        .decoding("column '\(column)' (type OID \(typeOID)) cannot be read as \(type): '\(text?.prefix(40) ?? "NULL")'")
    }
}
