extension HTMLSanitizer {
    /// Writes the sanitized document: every tag from an ``Element``, every character of text escaped.
    ///
    /// It also keeps the stack of open elements, which is what makes the output well-formed whatever
    /// order the input's tags came in: an end tag closes the elements opened after its own, an end tag
    /// with nothing to close is dropped, and everything still open is closed at the end. Where a
    /// browser closes an element implicitly (`<p>` before a list, `<li>` before the next item,
    /// `<td>` before the next cell) the writer closes it explicitly, so browsers have next to nothing
    /// left to repair in the output, and sanitizing the output again changes nothing.
    struct Writer {
        /// Nesting beyond this is flattened: the tags are dropped, their text kept.
        ///
        /// Real postings nest fewer than ten deep, and browsers cap their trees too. The cap bounds
        /// every search of the stack, which keeps sanitizing linear on hostile input such as 100,000
        /// `<span>`s followed by as many stray `</div>`s.
        static let maximumDepth = 128

        private var output: [UInt8] = []
        private var open: [Element] = []
        /// Formatting that a block boundary cut short, to re-open before the next visible text, at
        /// most one of each kind (see ``Element/isReopenedFormatting``).
        private var interrupted: [Element] = []

        init(capacity: Int) {
            output.reserveCapacity(capacity)
        }

        /// Closes everything still open and returns the document.
        mutating func finish() -> String {
            close(downTo: 0, explicitly: false)
            return String(decoding: output, as: UTF8.self)
        }

        // MARK: - Elements

        /// Opens `element`, after closing whatever a browser would close before it.
        ///
        /// - Parameter attributes: Already validated and escaped, each with a leading space.
        mutating func start(_ element: Element, attributes: String = "") {
            if element.closesParagraph { closeParagraph() }
            switch element {
            case .li:
                closePreviousItem { $0 == .li }
            case .dt, .dd:
                closePreviousItem { $0 == .dt || $0 == .dd }
            case .h1, .h2, .h3, .h4, .h5, .h6:
                // A heading cannot hold another: `<h2>Role<h3>Perks` is two headings.
                if open.last?.isHeading == true { close(downTo: open.count - 1, explicitly: false) }
            case .a:
                // Nor a link another link.
                if let index = openIndex(where: { $0 == .a }, stoppingAt: \.isScopeBoundary) {
                    close(downTo: index, explicitly: false)
                }
            case .tr:
                closeInTable { $0 == .tr }
            case .td, .th:
                closeInTable { $0 == .td || $0 == .th }
            case .thead, .tbody:
                closeInTable { $0 == .thead || $0 == .tbody }
            default:
                break
            }
            // Browsers ignore rows and cells outside a table; keeping them would give a different tree.
            if element.isTablePart, !open.contains(.table) { return }
            // Like a browser's formatting markers: bold from outside a table does not leak into a cell.
            if element == .table || element == .td || element == .th { interrupted.removeAll() }
            if element.isInline { reopenInterrupted() }
            if element.isVoid {
                writeTag(element, attributes: attributes, isEnd: false)
                return
            }
            guard open.count < Self.maximumDepth else { return }
            writeTag(element, attributes: attributes, isEnd: false)
            open.append(element)
        }

        /// Closes the nearest open `element` and everything opened after it, or does nothing when
        /// no such element is open where the end tag stands (a stray end tag).
        ///
        /// The search stops at a table cell or table, as a browser's does: `</div>` inside a cell
        /// cannot close a `<div>` around the table. Any `</h1>`–`</h6>` closes whichever heading is open.
        mutating func end(_ element: Element) {
            guard !element.isVoid else { return }
            let isBoundary: (Element) -> Bool =
                switch element {
                case .table: { _ in false }
                case .thead, .tbody, .tr, .td, .th: { $0 == .table }
                case .li: { $0.isScopeBoundary || $0 == .ul || $0 == .ol }
                default: \.isScopeBoundary
                }
            let matches: (Element) -> Bool = element.isHeading ? { $0.isHeading } : { $0 == element }
            if let index = openIndex(where: matches, stoppingAt: isBoundary) {
                close(downTo: index, explicitly: true)
            } else if let pending = interrupted.lastIndex(of: element) {
                // The end tag of formatting a block cut short: it stays closed.
                interrupted.remove(at: pending)
            }
            if element == .table || element == .td || element == .th { interrupted.removeAll() }
        }

        /// Ends an open `<p>` before a block that cannot sit inside a paragraph.
        private mutating func closeParagraph() {
            if let index = openIndex(where: { $0 == .p }, stoppingAt: \.isScopeBoundary) {
                close(downTo: index, explicitly: false)
            }
        }

        /// Ends the previous list item (or `dt`/`dd`) before a new one, unless a nested list lies
        /// in between.
        private mutating func closePreviousItem(matching matches: (Element) -> Bool) {
            for index in open.indices.reversed() {
                if matches(open[index]) {
                    close(downTo: index, explicitly: false)
                    return
                }
                if open[index].stopsItemSearch { return }
            }
        }

