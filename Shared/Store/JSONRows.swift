import Foundation

/// Writes rows as one JSON array for `jsonb_to_recordset`, so a whole batch is one parameter of one
/// statement instead of a round trip per row.
///
/// Hand-written rather than `JSONEncoder` so that a posting's raw payload (already JSON) is embedded
/// as it is, without being parsed and encoded again.
struct JSONRows {
    private(set) var bytes: [UInt8] = [UInt8(ascii: "[")]
    private var rowOpen = false
    private var firstField = true
    private var rowCount = 0

    mutating func beginRow() {
        if rowCount > 0 { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "{"))
        firstField = true
        rowCount += 1
    }

    mutating func endRow() { bytes.append(UInt8(ascii: "}")) }

    mutating func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "]"))
        return bytes
    }

    private mutating func key(_ name: String) {
        if !firstField { bytes.append(UInt8(ascii: ",")) }
        firstField = false
        appendString(name)
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func field(_ name: String, _ value: String?) {
        key(name)
        if let value { appendString(value) } else { appendNull() }
    }

    mutating func field(_ name: String, _ value: Int?) {
        key(name)
        if let value { bytes.append(contentsOf: String(value).utf8) } else { appendNull() }
    }

    mutating func field(_ name: String, _ value: Double?) {
        key(name)
        if let value, value.isFinite { bytes.append(contentsOf: String(value).utf8) } else { appendNull() }
    }

    mutating func field(_ name: String, _ value: Bool?) {
        key(name)
        if let value { bytes.append(contentsOf: (value ? "true" : "false").utf8) } else { appendNull() }
    }

    mutating func field(_ name: String, _ values: [String]) {
        key(name)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            appendString(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func field(_ name: String, _ values: [Int64]) {
        key(name)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: String(value).utf8)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Embeds bytes that already are one JSON value.
    mutating func field(_ name: String, json: [UInt8]) {
        key(name)
        if json.isEmpty {
            bytes.append(contentsOf: "{}".utf8)
        } else if let text = String(validating: json, as: UTF8.self), text.contains("\\u0000") {
            // jsonb refuses the NUL escape that a raw payload may carry.
            bytes.append(contentsOf: text.replacingOccurrences(of: "\\u0000", with: "").utf8)
        } else {
            bytes.append(contentsOf: json)
        }
    }

    private mutating func appendNull() { bytes.append(contentsOf: "null".utf8) }

    private mutating func appendString(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0:
                // PostgreSQL text cannot hold NUL; it carries no meaning in a posting.
                continue
            case ..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
