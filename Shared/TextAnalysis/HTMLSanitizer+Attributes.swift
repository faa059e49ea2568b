extension HTMLSanitizer {
    /// One attribute as read from the input.
    struct Attribute {
        /// Lowercased.
        var name: String
        /// With character references decoded.
        var value: String
    }

    /// The `rel` and `target` every link gets: the posting's links open in a new tab, pass no referrer
    /// or `window.opener` to a page we do not control, and lend it no search ranking.
    static let linkPolicy = #" rel="nofollow noopener noreferrer" target="_blank""#

    /// The attribute string a kept element is written with, or `nil` when the element must be
    /// dropped instead.
    ///
    /// Only links and table cells keep attributes; a link without a safe `href` is no link at all,
    /// so its tag goes and its text stays.
    ///
    /// - Parameter attributes: The tag's attributes (``attributes(in:from:to:)``).
    static func attributeString(for element: Element, _ attributes: [Attribute]) -> String? {
        switch element {
        case .a:
            guard let href = attributes.first(where: { $0.name == "href" }), let link = safeLink(href.value) else {
                return nil
            }
            return #" href=""# + Writer.escapedAttribute(link) + "\"" + linkPolicy
        case .td, .th:
            var result = ""
            for name in ["colspan", "rowspan"] {
                if let attribute = attributes.first(where: { $0.name == name }), let span = span(attribute.value) {
                    result += " \(name)=\"\(span)\""
                }
            }
            return result
        default:
            return ""
        }
    }

    // MARK: - Values

    /// `href` as it will be written, or `nil` unless it is an absolute `http`, `https` or `mailto`
    /// URL.
    ///
    /// The check runs on exactly the string the output will hold, cleaned the way a browser cleans
    /// a URL before reading its scheme (leading and trailing controls and spaces stripped, tabs and
    /// newlines removed anywhere), so `jav&#x09;ascript:`, `&#106;avascript:` or ` JaVaScRiPt:` are
    /// seen for what the browser would run. Relative and scheme-relative (`//evil.com`) URLs are
    /// dropped because they would point into whichever site shows the posting. A URL still holding a
    /// control character, `"`, `<`, `>` or a backtick is dropped too: no real link contains one
    /// unencoded, and their only use is breaking out of an attribute.
    ///
    /// - Parameter href: The attribute value with character references already decoded.
    static func safeLink(_ href: String) -> String? {
        let all = Array(href.unicodeScalars)
        guard let start = all.firstIndex(where: { $0.value > 0x20 }), let end = all.lastIndex(where: { $0.value > 0x20 }) else {
            return nil
        }
        var scalars = Array(all[start...end])
        scalars.removeAll { $0 == "\t" || $0 == "\n" || $0 == "\r" }
        let rejected = scalars.contains { scalar in
            scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar == "\"" || scalar == "<" || scalar == ">"
                || scalar == "`"
        }
        guard !rejected, let colon = scalars.firstIndex(of: ":"), colon > 0 else { return nil }
        // A scheme is a letter then letters, digits, `+`, `-` or `.`; anything else before the first
        // `:` (`/`, `?`, `#`, a space) makes the URL relative.
        let scheme = scalars[..<colon]
        guard let first = scheme.first, first.isASCIILetter,
            scheme.allSatisfy({ $0.isASCIILetter || ("0"..."9").contains($0) || $0 == "+" || $0 == "-" || $0 == "." })
        else { return nil }
        let rest = scalars[(colon + 1)...]
        switch String(String.UnicodeScalarView(scheme)).lowercased() {
        case "http", "https":
            // `//` (browsers read `\` as `/` here) and a host: `https:evil` and `https:///x` resolve
            // against the page's own address.
            let slashes: Set<Unicode.Scalar> = ["/", "\\"]
            let start = rest.startIndex
            guard rest.count > 2, slashes.contains(rest[start]), slashes.contains(rest[start + 1]),
                !slashes.union(["?", "#"]).contains(rest[start + 2])
            else { return nil }
        case "mailto":
            guard !rest.isEmpty else { return nil }
        default:
            return nil
        }
        return String(String.UnicodeScalarView(scalars))
    }

    /// A `colspan`/`rowspan` value: one to four digits, possibly padded with spaces, written without
    /// leading zeros.
    static func span(_ value: String) -> Int? {
        let scalars = Array(value.unicodeScalars)
        guard let start = scalars.firstIndex(where: { !TextNormalization.isSpace($0) }),
            let end = scalars.lastIndex(where: { !TextNormalization.isSpace($0) })
        else { return nil }
        let digits = scalars[start...end]
        guard digits.count <= 4, digits.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        return Int(String(String.UnicodeScalarView(digits)))
    }

    // MARK: - Reading

    /// The attributes between a tag's name and its `>`.
    ///
    /// Follows the HTML tokenizer: names run to whitespace, `/` or `=`; values are quoted or run
    /// to whitespace. A value whose quote never closes is dropped rather than guessed at.
    ///
    /// - Parameters:
    ///   - start: Just past the tag name.
    ///   - end: Just past the tag (``HTMLRenderer/endOfTag(in:from:)``).
    static func attributes(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> [Attribute] {
        let limit = end > start && bytes[end - 1] == UInt8(ascii: ">") ? end - 1 : end
        var attributes: [Attribute] = []
        var index = start
        func skipSpace() {
            while index < limit, isTagSpace(bytes[index]) { index += 1 }
        }
        while index < limit {
            while index < limit, isTagSpace(bytes[index]) || bytes[index] == UInt8(ascii: "/") { index += 1 }
            guard index < limit else { break }
            let nameStart = index
            index += 1  // a name may start with `=`
            while index < limit, !isTagSpace(bytes[index]), bytes[index] != UInt8(ascii: "/"), bytes[index] != UInt8(ascii: "=") {
                index += 1
            }
            let name = String(decoding: bytes[nameStart..<index].map { HTMLRenderer.isASCIILetter($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
            skipSpace()
            guard index < limit, bytes[index] == UInt8(ascii: "=") else {
                attributes.append(Attribute(name: name, value: ""))
                continue
            }
            index += 1
            skipSpace()
            guard index < limit else {
                attributes.append(Attribute(name: name, value: ""))
                break
            }
            let quote = bytes[index]
            if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                guard let close = bytes[(index + 1)..<limit].firstIndex(of: quote) else { break }
                attributes.append(Attribute(name: name, value: decodedValue(in: bytes, (index + 1)..<close)))
                index = close + 1
            } else {
                let valueStart = index
                while index < limit, !isTagSpace(bytes[index]) { index += 1 }
                attributes.append(Attribute(name: name, value: decodedValue(in: bytes, valueStart..<index)))
            }
        }
        return attributes
    }

    /// An attribute value with its character references decoded.
    ///
    /// As in browsers, a reference without its `;` followed by `=` stays literal inside an attribute,
    /// so a query string like `?a=1&lt=2` keeps its parameter.
    private static func decodedValue(in bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        var scalars = String.UnicodeScalarView()
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = bytes[index]
            if byte == UInt8(ascii: "&"), let reference = HTMLEntities.reference(in: bytes, at: index, limit: range.upperBound),
                !isLegacyReferenceBeforeEquals(in: bytes, at: index, end: reference.end, limit: range.upperBound)
            {
                scalars.append(reference.scalar)
                index = reference.end
            } else if byte < 0x80 {
                scalars.append(Unicode.Scalar(byte))
                index += 1
            } else {
                let decoded = TextNormalization.scalar(in: bytes, at: index, limit: range.upperBound)
                scalars.append(decoded.scalar)
                index += decoded.length
            }
        }
        return String(scalars)
    }

    private static func isLegacyReferenceBeforeEquals(in bytes: UnsafeBufferPointer<UInt8>, at start: Int, end: Int, limit: Int) -> Bool {
        bytes[start + 1] != UInt8(ascii: "#") && bytes[end - 1] != UInt8(ascii: ";") && end < limit
            && bytes[end] == UInt8(ascii: "=")
    }

    private static func isTagSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == 0x0C
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self)
    }
}
