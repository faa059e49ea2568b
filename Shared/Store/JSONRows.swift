import Foundation

/// Writes rows as one JSON array for `json_to_recordset`, so a whole batch is one parameter of one
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
        } else if Self.containsNulEscape(json) {
            // PostgreSQL text cannot hold the NUL that this escape stands for.
            let text = String(decoding: json, as: UTF8.self)
            bytes.append(contentsOf: text.replacingOccurrences(of: "\\u0000", with: "").utf8)
        } else {
            bytes.append(contentsOf: json)
        }
    }

    /// Whether `\u0000` occurs, looked for byte by byte (payloads are large and almost never have it).
    private static func containsNulEscape(_ json: [UInt8]) -> Bool {
        let pattern = Array("\\u0000".utf8)
        var index = 0
        while index + pattern.count <= json.count {
            if json[index] == pattern[0], json[(index + 1)..<(index + pattern.count)].elementsEqual(pattern[1...]) {
                return true
            }
            index += 1
        }
        return false
    }

    private mutating func appendNull() { bytes.append(contentsOf: "null".utf8) }

    private mutating func appendString(_ string: String) {
        JSONText.appendQuoted(string, to: &bytes)
    }
}

/// JSON text written by hand where `JSONEncoder`/`JSONSerialization` are too slow for the volume.
public enum JSONText {
    /// Appends `string` as a quoted JSON string. NUL characters are dropped: PostgreSQL text cannot
    /// hold them, and they carry no meaning in a posting.
    public static func appendQuoted(_ string: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { buffer in
            // Copy runs of plain bytes at once; escape the few that need it.
            var start = 0
            for (index, byte) in buffer.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: buffer[start..<index])
                start = index + 1
                switch byte {
                case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                case 0: continue
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
            }
            bytes.append(contentsOf: buffer[start...])
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
