extension HTMLSanitizer {
    /// Reads the input once, front to back, and tells the ``Writer`` what to keep.
    ///
    /// Markup is recognised by ``HTMLRenderer``'s rules (what starts a tag, where it ends, how far an
    /// invisible element reaches), so the two always agree on which bytes are text. Nothing here
    /// backtracks: every scan either consumes what it looked at or stops at the end of the input,
    /// which keeps sanitizing linear however the input is broken.
    struct Scanner {
        /// The input, borrowed for the duration of ``sanitize(_:)``; a buffer because array
        /// accesses cost a retain/release pair each in debug builds.
        private let bytes: UnsafeBufferPointer<UInt8>
        private var writer: Writer

        /// Sanitizes `html`, which is already un-escaped if it came entity-escaped.
        static func sanitize(_ html: String) -> String {
            func run(_ buffer: UnsafeBufferPointer<UInt8>) -> String {
                var scanner = Scanner(bytes: buffer)
                scanner.scan()
                return scanner.writer.finish()
            }
            if let result = html.utf8.withContiguousStorageIfAvailable(run) { return result }
            return Array(html.utf8).withUnsafeBufferPointer(run)
        }

        private init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
            writer = Writer(capacity: bytes.count)
        }

        private mutating func scan() {
            let count = bytes.count
            var textStart = 0
            var index = 0
            while index < count {
                // A `<` that cannot start markup ("a < b", "<3") is text.
                guard bytes[index] == UInt8(ascii: "<"), index + 1 < count, HTMLRenderer.startsMarkup(bytes[index + 1]) else {
                    index += 1
                    continue
                }
                writeText(textStart..<index)
                index = consumeMarkup(at: index)
                textStart = index
            }
            writeText(textStart..<count)
        }

        // MARK: - Markup

        /// Handles the tag, comment or declaration at `start` (a `<`).
        ///
        /// - Returns: The index just past it; unterminated markup runs to the end of the input.
        private mutating func consumeMarkup(at start: Int) -> Int {
            switch bytes[start + 1] {
            case UInt8(ascii: "!"):
                if matches("<!--", at: start) {
                    // From the opening's last dash, so `<!-->` is an (empty) comment as in browsers.
                    return indexAfter("-->", from: start + 2)
                }
                if matches("<![CDATA[", at: start) { return indexAfter("]]>", from: start + 9) }
                return indexAfter(">", from: start + 2)  // doctype and other declarations
            case UInt8(ascii: "?"):
                return indexAfter(">", from: start + 2)  // processing instruction
            case UInt8(ascii: "/"):
                guard start + 2 < bytes.count, HTMLRenderer.isASCIILetter(bytes[start + 2]) else {
                    return indexAfter(">", from: start + 2)  // `</ >`, `</3`: a bogus comment
                }
                let (name, nameEnd) = HTMLRenderer.tagName(in: bytes, from: start + 2)
                if case .keep(let element) = HTMLSanitizer.disposition(ofTag: name) { writer.end(element) }
                return HTMLRenderer.endOfTag(in: bytes, from: nameEnd)
            default:
                let (name, nameEnd) = HTMLRenderer.tagName(in: bytes, from: start + 1)
                let end = HTMLRenderer.endOfTag(in: bytes, from: nameEnd)
                switch HTMLSanitizer.disposition(ofTag: name) {
                case .keep(let element):
                    startTag(element, attributesFrom: nameEnd, to: end)
                    return end
                case .removeWithContent:
                    // `<svg … />` is complete in itself; script and style ignore `/>` in browsers.
                    let selfClosed = end >= 2 && bytes[end - 1] == UInt8(ascii: ">") && bytes[end - 2] == UInt8(ascii: "/")
                    if selfClosed, name != "script", name != "style" { return end }
                    return HTMLRenderer.endOfElement(named: name, in: bytes, from: end)
                case .dropTag:
                    return end
                }
            }
        }

        private mutating func startTag(_ element: Element, attributesFrom start: Int, to end: Int) {
            let needsAttributes = element == .a || element == .td || element == .th
            let attributes = needsAttributes ? HTMLSanitizer.attributes(in: bytes, from: start, to: end) : []
            guard let written = HTMLSanitizer.attributeString(for: element, attributes) else { return }
            writer.start(element, attributes: written)
        }

        // MARK: - Text

        /// Passes the text in `range` to the writer with character references decoded, so the
        /// writer escapes every character the same way whether it arrived literally or as a reference.
        private mutating func writeText(_ range: Range<Int>) {
            var index = range.lowerBound
            while index < range.upperBound {
                let byte = bytes[index]
                if Self.isVerbatim(byte) {
                    let start = index
                    index += 1
                    while index < range.upperBound, Self.isVerbatim(bytes[index]) { index += 1 }
                    writer.writeVerbatim(bytes[start..<index])
                } else if byte == UInt8(ascii: "&"), let reference = HTMLEntities.reference(in: bytes, at: index, limit: range.upperBound) {
                    writer.writeText(reference.scalar)
                    index = reference.end
                } else if byte < 0x80 {
                    writer.writeText(Unicode.Scalar(byte))
                    index += 1
                } else {
                    let decoded = TextNormalization.scalar(in: bytes, at: index, limit: range.upperBound)
                    writer.writeText(decoded.scalar)
                    index += decoded.length
                }
            }
        }

        /// Printable ASCII other than `&`, `<` and `>`: text the writer copies unchanged.
        private static func isVerbatim(_ byte: UInt8) -> Bool {
            byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "&") && byte != UInt8(ascii: "<") && byte != UInt8(ascii: ">")
        }

        // MARK: - Byte helpers

        private func matches(_ literal: StaticString, at index: Int) -> Bool {
            let length = literal.utf8CodeUnitCount
            guard index + length <= bytes.count else { return false }
            let literalBytes = literal.utf8Start
            for offset in 0..<length where bytes[index + offset] != literalBytes[offset] { return false }
            return true
        }

        /// The index just past the first `literal` at or after `start`, or the end of the input.
        private func indexAfter(_ literal: StaticString, from start: Int) -> Int {
            let length = literal.utf8CodeUnitCount
            let first = literal.utf8Start.pointee
            var index = start
            while index + length <= bytes.count {
                if bytes[index] == first, matches(literal, at: index) { return index + length }
                index += 1
            }
            return bytes.count
        }
    }
}
