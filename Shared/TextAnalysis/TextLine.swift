/// One line of clean description text, with the markup hints that header detection needs.
///
/// Both input paths (HTML and plain text / markdown) produce these, so section structuring has one
/// implementation and can still use what the markup said ("this was an `<h2>`", "this paragraph was
/// entirely bold") instead of guessing from the words alone.
struct TextLine: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case paragraph
        /// An HTML `<h1>`–`<h6>` or a markdown `#` heading.
        case heading(level: Int)
        /// A bullet; `text` already starts with `- ` or `1. `.
        case listItem
    }

    var text: String
    var kind: Kind
    /// Every letter and digit was bold or underlined (`<strong>`, `<b>`, `<u>`, `**…**`): the usual way
    /// job-board editors without heading buttons mark a header.
    var isEmphasized: Bool
    /// A blank line precedes this line (a new paragraph or block rather than a soft line break).
    var startsBlock: Bool
    /// How deeply a list item is nested (1 for a top-level bullet, 0 for other lines). Outlines pasted
    /// from documents put headers in a bullet whose children are the section's bullets.
    var listDepth: Int

    init(text: String, kind: Kind = .paragraph, isEmphasized: Bool = false, startsBlock: Bool = false, listDepth: Int = 0) {
        self.text = text
        self.kind = kind
        self.isEmphasized = isEmphasized
        self.startsBlock = startsBlock
        self.listDepth = kind == .listItem ? max(listDepth, 1) : 0
    }

    /// The bullet's text without its marker, or `nil` when this line is not a bullet.
    ///
    /// Numbered paragraphs count as bullets too: plain text has no `<ol>`, so "1. Ship features" is
    /// only recognisable by its number (callers exclude numbered *headers* first).
    var itemText: String? {
        let body: Substring
        switch kind {
        case .heading:
            return nil
        case .listItem where text.hasPrefix("- "):
            body = text.dropFirst(2)
        case .listItem, .paragraph:
            guard let end = Self.numberingEnd(in: Substring(text)) else { return nil }
            body = text[end...]
        }
        let trimmed = body.trimmingSpaces()
        return trimmed.isEmpty ? nil : String(trimmed)
    }

    // MARK: - Whole-document passes

    /// Applies the clean-ups that need a whole line: markdown `**Header**` loses its asterisks and
    /// counts as emphasis, hand-written bullets become `- ` items, and headers glued to their first
    /// sentence are split onto their own line.
    ///
    /// All three happen here rather than in a reader so HTML (where editors paste markdown too) and
    /// plain-text input give the same text.
    static func finished(_ lines: [TextLine]) -> [TextLine] {
        var result: [TextLine] = []
        result.reserveCapacity(lines.count)
        for var line in lines {
            if line.kind != .listItem, let inner = wholeLineEmphasis(Substring(line.text)) {
                line.text = inner
                line.isEmphasized = true
            }
            if line.kind == .paragraph, let rest = handWrittenBulletBody(line.text) {
                line.text = "- " + rest
                line.kind = .listItem
                line.listDepth = 1
            }
            if let (header, body) = HeaderDetector.splitGluedHeader(line) {
                result.append(header)
                result.append(body)
            } else {
                result.append(line)
            }
        }
        return result
    }

    /// Joins lines into the clean text, with a blank line before each block.
    ///
    /// - Returns: The text and each line's UTF-16 start offset, in line order.
    static func joined(_ lines: [TextLine]) -> (text: String, starts: [Int]) {
        var text = ""
        var starts: [Int] = []
        starts.reserveCapacity(lines.count)
        var offset = 0
        for (index, line) in lines.enumerated() {
            if index > 0 {
                let separator = line.startsBlock ? "\n\n" : "\n"
                text += separator
                offset += separator.utf16.count
            }
            starts.append(offset)
            text += line.text
            offset += line.text.utf16.count
        }
        return (text, starts)
    }

    // MARK: - Markers

    /// Where a leading "1. " / "12) " ends, or `nil` when the line is not numbered.
    static func numberingEnd(in text: Substring) -> Substring.Index? {
        var index = text.startIndex
        var digits = 0
        while index < text.endIndex, let ascii = text[index].asciiValue, (0x30...0x39).contains(ascii) {
            digits += 1
            index = text.index(after: index)
        }
        guard (1...3).contains(digits), index < text.endIndex, text[index] == "." || text[index] == ")" else { return nil }
        index = text.index(after: index)
        guard index < text.endIndex, text[index] == " " else { return nil }
        return text.index(after: index)
    }

    /// The text inside `**Header**`, `__Header__`, `**Header:**` or `**Header**:`; `nil` when the
    /// emphasis does not cover the whole line.
    static func wholeLineEmphasis(_ line: Substring) -> String? {
        guard line.hasPrefix("**") || line.hasPrefix("__") else { return nil }
        for marker in ["**", "__"] {
            var candidate = line
            var colon = ""
            if candidate.hasSuffix(marker + ":") {
                candidate.removeLast()
                colon = ":"
            }
            guard candidate.count > marker.count * 2, candidate.hasPrefix(marker), candidate.hasSuffix(marker) else { continue }
            let inner = candidate.dropFirst(marker.count).dropLast(marker.count)
            guard !inner.contains(marker), inner.first != " " else { continue }
            let trimmed = inner.trimmingSpaces()
            guard !trimmed.isEmpty else { continue }
            return trimmed + colon
        }
        return nil
    }

    /// The characters authors type as bullets when the editor has no list button, or that a
    /// plain-text export uses. An em dash is left out: it starts quotations and attributions.
    private static let bulletGlyphs: Set<Character> = [
        "-", "–", "*", "+", "•", "·", "▪", "▫", "◦", "●", "○", "‣", "⁃", "■", "□", "➢", "➤", "►", "▸", "▹", "→",
    ]

    /// The text after a hand-written bullet ("• Ship features", "* Ship features"), or `nil`.
    static func handWrittenBulletBody(_ text: String) -> Substring? {
        guard let first = text.first, bulletGlyphs.contains(first) else { return nil }
        let rest = text.dropFirst()
        guard rest.first == " " else { return nil }
        let body = rest.trimmingSpaces()
        return body.isEmpty ? nil : body
    }
}
