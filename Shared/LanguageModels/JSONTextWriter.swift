/// Writes JSON text: values (keys sorted) and, for schemas, objects whose members keep their order.
struct JSONTextWriter {
    private(set) var output = ""
    private let pretty: Bool
    private var level = 0

    init(pretty: Bool) {
        self.pretty = pretty
    }

    mutating func write(_ value: JSONValue) {
        switch value {
        case .null: output += "null"
        case .bool(let bool): output += bool ? "true" : "false"
        case .number(let number): output += Self.format(number)
        case .string(let string): writeString(string)
        case .array(let elements):
            writeArray(elements.count) { writer, index in writer.write(elements[index]) }
        case .object(let members):
            let keys = members.keys.sorted()
            writeObject(keys.count) { writer, index in
                writer.writeString(keys[index])
                writer.output += writer.pretty ? ": " : ":"
                writer.write(members[keys[index]] ?? .null)
            }
        }
    }

    /// An object with `count` members in the order `member` writes them (key, colon and value).
    mutating func writeObject(_ count: Int, member: (inout JSONTextWriter, Int) -> Void) {
        writeContainer(open: "{", close: "}", count: count, element: member)
    }

    mutating func writeArray(_ count: Int, element: (inout JSONTextWriter, Int) -> Void) {
        writeContainer(open: "[", close: "]", count: count, element: element)
    }

    /// A member's key and separator, inside ``writeObject(_:member:)``.
    mutating func writeKey(_ key: String) {
        writeString(key)
        output += pretty ? ": " : ":"
    }

    mutating func writeString(_ string: String) {
        output += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }

    private mutating func writeContainer(
        open: String,
        close: String,
        count: Int,
        element: (inout JSONTextWriter, Int) -> Void
    ) {
        output += open
        guard count > 0 else {
            output += close
            return
        }
        level += 1
        for index in 0..<count {
            if index > 0 { output += "," }
            newline()
            element(&self, index)
        }
        level -= 1
        newline()
        output += close
    }

    private mutating func newline() {
        guard pretty else { return }
        output += "\n" + String(repeating: "  ", count: level)
    }

    /// Whole numbers without a fraction (`3`, not `3.0`), as a model or a person would write them.
    static func format(_ number: Double) -> String {
        if JSONValue.isInteger(number), abs(number) < 9_007_199_254_740_992 {
            return String(Int64(number))
        }
        return "\(number)"
    }
}
