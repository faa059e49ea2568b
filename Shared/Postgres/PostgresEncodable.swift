import Foundation

/// A Swift value sent as a query parameter, in PostgreSQL's text format.
///
/// Parameters travel separately from the SQL text (`PQexecParams`), so no value is ever spliced into a
/// statement; the server infers each parameter's type from where it is used.
public protocol PostgresEncodable: Sendable {
    var postgresText: String { get }
}

extension String: PostgresEncodable {
    public var postgresText: String { self }
}

extension Int: PostgresEncodable {
    public var postgresText: String { String(self) }
}

extension Int64: PostgresEncodable {
    public var postgresText: String { String(self) }
}

extension Int32: PostgresEncodable {
    public var postgresText: String { String(self) }
}

extension Double: PostgresEncodable {
    public var postgresText: String { String(self) }
}

extension Bool: PostgresEncodable {
    public var postgresText: String { self ? "true" : "false" }
}

extension UUID: PostgresEncodable {
    public var postgresText: String { uuidString.lowercased() }
}

extension Date: PostgresEncodable {
    /// ISO 8601 in UTC with microseconds: what `timestamptz` stores.
    public var postgresText: String { PostgresTimestamp.format(self) }
}

extension Array: PostgresEncodable where Element: PostgresEncodable {
    /// An array literal: `{"a","b \"c\""}`. Every element is quoted, so commas and braces are safe.
    public var postgresText: String {
        let elements = map { element -> String in
            let escaped = element.postgresText
                .replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(escaped)\""
        }
        return "{" + elements.joined(separator: ",") + "}"
    }
}

/// A JSON document for a `json`/`jsonb` parameter.
public struct PostgresJSON: PostgresEncodable, Equatable {
    public let text: String

    /// Wraps already-encoded JSON bytes.
    public init(bytes: some Sequence<UInt8>) {
        self.text = String(decoding: Array(bytes), as: UTF8.self)
    }

    /// Encodes `value` with `encoder`.
    public init(_ value: some Encodable, encoder: JSONEncoder = JSONEncoder()) throws {
        self.init(bytes: try encoder.encode(value))
    }

    public var postgresText: String { text }
}
