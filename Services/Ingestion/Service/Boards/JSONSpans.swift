import Foundation

/// Finds where each element of a payload's posting array lies in the payload's bytes, so a posting's
/// raw JSON can be kept exactly as the board sent it instead of being serialized again.
///
/// A structural scan only (strings, escapes, nesting), linear in the payload; it assumes the payload
/// is valid JSON, which the caller has already parsed.
enum JSONSpans {
    /// The byte ranges of the elements of the array under the top-level `key`, or of the top-level
    /// array when `key` is nil; nil when the payload does not have that shape.
    static func arrayElements(in data: Data, key: String?) -> [Range<Int>]? {
        data.withUnsafeBytes { buffer -> [Range<Int>]? in
            let bytes = buffer.bindMemory(to: UInt8.self)
            var scanner = Scanner(bytes: bytes)
            scanner.skipByteOrderMarkAndSpace()
            guard let key else { return scanner.elementsOfArray() }
            guard scanner.consume(UInt8(ascii: "{")) else { return nil }
            let wanted = Array(key.utf8)
            while true {
                scanner.skipSpace()
                guard let name = scanner.string() else { return nil }
                scanner.skipSpace()
                guard scanner.consume(UInt8(ascii: ":")) else { return nil }
                scanner.skipSpace()
                if bytes[name.lowerBound + 1..<name.upperBound - 1].elementsEqual(wanted) {
                    return scanner.elementsOfArray()
                }
                guard scanner.skipValue() else { return nil }
                scanner.skipSpace()
                guard scanner.consume(UInt8(ascii: ",")) else { return nil }
            }
        }
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        mutating func skipByteOrderMarkAndSpace() {
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
            skipSpace()
        }

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func consume(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// The range of a string token, quotes included.
        mutating func string() -> Range<Int>? {
            let start = index
            guard consume(UInt8(ascii: "\"")) else { return nil }
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\\"): index += 2
                case UInt8(ascii: "\""):
                    index += 1
                    return start..<index
                default: index += 1
                }
            }
            return nil
        }

        /// Skips one value of any kind.
        mutating func skipValue() -> Bool {
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                return string() != nil
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while index < bytes.count {
                    switch bytes[index] {
                    case UInt8(ascii: "\""):
                        guard string() != nil else { return false }
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 {
                            index += 1
                            return true
                        }
                    default: break
                    }
                    index += 1
                }
                return false
            default:
                // A number or a literal runs to the next delimiter.
                while index < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) {
                    index += 1
                }
                return true
            }
        }

        mutating func elementsOfArray() -> [Range<Int>]? {
            guard consume(UInt8(ascii: "[")) else { return nil }
            var spans: [Range<Int>] = []
            skipSpace()
            if consume(UInt8(ascii: "]")) { return spans }
            while true {
                skipSpace()
                let start = index
                guard skipValue() else { return nil }
                spans.append(start..<index)
                skipSpace()
                if consume(UInt8(ascii: "]")) { return spans }
                guard consume(UInt8(ascii: ",")) else { return nil }
            }
        }
    }
}
