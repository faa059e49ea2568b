/// Reads plain-text or markdown descriptions into ``TextLine``s.
///
/// Boards' plain fields (Ashby `descriptionPlain`, Lever `descriptionPlain`, RSS summaries, LLM output)
/// carry their structure as text: `## Header`, `**Header**`, `- bullet`, `• bullet`, indentation and
/// blank lines. Turning those into the same hints the HTML renderer produces lets one structurer
/// handle both, and keeps the clean text free of markdown syntax that would otherwise show up in
/// offsets and highlights.
///
/// Entities are not decoded here: in plain text `&amp;` is literal, and decoding it would corrupt
/// descriptions that talk about HTML.
enum PlainTextReader {
    static func lines(from text: String) -> [TextLine] {
        var lines: [TextLine] = []
        var blankBefore = false
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let cleaned = clean(raw)
            if cleaned.isEmpty || isThematicBreak(cleaned) {
                blankBefore = true
                continue
            }
            var line = markdownLine(cleaned, indent: indentation(of: raw))
            line.startsBlock = blankBefore && !lines.isEmpty
            blankBefore = false
            lines.append(line)
        }
        return TextLine.finished(lines)
    }

    /// Collapses whitespace, drops invisible characters and trims, with the same rules as HTML text.
    private static func clean(_ raw: Substring) -> String {
        var output = String.UnicodeScalarView()
        var pendingSpace = false
        var previous: Unicode.Scalar?
        for scalar in raw.unicodeScalars {
            if TextNormalization.isSpace(scalar) {
                pendingSpace = !output.isEmpty
                continue
            }
            if TextNormalization.isInvisible(scalar, after: previous) { continue }
            if pendingSpace { output.append(" ") }
            pendingSpace = false
            output.append(scalar)
            previous = scalar
        }
        return String(output)
    }

    /// `---`, `***`, `___` (markdown horizontal rules) separate blocks but hold no text.
    private static func isThematicBreak(_ line: String) -> Bool {
        let marks = line.filter { $0 != " " }
        guard marks.count >= 3, let first = marks.first, "-*_=".contains(first) else { return false }
        return marks.allSatisfy { $0 == first }
    }

    private static func markdownLine(_ text: String, indent: Int) -> TextLine {
        var body = Substring(text)
        let hashes = body.prefix { $0 == "#" }.count
        if (1...6).contains(hashes), body.dropFirst(hashes).first == " " {
            body = body.dropFirst(hashes).trimmingSpaces()
            // "## Header ##" closes with optional hashes.
            while body.last == "#" { body.removeLast() }
            return TextLine(text: String(body.trimmingSpaces()), kind: .heading(level: hashes))
        }
        if let rest = TextLine.handWrittenBulletBody(text) {
            // Two spaces of indentation per level, the common markdown convention.
            return TextLine(text: "- " + rest, kind: .listItem, listDepth: 1 + indent / 2)
        }
        return TextLine(text: text)
    }

    /// Leading spaces (a tab counts as four) before the line's first visible character.
    private static func indentation(of raw: Substring) -> Int {
        var width = 0
        for character in raw {
            switch character {
            case " ": width += 1
            case "\t": width += 4
            default: return width
            }
        }
        return width
    }
}