        /// Ends the previous row, cell or section of the innermost table before a new one.
        private mutating func closeInTable(matching matches: (Element) -> Bool) {
            if let index = openIndex(where: matches, stoppingAt: { $0 == .table }) {
                close(downTo: index, explicitly: false)
            }
        }

        /// The index of the innermost open element that `matches`, searching no further out than the
        /// first boundary.
        private func openIndex(where matches: (Element) -> Bool, stoppingAt isBoundary: (Element) -> Bool) -> Int? {
            for index in open.indices.reversed() {
                if matches(open[index]) { return index }
                if isBoundary(open[index]) { return nil }
            }
            return nil
        }

        /// Pops and closes the open elements from the innermost down to `index`.
        ///
        /// Formatting closed only because something around it ended is remembered for re-opening,
        /// as a browser does; the element an end tag names (`explicitly`) is not.
        private mutating func close(downTo index: Int, explicitly: Bool) {
            var cut: [Element] = []
            while open.count > index {
                let element = open.removeLast()
                writeTag(element, attributes: "", isEnd: true)
                let isNamedByEndTag = explicitly && open.count == index
                if element.isReopenedFormatting, !isNamedByEndTag { cut.append(element) }
            }
            for element in cut.reversed() where !interrupted.contains(element) {
                interrupted.append(element)
            }
        }

        private mutating func reopenInterrupted() {
            let elements = interrupted
            interrupted.removeAll()
            for element in elements where open.count < Self.maximumDepth {
                writeTag(element, attributes: "", isEnd: false)
                open.append(element)
            }
        }

        private mutating func writeTag(_ element: Element, attributes: String, isEnd: Bool) {
            output.append(UInt8(ascii: "<"))
            if isEnd { output.append(UInt8(ascii: "/")) }
            output.append(contentsOf: element.rawValue.utf8)
            output.append(contentsOf: attributes.utf8)
            output.append(UInt8(ascii: ">"))
        }

        // MARK: - Text

        /// Appends printable ASCII text that needs no escaping (no `&`, `<` or `>`) as it is.
        ///
        /// Most of a posting is such text; copying it in runs rather than character by character
        /// keeps the Ashby sample fast to sanitize even in debug builds.
        mutating func writeVerbatim(_ text: Slice<UnsafeBufferPointer<UInt8>>) {
            var text = text
            if !interrupted.isEmpty, let visible = text.firstIndex(where: { $0 != UInt8(ascii: " ") }) {
                output.append(contentsOf: text[..<visible])
                reopenInterrupted()
                text = text[visible...]
            }
            output.append(contentsOf: text)
        }

        /// Appends one character of text, escaped, or nothing when it is not valid in HTML.
        ///
        /// `<` is written `&#60;` rather than `&lt;`: ``HTMLText`` takes a document with more
        /// `&lt;p`-style openings than real tags for Greenhouse's entity-escaped HTML and unescapes
        /// it once more. A posting about markup whose own tags were all dropped
        /// (`<font>Use &lt;div&gt;</font>`) would then turn its text into tags on the way to plain
        /// text, and sanitizing it twice would not give the same result.
        mutating func writeText(_ scalar: Unicode.Scalar) {
            let value = scalar.value
            switch value {
            case 0x09, 0x0A, 0x0D, 0x20:
                output.append(UInt8(value))
                return
            case 0x0B, 0x0C, 0x85:
                // Controls that HTMLText reads as a space; written as one so words stay apart.
                output.append(UInt8(ascii: " "))
                return
            case 0x00...0x1F, 0x7F...0x9F, 0xFDD0...0xFDEF:
                // NUL, other controls and noncharacters are never text.
                return
            default:
                if value & 0xFFFE == 0xFFFE { return }
            }
            if !interrupted.isEmpty, !TextNormalization.isSpace(scalar) { reopenInterrupted() }
            switch value {
            case 0x26: output.append(contentsOf: "&amp;".utf8)
            case 0x3C: output.append(contentsOf: "&#60;".utf8)
            case 0x3E: output.append(contentsOf: "&gt;".utf8)
            case ..<0x80: output.append(UInt8(value))
            default: UTF8.encode(scalar) { output.append($0) }
            }
        }

        /// `text` escaped for a double-quoted attribute value.
        static func escapedAttribute(_ text: String) -> String {
            var escaped = ""
            escaped.reserveCapacity(text.utf8.count)
            for scalar in text.unicodeScalars {
                switch scalar {
                case "&": escaped += "&amp;"
                case "\"": escaped += "&quot;"
                case "<": escaped += "&#60;"
                case ">": escaped += "&gt;"
                default: escaped.unicodeScalars.append(scalar)
                }
            }
            return escaped
        }
    }
}
