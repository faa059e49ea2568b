import Foundation

/// A Swift type that can be read from a cell in PostgreSQL's text format.
public protocol PostgresDecodable: Sendable {
    init(postgresCell cell: PostgresCell) throws
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public init(postgresCell cell: PostgresCell) throws {
        self = cell.text == nil ? .none : .some(try Wrapped(postgresCell: cell))
    }
}

extension String: PostgresDecodable {
    public init(postgresCell cell: PostgresCell) throws { self = try cell.required() }
}

extension Int: PostgresDecodable {
    public init(postgresCell cell: PostgresCell) throws {
        guard let value = Int(try cell.required()) else { throw cell.mismatch(Int.self) }
        self = value
    }
}

extension Int64: PostgresDecodable {
    public init(postgresCell cell: PostgresCell) throws {
        guard let value = Int64(try cell.required()) else { throw cell.mismatch(Int64.self) }
        self = value
    }
}

extension Double: PostgresDecodable {
    public init(postgresCell cell: PostgresCell) throws {
        guard let value = Double(try cell.required()) else { throw cell.mismatch(Double.self) }
        self = value
    }
}

extension Bool: PostgresDecodable {
    public init(postgresCell cell: PostgresCell) throws {
        switch try cell.required() {
        case "t", "true": self = true
        case "f", "false": self = false
        default: throw cell.mismatch(Bool.self)
        }
    }
}

extension UUID: PostgresDecodable {
    public init(postgresCell cell: PostgresCell) throws {
        guard let value = UUID(uuidString: try cell.required()) else { throw cell.mismatch(UUID.self) }
        self = value
    }
}

extension Date: PostgresDecodable {
    public init(postgresCell cell: PostgresCell) throws {
        guard let value = PostgresTimestamp.parse(try cell.required()) else { throw cell.mismatch(Date.self) }
        self = value
    }
}

/// A `json`/`jsonb` cell, kept as its bytes; decode it into a `Decodable` with `decode(_:)`.
public struct PostgresJSONValue: PostgresDecodable, Equatable, Sendable {
    public let bytes: [UInt8]

    public init(postgresCell cell: PostgresCell) throws {
        self.bytes = Array(try cell.required().utf8)
    }

    public func decode<Value: Decodable>(_ type: Value.Type, decoder: JSONDecoder = JSONDecoder()) throws -> Value {
        try decoder.decode(type, from: Data(bytes))
    }
}

extension Array: PostgresDecodable where Element: PostgresDecodable {
    /// Reads a one-dimensional array literal (`{a,"b c",NULL}`).
    public init(postgresCell cell: PostgresCell) throws {
        guard let elements = PostgresArrayLiteral.parse(try cell.required()) else { throw cell.mismatch([Element].self) }
        self = try elements.map { try Element(postgresCell: PostgresCell(text: $0, typeOID: 0, column: cell.column)) }
    }
}

/// Splits PostgreSQL's one-dimensional array text output into element texts (nil for NULL).
enum PostgresArrayLiteral {
    static func parse(_ text: String) -> [String?]? {
        var characters = Substring(text)
        guard characters.first == "{", characters.last == "}" else { return nil }
        characters = characters.dropFirst().dropLast()
        if characters.isEmpty { return [] }
        var elements: [String?] = []
        var current = ""
        var quoted = false
        var wasQuoted = false
        var escaping = false
        for character in characters {
            if escaping {
                current.append(character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else if character == "\"" {
                quoted.toggle()
                wasQuoted = true
            } else if character == ",", !quoted {
                elements.append(!wasQuoted && current == "NULL" ? nil : current)
                current = ""
                wasQuoted = false
            } else {
                current.append(character)
            }
        }
        elements.append(!wasQuoted && current == "NULL" ? nil : current)
        return elements
    }
}
