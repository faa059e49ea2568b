import Foundation
import TextAnalysis

/// The few things the website provider needs from a page's HTML besides its text: the title, the
/// links, and the markup without navigation and footers.
///
/// ``HTMLText`` turns markup into text but keeps no attributes, so links (which need `href`) are read
/// here with a small forgiving scan in the same spirit: no DOM, never fails, linear in the input.
/// Everything that is text goes through ``HTMLText`` so entities and whitespace are handled in one place.
enum WebsiteHTML {
    /// One `<a href>` on a page.
    struct Link: Sendable, Equatable {
        /// The absolute URL, without its `#fragment`.
        var url: URL
        /// The link's visible text, or its `aria-label` or `title` when it has none.
        var text: String
    }

    /// The page's `<title>`, or its first `<h1>` when the title is missing or empty.
    static func title(in html: String) -> String? {
        let bytes = Array(html.utf8)
        let lower = lowercasedASCII(bytes)
        for tag in ["title", "h1"] {
            guard let open = find(Array("<\(tag)".utf8), in: lower, from: 0),
                let contentStart = tagEnd(in: bytes, from: open + tag.utf8.count + 1),
                let close = find(Array("</\(tag)".utf8), in: lower, from: contentStart)
            else { continue }
            let inner = String(decoding: bytes[contentStart..<close], as: UTF8.self)
            // The inner HTML of an `<h1>` may hold markup; a `<title>` holds text with entities.
            let text = tag == "title" ? HTMLText.decodingCharacterReferences(inner) : HTMLText.plainText(from: inner)
            let title = WebsiteTextMatching.collapsingWhitespace(text)
            if !title.isEmpty { return title }
        }
        return nil
    }

    /// Every `http`/`https` link on the page, resolved against `base` (or the page's `<base href>`), in
    /// document order. `mailto:`, `tel:`, `javascript:` and unparseable links are left out.
    static func links(in html: String, base: URL) -> [Link] {
        let bytes = Array(html.utf8)
        let lower = lowercasedASCII(bytes)
        var resolutionBase = base
        if let baseTag = find(Array("<base".utf8), in: lower, from: 0), let end = tagEnd(in: bytes, from: baseTag + 5),
            let href = attribute("href", in: bytes[(baseTag + 5)..<end]), let url = URL(string: href, relativeTo: base)
        {
            resolutionBase = url.absoluteURL
        }

        var links: [Link] = []
        var index = 0
        let anchorOpen = Array("<a".utf8)
        let anchorClose = Array("</a".utf8)
        while let open = find(anchorOpen, in: lower, from: index) {
            let afterName = open + 2
            index = afterName
            // `<a` must be the whole tag name (`<abbr>`, `<aside>` are not links).
            guard afterName < lower.count, isTagNameEnd(lower[afterName]), let contentStart = tagEnd(in: bytes, from: afterName) else {
                continue
            }
            let attributes = bytes[afterName..<contentStart]
            let close = find(anchorClose, in: lower, from: contentStart) ?? min(contentStart + 2_000, bytes.count)
            index = max(contentStart, close)
            guard let href = attribute("href", in: attributes), let url = resolve(href, against: resolutionBase) else { continue }
            var text = WebsiteTextMatching.collapsingWhitespace(
                HTMLText.plainText(from: String(decoding: bytes[contentStart..<close], as: UTF8.self))
            )
            if text.isEmpty {
                text = WebsiteTextMatching.collapsingWhitespace(
                    HTMLText.decodingCharacterReferences(
                        attribute("aria-label", in: attributes) ?? attribute("title", in: attributes) ?? "")
                )
            }
            links.append(Link(url: url, text: text))
        }
        return links
    }

    /// The HTML without `<nav>`, `<footer>` and `<template>` elements (and their content).
    ///
    /// Every page of a site repeats its menu and footer; left in, they would make a thin page look
    /// long enough to the quality gate and feed "About Team Careers" and "© 2025 … All rights
    /// reserved" to the readers on every page.
    static func removingChrome(from html: String) -> String {
        let bytes = Array(html.utf8)
        let lower = lowercasedASCII(bytes)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var copied = 0
        var index = 0
        while let open = find([UInt8(ascii: "<")], in: lower, from: index) {
            index = open + 1
            guard let name = chromeElements.first(where: { startsTag($0, in: lower, at: open) }) else { continue }
            let end = endOfElement(name, in: lower, bytes: bytes, openAt: open)
            output.append(contentsOf: bytes[copied..<open])
            copied = end
            index = end
        }
        output.append(contentsOf: bytes[copied...])
        return String(decoding: output, as: UTF8.self)
    }

    // MARK: - Scanning

    private static let chromeElements = ["nav", "footer", "template"]

