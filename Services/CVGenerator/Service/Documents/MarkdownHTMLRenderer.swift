/// Turns the Markdown of a CV into HTML for the browser preview and the PDF.
///
/// The Markdown comes from ``CVWriter`` and then from whatever a user types when editing, so the
/// input is untrusted. Rather than pull in a general Markdown engine (which passes raw HTML through
/// by design), this renderer understands only the subset a CV needs and writes every tag itself:
///
/// - blocks: ATX headings `#`, `##`, `###` (deeper levels are shown as `h3`), paragraphs, unordered
///   lists (`-`, `*`, `+`) and ordered lists (`1.` or `1)`); list items continue on following lines,
///   and a list goes on across blank lines while the next item has the same kind of marker;
/// - inline: `**bold**`/`__bold__`, `*italic*`/`_italic_`, `` `code` ``, `[label](url)`, hard line
///   breaks (two trailing spaces or a trailing backslash) and backslash escapes of ASCII punctuation,
///   which is how ``CVWriter`` makes master-CV text literal.
///
/// Everything else is text: raw HTML, entity references, block quotes, code fences, images and
/// nested lists are shown as typed, HTML-escaped. Links keep their tag only for absolute `http`,
/// `https` and `mailto` addresses (the same rule as ``HTMLSanitizer``); any other link is shown as
/// its label. The output therefore contains no markup this type did not write, and no script can run
/// in it whatever the Markdown says.
///
/// ```swift
/// let html = MarkdownHTMLRenderer.document(markdown: cv.markdown, title: "Maren Okafor-Lind — CV")
/// let pdf = try await PDFRenderer(threadPool: pool).render(html: html)
/// ```
public enum MarkdownHTMLRenderer {
    /// A complete, self-contained HTML page: doctype, UTF-8, the title, the CV stylesheet inline and a
    /// Content-Security-Policy that forbids scripts and every network load.
    ///
    /// The page needs nothing from outside, so Chromium can print it from a temporary file with no
    /// network and a browser preview looks the same as the PDF.
    ///
    /// - Parameters:
    ///   - markdown: CV Markdown, trusted or not.
    ///   - title: The page title (escaped here), e.g. the candidate's name.
    ///   - language: The `lang` of the page, a BCP 47 tag; anything but letters, digits and `-` is dropped.
    /// - Returns: The HTML page.
    public static func document(markdown: String, title: String, language: String = "en") -> String {
        let lang = String(language.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") })
        return """
            <!doctype html>
            <html lang="\(lang.isEmpty ? "en" : lang)">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title))</title>
            <style>
            \(CVStylesheet.css)
            </style>
            </head>
            <body>
            <main class="cv">
            \(fragment(markdown: markdown))
            </main>
            </body>
            </html>

            """
    }

    /// The CV's body as HTML elements, one block per line, for embedding in a page of the caller's.
    ///
    /// - Parameter markdown: CV Markdown, trusted or not.
    /// - Returns: HTML made only of `h1`–`h3`, `p`, `ul`, `ol`, `li`, `strong`, `em`, `code`, `br`
    ///   and `a href` with a safe address; empty for empty input.
    public static func fragment(markdown: String) -> String {
        BlockParser.blocks(in: markdown).map(render).joined(separator: "\n")
    }

    // MARK: Blocks

    /// One block of the document, holding its raw (inline Markdown) text.
    fileprivate enum Block: Equatable {
        case heading(level: Int, text: String)
        case paragraph(lines: [String])
        /// `start` is nil for an unordered list; each item is its lines.
        case list(start: Int?, items: [[String]])
    }

    private static func render(_ block: Block) -> String {
        switch block {
        case .heading(let level, let text):
            return "<h\(level)>\(InlineRenderer.render(text))</h\(level)>"
        case .paragraph(let lines):
            return "<p>\(renderLines(lines))</p>"
        case .list(let start, let items):
            let body = items.map { "<li>\(renderLines($0))</li>" }.joined(separator: "\n")
            guard let start else { return "<ul>\n\(body)\n</ul>" }
            return (start == 1 ? "<ol>" : "<ol start=\"\(start)\">") + "\n\(body)\n</ol>"
        }
    }

    /// Inline text of a paragraph or item: the lines are parsed as one run (emphasis may span lines),
    /// and a line ending in two spaces or a backslash becomes a `<br>`.
    private static func renderLines(_ lines: [String]) -> String {
        var text = ""
        for (index, line) in lines.enumerated() {
            let isLast = index == lines.count - 1
            var content = Substring(line)
            var hardBreak = false
            if !isLast {
                let trailingSpaces = content.reversed().prefix { $0 == " " }.count
                if trailingSpaces >= 2 {
                    hardBreak = true
                } else if content.hasSuffix("\\"), isUnescapedTrailingBackslash(content) {
                    hardBreak = true
                    content = content.dropLast()
                }
            }
            text += content.trimmingTrailingSpaces()
            if !isLast { text += hardBreak ? InlineRenderer.hardBreakMarker : "\n" }
        }
        return InlineRenderer.render(text)
    }

    /// Whether a line's last backslash is itself unescaped (an odd run of backslashes).
    private static func isUnescapedTrailingBackslash(_ line: Substring) -> Bool {
        line.reversed().prefix { $0 == "\\" }.count % 2 == 1
    }

    // MARK: Escaping

    /// Escapes text for HTML content and double-quoted attributes, dropping characters HTML forbids.
    ///
    /// NUL and C0/C1 controls (other than tab and newline) are removed: browsers treat some of them
    /// specially, and they have no place in a CV.
    static func escape(_ text: some StringProtocol) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\t", "\n": result.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

// MARK: - Block parsing

extension MarkdownHTMLRenderer {
    /// Splits Markdown into headings, paragraphs and lists, line by line.
    fileprivate enum BlockParser {
        /// What a line starts, once up to three spaces of indentation are set aside.
        private enum LineKind {
            case blank
            case heading(level: Int, text: String)
            case item(ordered: Int?, text: String)
            case text(String)
        }

        static func blocks(in markdown: String) -> [Block] {
            // The hard-break marker is the renderer's own; a user cannot type one in.
            let typed = String(String.UnicodeScalarView(markdown.unicodeScalars.filter { $0 != "\u{F8FF}" && $0 != "\u{F8FE}" }))
            let lines = typed.replacing("\r\n", with: "\n")
                .replacing("\r", with: "\n")
                .split(separator: "\n", omittingEmptySubsequences: false)
                .map { String($0.replacing("\t", with: "    ")) }
            var blocks: [Block] = []
            var index = 0
            while index < lines.count {
                switch kind(of: lines[index]) {
                case .blank:
                    index += 1
                case .heading(let level, let text):
                    blocks.append(.heading(level: level, text: text))
                    index += 1
                case .item(let ordered, _):
                    blocks.append(parseList(lines, from: &index, ordered: ordered != nil, start: ordered))
                case .text:
                    blocks.append(parseParagraph(lines, from: &index))
                }
            }
            return blocks
        }

        /// Consecutive lines up to a blank line, a heading or a list item that may interrupt a
        /// paragraph (any bullet, or an ordered item numbered 1, as in CommonMark).
        private static func parseParagraph(_ lines: [String], from index: inout Int) -> Block {
            var paragraph: [String] = []
            while index < lines.count {
                switch kind(of: lines[index]) {
                case .blank, .heading:
                    return .paragraph(lines: paragraph)
                case .item(let ordered, _) where !paragraph.isEmpty && (ordered == nil || ordered == 1):
                    return .paragraph(lines: paragraph)
                case .item, .text:
                    paragraph.append(stripIndent(lines[index]))
                    index += 1
                }
            }
            return .paragraph(lines: paragraph)
        }

        /// Items with the same kind of marker; other lines continue the current item; blank lines are
        /// skipped while the next line is another item of the list.
        private static func parseList(_ lines: [String], from index: inout Int, ordered: Bool, start: Int?) -> Block {
            var items: [[String]] = []
            while index < lines.count {
                switch kind(of: lines[index]) {
                case .heading:
                    return .list(start: start, items: items)
                case .item(let number, let text) where (number != nil) == ordered:
                    items.append([text])
                    index += 1
                case .item:
                    // A bullet inside an ordered list (or the reverse) starts a list of its own.
                    return .list(start: start, items: items)
                case .text(let text):
                    items[items.count - 1].append(text)
                    index += 1
                case .blank:
                    var next = index
                    while next < lines.count, case .blank = kind(of: lines[next]) { next += 1 }
                    guard next < lines.count, case .item(let number, _) = kind(of: lines[next]), (number != nil) == ordered else {
                        index = next
                        return .list(start: start, items: items)
                    }
                    index = next
                }
            }
            return .list(start: start, items: items)
        }

        private static func kind(of line: String) -> LineKind {
            let content = stripIndent(line)
            if content.allSatisfy({ $0 == " " }) { return .blank }
            let characters = Array(content)

            let hashes = characters.prefix { $0 == "#" }.count
            if (1...6).contains(hashes), hashes == characters.count || characters[hashes] == " " {
                return .heading(level: min(hashes, 3), text: headingText(String(characters[hashes...])))
            }

            if let first = characters.first, "-*+".contains(first), characters.count == 1 || characters[1] == " " {
                return .item(ordered: nil, text: String(characters.dropFirst(2)).trimmingLeadingSpaces())
            }

            let digits = characters.prefix { $0.isASCII && $0.isNumber }.count
            if (1...9).contains(digits), digits < characters.count, ".)".contains(characters[digits]),
                digits + 1 == characters.count || characters[digits + 1] == " ",
                let number = Int(String(characters[..<digits]))
            {
                return .item(ordered: number, text: String(characters.dropFirst(digits + 2)).trimmingLeadingSpaces())
            }
            return .text(content)
        }

        /// A heading's text without its surrounding spaces and optional closing run of `#`.
        ///
        /// The closing run must follow a space, so `C#` stays whole, and ``CVWriter`` escapes a
        /// trailing run it means literally (`\#`), which therefore stays too.
        private static func headingText(_ raw: String) -> String {
            var text = raw.trimmingLeadingSpaces().trimmingTrailingSpaces()
            let closing = text.reversed().prefix { $0 == "#" }.count
            if closing == text.count {
                text = ""
            } else if closing > 0, text.dropLast(closing).last == " " {
                text = String(text.dropLast(closing)).trimmingTrailingSpaces()
            }
            return text
        }

        /// Drops up to three leading spaces; deeper indentation is dropped too, as this subset has no
        /// indented code blocks or nesting.
        private static func stripIndent(_ line: String) -> String {
            line.trimmingLeadingSpaces()
        }
    }
}

// MARK: - Inline rendering

extension MarkdownHTMLRenderer {
    /// Renders the inline Markdown of one block: escapes, code spans, links and emphasis.
    ///
    /// Emphasis uses CommonMark's delimiter runs (left- and right-flanking rules, `_` not inside
    /// words), matched innermost first; unmatched delimiters stay as text.
    fileprivate enum InlineRenderer {
        /// Stands for a hard line break in block text; a private-use character that escaping keeps.
        static let hardBreakMarker = "\u{F8FF}\u{F8FE}"

        private enum Token {
            case text(String)
            /// Markup this renderer wrote.
            case html(String)
            case delimiter(Delimiter)
        }

        private struct Delimiter {
            var character: Character
            var count: Int
            var canOpen: Bool
            var canClose: Bool
        }

        static func render(_ text: String) -> String {
            var tokens = tokenize(Array(text), allowLinks: true)
            resolveEmphasis(&tokens)
            return tokens.map { token in
                switch token {
                case .text(let text): return escape(text).replacing(hardBreakMarker, with: "<br>\n")
                case .html(let html): return html
                case .delimiter(let delimiter): return String(repeating: delimiter.character, count: delimiter.count)
                }
            }.joined()
        }

        private static func tokenize(_ characters: [Character], allowLinks: Bool) -> [Token] {
            var tokens: [Token] = []
            var text = ""
            func flush() {
                if !text.isEmpty { tokens.append(.text(text)) }
                text = ""
            }
            var index = 0
            while index < characters.count {
                let character = characters[index]
                switch character {
                case "\\":
                    if index + 1 < characters.count, characters[index + 1].isASCIIPunctuation {
                        text.append(characters[index + 1])
                        index += 2
                    } else {
                        text.append(character)
                        index += 1
                    }
                case "`":
                    let run = run(of: "`", in: characters, at: index)
                    if let close = closingBackticks(run, in: characters, after: index + run) {
                        flush()
                        tokens.append(.html("<code>\(escape(codeContent(characters[(index + run)..<close])))</code>"))
                        index = close + run
                    } else {
                        text += String(repeating: "`", count: run)
                        index += run
                    }
                case "[" where allowLinks:
                    if let link = parseLink(characters, at: index) {
                        flush()
                        tokens.append(contentsOf: link.tokens)
                        index = link.end
                    } else {
                        text.append(character)
                        index += 1
                    }
                case "*", "_":
                    let count = run(of: character, in: characters, at: index)
                    let before = index > 0 ? characters[index - 1] : " "
                    let after = index + count < characters.count ? characters[index + count] : " "
                    let left = isLeftFlanking(before: before, after: after)
                    let right = isLeftFlanking(before: after, after: before)
                    flush()
                    tokens.append(
                        .delimiter(
                            Delimiter(
                                character: character,
                                count: count,
                                canOpen: character == "*" ? left : left && (!right || before.isASCIIPunctuation),
                                canClose: character == "*" ? right : right && (!left || after.isASCIIPunctuation)
                            )
                        )
                    )
                    index += count
                default:
                    text.append(character)
                    index += 1
                }
            }
            flush()
            return tokens
        }

        /// A run is left-flanking when it is not followed by whitespace, and not followed by
        /// punctuation unless whitespace or punctuation precedes it; right-flanking is the mirror.
        private static func isLeftFlanking(before: Character, after: Character) -> Bool {
            if isSpaceLike(after) { return false }
            if after.isPunctuationLike { return isSpaceLike(before) || before.isPunctuationLike }
            return true
        }

        /// Whitespace, or a character of the hard-break marker, which stands for a line end.
        private static func isSpaceLike(_ character: Character) -> Bool {
            character.isWhitespace || character.unicodeScalars.contains { hardBreakMarker.unicodeScalars.contains($0) }
        }

        private static func run(of character: Character, in characters: [Character], at index: Int) -> Int {
            var end = index
            while end < characters.count, characters[end] == character { end += 1 }
            return end - index
        }

        /// The start of the next backtick run of exactly `length`.
        private static func closingBackticks(_ length: Int, in characters: [Character], after start: Int) -> Int? {
            var index = start
            while index < characters.count {
                guard characters[index] == "`" else {
                    index += 1
                    continue
                }
                let found = run(of: "`", in: characters, at: index)
                if found == length { return index }
                index += found
            }
            return nil
        }

        /// Code span content: line breaks as spaces, one space stripped from each side when both have one.
        private static func codeContent(_ characters: ArraySlice<Character>) -> String {
            var content = String(characters).replacing(hardBreakMarker, with: " ")
                .replacing("\n", with: " ")
            if content.count >= 2, content.hasPrefix(" "), content.hasSuffix(" "), content.contains(where: { $0 != " " }) {
                content = String(content.dropFirst().dropLast())
            }
            return content
        }

        /// `[label](destination)` starting at `start`, or nil when the text there is not a link.
        ///
        /// The destination runs to the first unescaped `)` and may not contain spaces or `<`;
        /// ``CVWriter`` percent-encodes those. A destination that is not an absolute http, https or
        /// mailto address keeps only the label, so `javascript:` and `data:` links come out inert.
        private static func parseLink(_ characters: [Character], at start: Int) -> (tokens: [Token], end: Int)? {
            var depth = 0
            var index = start + 1
            var labelEnd: Int?
            while index < characters.count {
                switch characters[index] {
                case "\\": index += 1
                case "[": depth += 1
                case "]":
                    if depth == 0 { labelEnd = index } else { depth -= 1 }
                default: break
                }
                if labelEnd != nil { break }
                index += 1
            }
            guard let labelEnd, labelEnd + 1 < characters.count, characters[labelEnd + 1] == "(" else { return nil }

            var destination = ""
            index = labelEnd + 2
            while index < characters.count, characters[index] != ")" {
                let character = characters[index]
                if isSpaceLike(character) || character == "<" {
                    return nil
                }
                if character == "\\", index + 1 < characters.count, characters[index + 1].isASCIIPunctuation {
                    destination.append(characters[index + 1])
                    index += 2
                    continue
                }
                destination.append(character)
                index += 1
            }
            guard index < characters.count else { return nil }

            var label = tokenize(Array(characters[(start + 1)..<labelEnd]), allowLinks: false)
            resolveEmphasis(&label)
            guard let href = safeHref(destination) else { return (label, index + 1) }
            return ([.html("<a href=\"\(escape(href))\">")] + label + [.html("</a>")], index + 1)
        }

        /// The address when it is absolute http, https or mailto and free of control characters.
        static func safeHref(_ destination: String) -> String? {
            guard !destination.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return nil }
            let lower = destination.lowercased()
            let allowed = lower.hasPrefix("https://") || lower.hasPrefix("http://") || lower.hasPrefix("mailto:")
            guard allowed, destination.count > (lower.hasPrefix("mailto:") ? 7 : 8) else { return nil }
            return destination
        }

        /// Pairs `*`/`_` runs into `<strong>` and `<em>`, CommonMark's "process emphasis" without the
        /// rule of three, which CV text does not need.
        private static func resolveEmphasis(_ tokens: inout [Token]) {
            var closerIndex = 0
            while closerIndex < tokens.count {
                guard case .delimiter(var closer) = tokens[closerIndex], closer.canClose, closer.count > 0 else {
                    closerIndex += 1
                    continue
                }
                var openerIndex: Int?
                var search = closerIndex - 1
                while search >= 0 {
                    if case .delimiter(let candidate) = tokens[search], candidate.character == closer.character, candidate.canOpen,
                        candidate.count > 0
                    {
                        openerIndex = search
                        break
                    }
                    search -= 1
                }
                guard let openerIndex, case .delimiter(var opener) = tokens[openerIndex] else {
                    // Nothing to close: this run can never open a later match either way as a closer.
                    closerIndex += 1
                    continue
                }
                let used = opener.count >= 2 && closer.count >= 2 ? 2 : 1
                let tag = used == 2 ? "strong" : "em"
                opener.count -= used
                closer.count -= used
                // Delimiters between the pair can no longer match across it.
                for between in (openerIndex + 1)..<closerIndex {
                    if case .delimiter(var inner) = tokens[between] {
                        inner.canOpen = false
                        inner.canClose = false
                        tokens[between] = .delimiter(inner)
                    }
                }
                tokens[openerIndex] = .delimiter(opener)
                tokens[closerIndex] = .delimiter(closer)
                tokens.insert(.html("</\(tag)>"), at: closerIndex)
                tokens.insert(.html("<\(tag)>"), at: openerIndex + 1)
                closerIndex += 2
                // The same closer may still close an outer opener when it has characters left.
                if closer.count == 0 { closerIndex += 1 }
            }
        }
    }
}

// MARK: - Helpers

extension Character {
    /// ASCII punctuation, the characters a backslash may escape in Markdown.
    fileprivate var isASCIIPunctuation: Bool {
        isASCII && (isPunctuation || isSymbol)
    }

    /// Punctuation for the flanking rules: Unicode punctuation and symbols.
    fileprivate var isPunctuationLike: Bool {
        isPunctuation || isSymbol
    }
}

extension StringProtocol {
    fileprivate func trimmingLeadingSpaces() -> String {
        String(drop { $0 == " " })
    }

    fileprivate func trimmingTrailingSpaces() -> String {
        var result = String(self)
        while result.hasSuffix(" ") { result.removeLast() }
        return result
    }
}
