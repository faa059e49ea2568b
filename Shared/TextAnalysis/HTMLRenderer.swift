/// Lays untrusted job-board HTML out as ``TextLine``s in one forgiving pass.
///
/// This is deliberately not a DOM parser: descriptions are small fragments, frequently malformed
/// (unclosed tags, stray `<`, `>` inside attribute values), and all we need is the text with its line
/// structure plus a few hints (heading level, bold-only paragraph, list item). A single scan over the
/// UTF-8 bytes that never backtracks cannot crash or go quadratic on hostile input, and it keeps the
/// whole 1,578-posting Ashby set fast even in debug builds.
struct HTMLRenderer {
    private enum Break: Int, Comparable {
        case none, line, paragraph

        static func < (lhs: Break, rhs: Break) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    private struct ListContext {
        var isOrdered: Bool
        var count = 0
    }

    /// The input, borrowed for the duration of ``lines(from:)``. A buffer rather than an array because
    /// every byte access on an array property costs a retain/release pair in debug builds, which made
    /// rendering several times slower than it needs to be.
    private let bytes: UnsafeBufferPointer<UInt8>
    private var lines: [TextLine] = []

    // The line being built
    private var current: [UInt8] = []
    private var currentKind = TextLine.Kind.paragraph
    private var currentStartsBlock = false
    private var currentListDepth = 0
    private var emphasizedCharacters = 0
    private var plainCharacters = 0
    private var pendingSpace = false
    private var previousScalar: Unicode.Scalar?

    // Open-element state
    private var pendingBreak = Break.none
    private var headingLevel: Int?
    private var emphasisDepth = 0
    private var preformattedDepth = 0
    private var lists: [ListContext] = []
    private var pendingMarker: String?

    /// Renders `html` (already un-double-escaped) into lines.
    static func lines(from html: String) -> [TextLine] {
        func render(_ buffer: UnsafeBufferPointer<UInt8>) -> [TextLine] {
            var renderer = HTMLRenderer(bytes: buffer)
            renderer.render()
            return renderer.lines
        }
        if let lines = html.utf8.withContiguousStorageIfAvailable(render) { return lines }
        return Array(html.utf8).withUnsafeBufferPointer(render)
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    // MARK: - Scanning

    private mutating func render() {
        let count = bytes.count
        var textStart = 0
        var index = 0
        while index < count {
            // A `<` that cannot start markup ("a < b", "<3", "<$100k") is text, as in browsers.
            guard bytes[index] == UInt8(ascii: "<"), index + 1 < count, Self.startsMarkup(bytes[index + 1]) else {
                index += 1
                continue
            }
            appendText(textStart..<index)
            index = consumeMarkup(at: index)
            textStart = index
        }
        appendText(textStart..<count)
        flushLine()
    }

    /// Handles the tag, comment or declaration at `start` (a `<`).
    ///
    /// - Returns: The index just past it. Unterminated markup runs to the end of the input, which is
    ///   what browsers do and what keeps half a tag from leaking into the text.
    private mutating func consumeMarkup(at start: Int) -> Int {
        let next = bytes[start + 1]
        if next == UInt8(ascii: "!") {
            if matches("<!--", at: start) {
                // Search from the opening's last dash so `<!-->` (an empty comment) also ends here.
                guard let close = find("-->", from: start + 2) else { return bytes.count }
                return close + 3
            }
            return indexAfter(UInt8(ascii: ">"), from: start + 2)
        }
        if next == UInt8(ascii: "?") {
            return indexAfter(UInt8(ascii: ">"), from: start + 2)
        }
        if next == UInt8(ascii: "/") {
            guard start + 2 < bytes.count, Self.isASCIILetter(bytes[start + 2]) else {
                // `</ >`, `</3` — a bogus comment in HTML5; drop it.
                return indexAfter(UInt8(ascii: ">"), from: start + 2)
            }
            let (name, nameEnd) = readName(from: start + 2)
            let end = endOfTag(from: nameEnd)
            endTag(name)
            return end
        }
        let (name, nameEnd) = readName(from: start + 1)
        let end = endOfTag(from: nameEnd)
        if Self.droppedElements.contains(name) {
            // `<svg … />` is complete in itself; script and style ignore `/>` in browsers too.
            let selfClosed = end >= 2 && bytes[end - 1] == UInt8(ascii: ">") && bytes[end - 2] == UInt8(ascii: "/")
            if selfClosed, name != "script", name != "style" { return end }
            return endOfElement(named: name, from: end)
        }
        startTag(name)
        return end
    }

    /// The lowercased tag name starting at `start`, and where it ends.
    private func readName(from start: Int) -> (String, Int) {
        var index = start
        var name: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            guard Self.isASCIILetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ":")
            else { break }
            name.append(Self.isASCIILetter(byte) ? byte | 0x20 : byte)
            index += 1
        }
        return (String(decoding: name, as: UTF8.self), index)
    }