    /// The index just past the `</name>` matching the element opened at `open`, counting nested
    /// elements of the same name; the end of the input when it is never closed.
    private static func endOfElement(_ name: String, in lower: [UInt8], bytes: [UInt8], openAt open: Int) -> Int {
        let closeTag = Array("</\(name)".utf8)
        var depth = 0
        var index = open
        while index < lower.count {
            guard let next = find([UInt8(ascii: "<")], in: lower, from: index) else { return lower.count }
            if startsTag(name, in: lower, at: next) {
                depth += 1
                index = tagEnd(in: bytes, from: next + 1 + name.utf8.count) ?? lower.count
            } else if matches(closeTag, in: lower, at: next),
                next + closeTag.count >= lower.count || isTagNameEnd(lower[next + closeTag.count])
            {
                depth -= 1
                index = tagEnd(in: bytes, from: next + closeTag.count) ?? lower.count
                if depth == 0 { return index }
            } else {
                index = next + 1
            }
        }
        return lower.count
    }

    /// Whether `<name` followed by a tag-name end starts at `index`.
    private static func startsTag(_ name: String, in lower: [UInt8], at index: Int) -> Bool {
        let open = Array("<\(name)".utf8)
        let end = index + open.count
        return matches(open, in: lower, at: index) && end < lower.count && isTagNameEnd(lower[end])
    }

    private static func isTagNameEnd(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n")
            || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }

    /// The index just past the `>` closing the tag whose attributes start at `start`, skipping quoted
    /// values; nil when the tag never closes.
    private static func tagEnd(in bytes: [UInt8], from start: Int) -> Int? {
        var index = start
        var quote: UInt8?
        while index < bytes.count {
            let byte = bytes[index]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                return index + 1
            }
            index += 1
        }
        return nil
    }

    /// The value of attribute `name` among a tag's attributes, entity-decoded.
    private static func attribute(_ name: String, in attributes: ArraySlice<UInt8>) -> String? {
        let lower = lowercasedASCII(Array(attributes))
        let raw = Array(attributes)
        let wanted = Array(name.utf8)
        var index = 0
        while let found = find(wanted, in: lower, from: index) {
            index = found + 1
            // The name must stand alone (`data-href` is not `href`) and be followed by `=`.
            if found > 0, !isSpace(lower[found - 1]) { continue }
            var cursor = found + wanted.count
            while cursor < lower.count, isSpace(lower[cursor]) { cursor += 1 }
            guard cursor < lower.count, lower[cursor] == UInt8(ascii: "=") else { continue }
            cursor += 1
            while cursor < lower.count, isSpace(lower[cursor]) { cursor += 1 }
            guard cursor < lower.count else { return "" }
            let value: ArraySlice<UInt8>
            if raw[cursor] == UInt8(ascii: "\"") || raw[cursor] == UInt8(ascii: "'") {
                let quote = raw[cursor]
                let end = raw[(cursor + 1)...].firstIndex(of: quote) ?? raw.count
                value = raw[(cursor + 1)..<end]
            } else {
                let end = raw[cursor...].firstIndex { isSpace($0) || $0 == UInt8(ascii: ">") } ?? raw.count
                value = raw[cursor..<end]
            }
            return HTMLText.decodingCharacterReferences(String(decoding: value, as: UTF8.self))
        }
        return nil
    }

    /// An `href` as an absolute `http`/`https` URL without a fragment, or nil.
    static func resolve(_ href: String, against base: URL) -> URL? {
        let trimmed = WebsiteTextMatching.trimmed(href)
        guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return nil }
        guard let url = URL(string: trimmed, relativeTo: base)?.absoluteURL,
            var components = URLComponents(url: url, resolvingAgainstBaseURL: false),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            components.host?.isEmpty == false
        else { return nil }
        components.fragment = nil
        return components.url
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
            || byte == 0x0C
    }

    /// `bytes` with ASCII letters lowercased; other bytes (all of UTF-8's multi-byte sequences) keep
    /// their value, so indexes into the copy are indexes into the original.
    private static func lowercasedASCII(_ bytes: [UInt8]) -> [UInt8] {
        bytes.map { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) ? $0 | 0x20 : $0 }
    }

    private static func matches(_ needle: [UInt8], in haystack: [UInt8], at index: Int) -> Bool {
        guard index >= 0, index + needle.count <= haystack.count else { return false }
        var offset = 0
        while offset < needle.count {
            if haystack[index + offset] != needle[offset] { return false }
            offset += 1
        }
        return true
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, start < haystack.count else { return nil }
        var index = max(start, 0)
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first, matches(needle, in: haystack, at: index) { return index }
            index += 1
        }
        return nil
    }
}
