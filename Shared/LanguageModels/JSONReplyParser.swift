/// Finds the JSON in a model's reply, however it was wrapped.
///
/// Models asked for "JSON only" still answer with a code fence, a sentence before ("Here is the
/// JSON:") or after ("Hope this helps!"), or both. The parser tries, in order:
/// 1. the whole reply, trimmed, as one JSON document;
/// 2. the body of each fenced code block (```` ```json ````, ```` ``` ````), as one document;
/// 3. every `{` or `[` in the text, parsing one value from there and ignoring what follows.
/// The first candidate of an accepted kind wins. Because step 3 parses properly rather than
/// counting brackets, braces inside strings and nested objects are handled, and a stray
/// `{placeholder}` in the prose is passed over.
///
/// ```swift
/// let json = try JSONReplyParser.extract(from: "Sure! ```json\n{\"a\": 1}\n``` Anything else?")
/// json.value  // ["a": 1]
/// ```
public enum JSONReplyParser {
    /// The JSON kinds a caller will accept at the top level.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case object, array, string, number, boolean, null
    }

    /// Extracts the first JSON value of one of `kinds` from `reply`.
    ///
    /// - Parameter kinds: What the top level may be. Default: an object or an array, since a bare
    ///   `3` or `"yes"` inside prose is almost never the intended answer.
    /// - Throws: ``JSONExtractionError`` saying what was (not) found, for the repair prompt.
    public static func extract(
        from reply: String,
        accepting kinds: Set<Kind> = [.object, .array]
    ) throws(JSONExtractionError) -> ExtractedJSON {
        let trimmed = reply.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw JSONExtractionError(reason: "the reply is empty") }
        var firstProblem: String?

        if let value = try? JSONParser.parseDocument(Array(trimmed.utf8)) {
            if kinds.contains(kind(of: value)) { return ExtractedJSON(value: value, text: trimmed) }
            firstProblem = "the reply is a JSON \(kind(of: value).rawValue), expected \(describe(kinds))"
        }

        for block in fencedBlocks(in: trimmed) {
            let body = block.trimmingWhitespace()
            do {
                let value = try JSONParser.parseDocument(Array(body.utf8))
                if kinds.contains(kind(of: value)) { return ExtractedJSON(value: value, text: body) }
                firstProblem = firstProblem ?? "the code block holds a JSON \(kind(of: value).rawValue), expected \(describe(kinds))"
            } catch {
                // Fall through to scanning: the block may hold JSON plus a comment line.
                firstProblem = firstProblem ?? "the code block is not valid JSON: \(error)"
            }
        }

        let bytes = Array(trimmed.utf8)
        let openers: Set<UInt8> = kinds.contains(.array) ? [UInt8(ascii: "{"), UInt8(ascii: "[")] : [UInt8(ascii: "{")]
        // Each candidate may scan far before failing, so the total is bounded: a reply of thousands
        // of unmatched brackets costs a bounded amount of work, not quadratic time.
        var work = 0
        let workLimit = 64 * bytes.count + 65_536
        for start in bytes.indices where openers.contains(bytes[start]) && isPlausibleStart(bytes, at: start) {
            guard work <= workLimit else {
                throw JSONExtractionError(reason: firstProblem ?? "gave up: the reply holds too many unbalanced brackets")
            }
            do {
                let (value, end) = try JSONParser.parseValue(in: bytes, at: start)
                work += end - start
                guard kinds.contains(kind(of: value)) else { continue }
                return ExtractedJSON(value: value, text: String(decoding: bytes[start..<end], as: UTF8.self))
            } catch {
                work += error.offset - start + 1
                // Only a candidate that looked like JSON for a while is worth reporting.
                if firstProblem == nil, error.offset - start > 1 {
                    firstProblem = "JSON starting at offset \(start) is invalid: \(error.reason) at offset \(error.offset)"
                }
            }
        }
        throw JSONExtractionError(reason: firstProblem ?? "the reply contains no JSON \(describe(kinds))")
    }

    /// Whether the bracket at `start` could open JSON: `{` must be followed by a key or `}`, `[` by a
    /// value or `]`. Passes over `{name}` placeholders and `[1]` footnote marks cheaply.
    private static func isPlausibleStart(_ bytes: [UInt8], at start: Int) -> Bool {
        var index = start + 1
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
            index += 1
        }
        guard index < bytes.count else { return false }
        let next = bytes[index]
        if bytes[start] == UInt8(ascii: "{") {
            return next == UInt8(ascii: "\"") || next == UInt8(ascii: "}")
        }
        return next == UInt8(ascii: "]") || next == UInt8(ascii: "\"") || next == UInt8(ascii: "{") || next == UInt8(ascii: "[")
            || next == UInt8(ascii: "-") || next == UInt8(ascii: "t") || next == UInt8(ascii: "f") || next == UInt8(ascii: "n")
            || (next >= UInt8(ascii: "0") && next <= UInt8(ascii: "9"))
    }

    /// The bodies of Markdown code fences, in order; an unclosed fence runs to the end.
    static func fencedBlocks(in text: String) -> [Substring] {
        var blocks: [Substring] = []
        var rest = text[...]
        while let open = rest.firstRange(of: "```") {
            // The opening fence's line may name a language (```json); the body starts on the next line.
            let afterFence = rest[open.upperBound...]
            let bodyStart = afterFence.firstIndex(of: "\n").map { afterFence.index(after: $0) } ?? afterFence.endIndex
            let body = rest[bodyStart...]
            if let close = body.firstRange(of: "```") {
                blocks.append(body[..<close.lowerBound])
                rest = body[close.upperBound...]
            } else {
                blocks.append(body)
                break
            }
        }
        return blocks
    }

    static func kind(of value: JSONValue) -> Kind {
        switch value {
        case .object: .object
        case .array: .array
        case .string: .string
        case .number: .number
        case .bool: .boolean
        case .null: .null
        }
    }

    private static func describe(_ kinds: Set<Kind>) -> String {
        let names = Kind.allCases.filter(kinds.contains).map(\.rawValue)
        return names.count <= 1 ? (names.first ?? "value") : names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
    }
}

/// A JSON value found in a reply, with the exact text it was parsed from (to decode with `Codable`).
public struct ExtractedJSON: Sendable, Hashable {
    public var value: JSONValue
    public var text: String
}

/// Why no usable JSON was found in a reply.
public struct JSONExtractionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}

extension StringProtocol {
    /// Without leading and trailing whitespace and newlines (Foundation-free).
    func trimmingWhitespace() -> String {
        guard let start = firstIndex(where: { !$0.isWhitespace }), let end = lastIndex(where: { !$0.isWhitespace }) else {
            return ""
        }
        return String(self[start...end])
    }
}