    /// The index just past the `>` that closes a tag, skipping quoted attribute values so a `>` inside
    /// `title="a > b"` does not end the tag early.
    ///
    /// Only a quote right after `=` opens a value: an apostrophe in an unquoted value (`alt=it's`)
    /// must not swallow the rest of the document. An unterminated quote falls back to the next `>`.
    private func endOfTag(from start: Int) -> Int {
        var index = start
        var afterEquals = false
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: ">"):
                return index + 1
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                guard afterEquals else { break }
                if let close = bytes[(index + 1)...].firstIndex(of: byte) {
                    index = close + 1
                    afterEquals = false
                    continue
                }
                return indexAfter(UInt8(ascii: ">"), from: index + 1)
            case UInt8(ascii: "="):
                afterEquals = true
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), 0x0C:
                break
            default:
                afterEquals = false
            }
            index += 1
        }
        return bytes.count
    }

    /// The index just past `</name…>`, skipping everything in between (script bodies are not HTML,
    /// so a `<p>` inside a string literal must not be rendered). Without a closing tag the rest of
    /// the input is dropped, as a browser would.
    private func endOfElement(named name: String, from start: Int) -> Int {
        let nameBytes = Array(name.utf8)
        var index = start
        while let open = find("</", from: index) {
            let nameStart = open + 2
            let nameEnd = nameStart + nameBytes.count
            if nameEnd <= bytes.count,
                zip(bytes[nameStart..<nameEnd], nameBytes).allSatisfy({ ($0 | 0x20) == $1 || $0 == $1 }),
                nameEnd == bytes.count || !Self.isASCIILetter(bytes[nameEnd])
            {
                return endOfTag(from: nameEnd)
            }
            index = nameStart
        }
        return bytes.count
    }

    // MARK: - Elements

    private mutating func startTag(_ name: String) {
        switch name {
        case "br":
            // A second `<br>` in a row is how many editors separate paragraphs.
            if current.isEmpty, pendingBreak >= .line {
                requestBreak(.paragraph)
            } else {
                requestBreak(.line)
            }
        case "li":
            requestBreak(.line)
            pendingMarker = nextListMarker()
        case "ul", "ol", "menu":
            requestBreak(.paragraph)
            lists.append(ListContext(isOrdered: name == "ol"))
        case "h1", "h2", "h3", "h4", "h5", "h6":
            requestBreak(.paragraph)
            headingLevel = Int(String(name.dropFirst()))
        case "strong", "b", "u":
            emphasisDepth += 1
        case "pre", "listing", "xmp":
            requestBreak(.paragraph)
            preformattedDepth += 1
        case "td", "th":
            if !current.isEmpty { pendingSpace = true }
        default:
            if Self.paragraphElements.contains(name) {
                requestBreak(.paragraph)
            } else if Self.lineElements.contains(name) {
                requestBreak(.line)
            }
        }
    }

    private mutating func endTag(_ name: String) {
        switch name {
        case "li":
            requestBreak(.line)
            pendingMarker = nil
        case "ul", "ol", "menu":
            flushLine()
            pendingMarker = nil
            _ = lists.popLast()
            requestBreak(.paragraph)
        case "h1", "h2", "h3", "h4", "h5", "h6":
            requestBreak(.paragraph)
            headingLevel = nil
        case "strong", "b", "u":
            emphasisDepth = max(0, emphasisDepth - 1)
        case "pre", "listing", "xmp":
            requestBreak(.paragraph)
            preformattedDepth = max(0, preformattedDepth - 1)
        case "td", "th":
            if !current.isEmpty { pendingSpace = true }
        default:
            if Self.paragraphElements.contains(name) {
                requestBreak(.paragraph)
            } else if Self.lineElements.contains(name) {
                requestBreak(.line)
            }
        }
    }

    private mutating func nextListMarker() -> String {
        guard var list = lists.popLast() else { return "- " }
        defer { lists.append(list) }
        guard list.isOrdered else { return "- " }
        list.count += 1
        return "\(list.count). "
    }

    // MARK: - Text

    private mutating func appendText(_ range: Range<Int>) {
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = bytes[index]
            if byte > 0x20, byte < 0x7F, byte != UInt8(ascii: "&") {
                // Most text is printable ASCII; skipping scalar decoding for it keeps debug builds fast.
                appendVisibleASCII(byte)
                index += 1
            } else if byte == UInt8(ascii: "&"), let reference = HTMLEntities.reference(in: bytes, at: index, limit: range.upperBound) {
                append(reference.scalar)
                index = reference.end
            } else if byte < 0x80 {
                append(Unicode.Scalar(byte))
                index += 1
            } else {
                let decoded = TextNormalization.scalar(in: bytes, at: index, limit: range.upperBound)
                append(decoded.scalar)
                index += decoded.length
            }
        }
    }

    private mutating func append(_ scalar: Unicode.Scalar) {
        if preformattedDepth > 0, scalar == "\n" {
            requestBreak(.line)
            return
        }
        if TextNormalization.isSpace(scalar) {
            if !current.isEmpty { pendingSpace = true }
            return
        }
        if TextNormalization.isInvisible(scalar, after: previousScalar) { return }
        if current.isEmpty {
            beginLine()
        } else if pendingSpace, current.last != UInt8(ascii: " ") {
            current.append(UInt8(ascii: " "))
        }
        pendingSpace = false
        UTF8.encode(scalar) { current.append($0) }
        previousScalar = scalar
        if TextNormalization.isAlphanumeric(scalar) {
            if emphasisDepth > 0 { emphasizedCharacters += 1 } else { plainCharacters += 1 }
        }
    }

    private mutating func appendVisibleASCII(_ byte: UInt8) {
        if current.isEmpty {
            beginLine()
        } else if pendingSpace, current.last != UInt8(ascii: " ") {
            current.append(UInt8(ascii: " "))
        }
        pendingSpace = false
        current.append(byte)
        previousScalar = nil
        if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) {
            if emphasisDepth > 0 { emphasizedCharacters += 1 } else { plainCharacters += 1 }
        }
    }

    /// Starts a line when its first visible character arrives, so empty elements (`<p></p>`,
    /// `<li><p>` before any text) leave no trace and a list marker sits next to its text.
    private mutating func beginLine() {
        currentStartsBlock = pendingBreak == .paragraph && !lines.isEmpty
        if let marker = pendingMarker {
            currentKind = .listItem
            currentListDepth = max(lists.count, 1)
            current.append(contentsOf: marker.utf8)
            pendingMarker = nil
        } else if let headingLevel {
            currentKind = .heading(level: headingLevel)
            currentListDepth = 0
        } else {
            currentKind = .paragraph
            currentListDepth = 0
        }
    }

    // MARK: - Lines

    /// Ends the current line and asks for at least `kind` of separation before the next one.
    /// Inside a list a paragraph break is only a line break, so `<li><p>…</p></li>` items stay on
    /// consecutive lines.
    private mutating func requestBreak(_ kind: Break) {
        flushLine()
        let effective = kind == .paragraph && !lists.isEmpty ? Break.line : kind
        pendingBreak = max(pendingBreak, effective)
    }

    private mutating func flushLine() {
        guard !current.isEmpty else { return }
        while current.last == UInt8(ascii: " ") { current.removeLast() }
        lines.append(
            TextLine(
                text: String(decoding: current, as: UTF8.self),
                kind: currentKind,
                isEmphasized: emphasizedCharacters > 0 && plainCharacters == 0,
                startsBlock: currentStartsBlock,
                listDepth: currentListDepth
            )
        )
        current.removeAll(keepingCapacity: true)
        emphasizedCharacters = 0
        plainCharacters = 0
        pendingSpace = false
        pendingBreak = .none
    }

    // MARK: - Byte helpers

    private func matches(_ literal: String, at index: Int) -> Bool {
        let literalBytes = Array(literal.utf8)
        guard index + literalBytes.count <= bytes.count else { return false }
        return bytes[index..<(index + literalBytes.count)].elementsEqual(literalBytes)
    }

    private func find(_ literal: String, from start: Int) -> Int? {
        let literalBytes = Array(literal.utf8)
        guard let first = literalBytes.first else { return nil }
        var index = start
        while index + literalBytes.count <= bytes.count {
            if bytes[index] == first, bytes[index..<(index + literalBytes.count)].elementsEqual(literalBytes) {
                return index
            }
            index += 1
        }
        return nil
    }

    private func indexAfter(_ byte: UInt8, from start: Int) -> Int {
        guard start < bytes.count, let found = bytes[start...].firstIndex(of: byte) else { return bytes.count }
        return found + 1
    }

    static func isASCIILetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
    }

    static func startsMarkup(_ byte: UInt8) -> Bool {
        isASCIILetter(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "!") || byte == UInt8(ascii: "?")
    }

    // MARK: - Element tables

    /// Elements whose content is never shown: code, styling, fallbacks, document metadata and
    /// embedded documents. Their text must not reach the description.
    static let droppedElements: Set<String> = [
        "script", "style", "noscript", "template", "head", "title", "svg", "math", "iframe", "object",
        "canvas", "audio", "video", "select", "button",
    ]

    /// Blocks separated by a blank line.
    private static let paragraphElements: Set<String> = [
        "p", "blockquote", "table", "dl", "hr", "figure", "figcaption", "address", "fieldset", "form",
        "details", "main", "nav", "aside",
    ]

    /// Blocks that only start a new line.
    private static let lineElements: Set<String> = [
        "div", "section", "article", "header", "footer", "tr", "dt", "dd", "caption", "center", "summary",
        "thead", "tbody", "tfoot", "body", "html", "legend",
    ]
}

// MARK: - Scanning rules shared with HTMLSanitizer

extension HTMLRenderer {
    /// The renderer's tag-name rule, for ``HTMLSanitizer``.
    ///
    /// The sanitizer reads markup with the renderer's own scanners so both agree on where every tag
    /// starts and ends: text the renderer shows is text the sanitizer keeps, and the sanitized copy
    /// renders to the same plain text as the original.
    static func tagName(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (name: String, end: Int) {
        HTMLRenderer(bytes: bytes).readName(from: start)
    }

    /// The renderer's end-of-tag rule (quoted values may hold `>`), for ``HTMLSanitizer``.
    static func endOfTag(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        HTMLRenderer(bytes: bytes).endOfTag(from: start)
    }

    /// The renderer's rule for skipping an invisible element's content, for ``HTMLSanitizer``.
    static func endOfElement(named name: String, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        HTMLRenderer(bytes: bytes).endOfElement(named: name, from: start)
    }
}
