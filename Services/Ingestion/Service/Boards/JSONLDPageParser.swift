import Domain
import Foundation

/// Reads the schema.org `JobPosting` structured data of any careers page: the JSON-LD that Google's
/// job search asks employers to embed (https://developers.google.com/search/docs/appearance/structured-data/job-posting).
///
/// For pages of no board the ingestion knows. Every `<script type="application/ld+json">` block is
/// read, however the tag is written (attribute order, quotes, case, a `; charset` suffix), and
/// `JobPosting` nodes are collected wherever the page's generator put them: a lone object, an array,
/// an `@graph`, or nested (`mainEntity`, an `ItemList`). `@id` references (`"hiringOrganization":
/// {"@id": "#org"}`) are followed to the node they name anywhere on the page. A payload that is
/// JSON-LD itself rather than a page (`{"@context": ...}`) is read as one block.
///
/// Per posting: `title` (or `name`), `description` (HTML, unescaped when a CMS wrote it as
/// `&lt;p&gt;`), `datePosted`, `hiringOrganization.name`, `jobLocation` as "locality, region,
/// country", `jobLocationType: TELECOMMUTE` as remote with `applicantLocationRequirements` as its
/// locations, `employmentType` (joined when a list), `baseSalary`, `identifier` as the ID, `url`
/// (else the page) as its URL and, when `directApply` is true, as the apply URL. `validThrough` and
/// `hiringOrganization.sameAs` have no field in `JobPosting` and stay in `raw`.
///
/// A posting without a title, a hiring organization's name or a description is rejected with the
/// reason. A malformed block that mentions `JobPosting` is rejected as a whole and the other blocks
/// still count; a broken block about anything else (breadcrumbs, the site's search box) is not a
/// posting and is passed over.
///
/// ```swift
/// let page = try JSONLDPageParser().parse(html, context: BoardContext(source: "acme", board: "acme", url: pageURL))
/// ```
public struct JSONLDPageParser: BoardParser {
    public init() {}

    public func parse(_ data: Data, context: BoardContext) throws -> BoardPage {
        let bytes = Array(BoardValues.withoutByteOrderMark(data))
        var blocks = Self.scriptBlocks(in: bytes)
        if blocks.isEmpty, let first = bytes.first(where: { !Self.isSpace($0) }), first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            blocks = [String(decoding: bytes, as: UTF8.self)]
        }
        var page = BoardPage()
        var documents: [Any] = []
        for (index, block) in blocks.enumerated() {
            do throws(MalformedBlock) {
                documents.append(try Self.json(block))
            } catch {
                if block.contains("JobPosting") {
                    page.rejected.append(RejectedPosting(reference: "ld+json block #\(index)", reason: "malformed JSON-LD: \(error.message)"))
                }
            }
        }
        var nodes: [[String: Any]] = []
        var identified: [String: [String: Any]] = [:]
        for document in documents {
            Self.collect(in: document, postings: &nodes, identified: &identified, depth: 0)
        }
        guard !nodes.isEmpty || !page.rejected.isEmpty else {
            throw IngestionError.unreadablePayload("no schema.org JobPosting JSON-LD on the page")
        }
        let reader = Reader(identified: identified, context: context)
        var contentByID: [String: String] = [:]
        for (index, node) in nodes.enumerated() {
            do throws(BoardValues.Rejection) {
                var posting = try reader.posting(from: node)
                if let seen = contentByID[posting.externalID] {
                    // The same posting marked up twice (two plugins, a block repeated in the body).
                    if seen == posting.contentHash { continue }
                    // Postings without an identifier or URL of their own share the page's URL.
                    posting.externalID += "#\(index)"
                }
                contentByID[posting.externalID] = posting.contentHash
                page.postings.append(posting)
            } catch {
                page.rejected.append(RejectedPosting(reference: reader.identifier(of: node) ?? "#\(index)", reason: error.reason))
            }
        }
        return page
    }

    // MARK: - Finding the JSON-LD

    /// The text of every `<script>` whose `type` is `application/ld+json`, in page order.
    ///
    /// Scans bytes rather than parsing HTML: a script's content runs to the first `</script`
    /// whatever it holds, which is also how browsers read it.
    static func scriptBlocks(in bytes: [UInt8]) -> [String] {
        var blocks: [String] = []
        var position = 0
        while let open = find("<script", in: bytes, from: position) {
            let afterName = open + 7
            // `<scripts>` or `<script-x>` is another tag.
            guard afterName < bytes.count,
                  isSpace(bytes[afterName]) || bytes[afterName] == UInt8(ascii: ">") || bytes[afterName] == UInt8(ascii: "/") else {
                position = afterName
                continue
            }
            guard let tagEnd = endOfTag(in: bytes, from: afterName) else { break }
            guard let close = find("</script", in: bytes, from: tagEnd + 1) else { break }
            if isJSONLDType(attribute("type", in: bytes[afterName..<tagEnd])) {
                blocks.append(String(decoding: bytes[(tagEnd + 1)..<close], as: UTF8.self))
            }
            position = close + 8
        }
        return blocks
    }

    /// `application/ld+json`, in any case, with or without parameters (`; charset=utf-8`).
    static func isJSONLDType(_ type: String?) -> Bool {
        guard let type else { return false }
        let mediaType = type.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "application/ld+json"
    }

    /// The value of one attribute in a start tag's attribute bytes, quoted with `"`, `'` or not at
    /// all; an attribute without a value is the empty string.
    ///
    /// Read byte by byte: a page can hold thousands of script tags, and this runs for each of them.
    static func attribute(_ name: String, in tag: ArraySlice<UInt8>) -> String? {
        let wanted = Array(name.lowercased().utf8)
        let equals = UInt8(ascii: "="), slash = UInt8(ascii: "/")
        var index = tag.startIndex
        while index < tag.endIndex {
            let start = index
            while index < tag.endIndex, isSpace(tag[index]) || tag[index] == slash { index += 1 }
            let nameStart = index
            while index < tag.endIndex, !isSpace(tag[index]), tag[index] != equals, tag[index] != slash { index += 1 }
            let attributeName = tag[nameStart..<index]
            while index < tag.endIndex, isSpace(tag[index]) { index += 1 }
            var value: ArraySlice<UInt8> = []
            if index < tag.endIndex, tag[index] == equals {
                index += 1
                while index < tag.endIndex, isSpace(tag[index]) { index += 1 }
                if index < tag.endIndex, tag[index] == UInt8(ascii: "\"") || tag[index] == UInt8(ascii: "'") {
                    let quote = tag[index]
                    index += 1
                    let valueStart = index
                    while index < tag.endIndex, tag[index] != quote { index += 1 }
                    value = tag[valueStart..<index]
                    if index < tag.endIndex { index += 1 }
                } else {
                    let valueStart = index
                    while index < tag.endIndex, !isSpace(tag[index]) { index += 1 }
                    value = tag[valueStart..<index]
                }
            }
            if attributeName.map(lowercased).elementsEqual(wanted), !attributeName.isEmpty {
                return String(decoding: value, as: UTF8.self)
            }
            if index == start { index += 1 }
        }
        return nil
    }

    /// The `>` that ends a start tag, skipping any inside quoted attribute values.
    static func endOfTag(in bytes: [UInt8], from start: Int) -> Int? {
        var quote: UInt8?
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                return index
            }
            index += 1
        }
        return nil
    }

    /// The first occurrence of an ASCII needle, ignoring case.
    static func find(_ needle: String, in bytes: [UInt8], from start: Int) -> Int? {
        let pattern = Array(needle.lowercased().utf8)
        guard !pattern.isEmpty, bytes.count >= pattern.count else { return nil }
        var index = max(start, 0)
        while index <= bytes.count - pattern.count {
            var matched = true
            for offset in 0..<pattern.count where lowercased(bytes[index + offset]) != pattern[offset] {
                matched = false
                break
            }
            if matched { return index }
            index += 1
        }
        return nil
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
    }

    struct MalformedBlock: Error {
        var message: String
    }

    /// One block's JSON.
    ///
    /// Pages wrap the JSON in the HTML comment or CDATA guards of old browsers, and templates print
    /// descriptions with raw line breaks inside JSON strings, which JSON forbids but every browser-side
    /// consumer tolerates; both are undone before giving up on the block.
    static func json(_ block: String) throws(MalformedBlock) -> Any {
        var text = block.trimmingCharacters(in: .whitespacesAndNewlines)
        for (open, close) in [("<!--", "-->"), ("//<![CDATA[", "//]]>"), ("/*<![CDATA[*/", "/*]]>*/"), ("<![CDATA[", "]]>")]
        where text.hasPrefix(open) && text.hasSuffix(close) && text.count >= open.count + close.count {
            text = String(text.dropFirst(open.count).dropLast(close.count)).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard !text.isEmpty else { throw MalformedBlock(message: "the block is empty") }
        do {
            return try JSONSerialization.jsonObject(with: Data(text.utf8))
        } catch {
            let escaped = escapingControlCharactersInStrings(text)
            if escaped != text, let json = try? JSONSerialization.jsonObject(with: Data(escaped.utf8)) { return json }
            throw MalformedBlock(message: "not valid JSON (\(text.utf8.count) bytes): \(error.localizedDescription)")
        }
    }

    /// JSON text with raw control characters inside string literals escaped (`\n` for a line break).
    static func escapingControlCharactersInStrings(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var inString = false
        var escaping = false
        for scalar in text.unicodeScalars {
            if inString {
                if escaping {
                    escaping = false
                } else if scalar == "\\" {
                    escaping = true
                } else if scalar == "\"" {
                    inString = false
                } else if scalar.value < 0x20 {
                    let escape = switch scalar {
                    case "\n": "\\n"
                    case "\r": "\\r"
                    case "\t": "\\t"
                    default: String(format: "\\u%04x", scalar.value)
                    }
                    result.append(contentsOf: escape.unicodeScalars)
                    continue
                }
            } else if scalar == "\"" {
                inString = true
            }
            result.append(scalar)
        }
        return String(result)
    }

    // MARK: - Finding the postings

    /// Whether a node's `@type` (a string or a list) names schema.org's `JobPosting`, written bare,
    /// prefixed (`schema:JobPosting`) or as a full IRI.
    static func isJobPosting(_ node: [String: Any]) -> Bool {
        let types: [Any] = (node["@type"] as? [Any]) ?? [node["@type"] as Any]
        return types.contains { type in
            guard let type = type as? String else { return false }
            return type == "JobPosting" || type.hasSuffix(":JobPosting") || type.hasSuffix("/JobPosting")
        }
    }

    /// How deep the search goes into a page's graph; JSON-LD is shallow, and pages are untrusted.
    static let maximumDepth = 32

    /// Walks the JSON for `JobPosting` nodes, and indexes every node that has an `@id` so references
    /// to it can be followed.
    static func collect(in value: Any, postings: inout [[String: Any]], identified: inout [String: [String: Any]], depth: Int) {
        guard depth < maximumDepth else { return }
        if let list = value as? [Any] {
            for element in list { collect(in: element, postings: &postings, identified: &identified, depth: depth + 1) }
            return
        }
        guard let node = value as? [String: Any] else { return }
        if let id = node["@id"] as? String, node.count > 1 { identified[id] = node }
        if isJobPosting(node) {
            postings.append(node)
            // A posting's own values (its organization, its places) are only indexed, never postings.
            for (_, child) in node { index(child, into: &identified, depth: depth + 1) }
            return
        }
        for (_, child) in node { collect(in: child, postings: &postings, identified: &identified, depth: depth + 1) }
    }

    private static func index(_ value: Any, into identified: inout [String: [String: Any]], depth: Int) {
        guard depth < maximumDepth else { return }
        if let list = value as? [Any] {
            for element in list { index(element, into: &identified, depth: depth + 1) }
        } else if let node = value as? [String: Any] {
            if let id = node["@id"] as? String, node.count > 1, identified[id] == nil { identified[id] = node }
            for (_, child) in node { index(child, into: &identified, depth: depth + 1) }
        }
    }

    // MARK: - Reading a posting

    /// Reads `JobPosting` nodes, resolving references against the nodes the page identified.
    struct Reader {
        var identified: [String: [String: Any]]
        var context: BoardContext

        func posting(from node: [String: Any]) throws(BoardValues.Rejection) -> JobPosting {
            guard let title = plainText(node["title"]) ?? plainText(node["name"]) else { throw BoardValues.Rejection("missing \"title\"") }
            let organization = resolved(node["hiringOrganization"])
            guard let company = plainText((organization as? [String: Any])?["name"]) ?? plainText(organization) else {
                throw BoardValues.Rejection("missing \"hiringOrganization\" name")
            }
            let html = try BoardValues.requireDescription(html: description(node["description"]))
            let remote = strings(node["jobLocationType"]).contains { $0.uppercased() == "TELECOMMUTE" }
            var locations: [String] = []
            let places = strings(node["jobLocation"], reading: place)
                + (remote ? strings(node["applicantLocationRequirements"], reading: area) : [])
            for location in places where !locations.contains(location) {
                locations.append(location)
            }
            let jobURL = text(node["url"]).map { resolve($0) } ?? context.url
            guard let id = identifier(of: node) ?? jobURL else {
                throw BoardValues.Rejection("no identifier, url or page URL to identify it")
            }
            let employmentTypes = strings(node["employmentType"])
            return JobPosting(
                source: context.source,
                externalID: id,
                title: title,
                company: company,
                locations: locations,
                isRemote: remote ? true : nil,
                workplaceType: remote ? .remote : nil,
                employmentType: employmentTypes.isEmpty ? nil : employmentTypes.joined(separator: ", "),
                salary: salary(node["baseSalary"]),
                postedAt: BoardValues.isoDate(text(node["datePosted"])),
                jobURL: jobURL,
                applyURL: BoardValues.bool(node["directApply"]) == true ? jobURL : nil,
                descriptionHTML: html,
                raw: BoardValues.raw(node)
            )
        }

        /// The posting's own ID: `identifier` as a `PropertyValue` (its `value`), a string or a number;
        /// else the posting's own URL. The page's URL is the caller's last resort.
        func identifier(of node: [String: Any]) -> String? {
            let identifier = resolved(node["identifier"])
            let value = (identifier as? [String: Any]).flatMap { text($0["value"]) ?? text($0["@id"]) } ?? text(identifier)
            return value ?? text(node["url"]).map { resolve($0) }
        }

        /// The description as HTML: pages that escape it (`&lt;p&gt;`) have it unescaped once.
        func description(_ value: Any?) -> String? {
            guard let html = text(value) else { return nil }
            let hasMarkup = html.range(of: "<[a-zA-Z/!]", options: .regularExpression) != nil
            return !hasMarkup && html.contains("&lt;") ? BoardValues.unescapingHTMLEntities(html) : html
        }

        /// A `Place` (or its `PostalAddress`) as "locality, region, country".
        func place(_ value: Any?) -> String? {
            let value = resolved(value)
            guard let place = value as? [String: Any] else { return plainText(value) }
            if let address = resolved(place["address"]) {
                let addresses = (address as? [Any]) ?? [address]
                if let written = addresses.lazy.compactMap({ self.postalAddress($0) }).first { return written }
            }
            // A PostalAddress given directly as the job location, or a Place known only by name.
            return postalAddress(place) ?? plainText(place["name"])
        }

        func postalAddress(_ value: Any?) -> String? {
            let value = resolved(value)
            guard let address = value as? [String: Any] else { return plainText(value) }
            var parts: [String] = []
            for key in ["addressLocality", "addressRegion", "addressCountry"] {
                if let part = area(address[key]), !parts.contains(part) { parts.append(part) }
            }
            return parts.isEmpty ? nil : parts.joined(separator: ", ")
        }

        /// A `Country`, `State` or `AdministrativeArea` by its name, or a name given as a string.
        func area(_ value: Any?) -> String? {
            let value = resolved(value)
            if let area = value as? [String: Any] { return plainText(area["name"]) }
            return plainText(value)
        }

        /// `baseSalary`: a `MonetaryAmount` whose `value` is a number or a `QuantitativeValue`
        /// (`value`, or `minValue`/`maxValue`, with `unitText` HOUR…YEAR), or just a number.
        func salary(_ value: Any?) -> Salary? {
            let value = resolved(value)
            if let list = value as? [Any] { return list.lazy.compactMap { self.salary($0) }.first }
            guard let amount = value as? [String: Any] else {
                return BoardValues.number(value).map { Salary(minimum: $0, maximum: $0) }
            }
            let currency = text(amount["currency"])?.uppercased()
            let quantity = resolved(amount["value"])
            var minimum: Double?
            var maximum: Double?
            var unit = amount["unitText"]
            if let quantity = quantity as? [String: Any] {
                let exact = BoardValues.number(quantity["value"])
                minimum = BoardValues.number(quantity["minValue"]) ?? exact
                maximum = BoardValues.number(quantity["maxValue"]) ?? exact
                unit = quantity["unitText"] ?? unit
            } else {
                minimum = BoardValues.number(quantity)
                maximum = minimum
            }
            guard minimum != nil || maximum != nil else { return nil }
            return Salary(minimum: minimum, maximum: maximum, currency: currency, interval: BoardValues.salaryInterval(text(unit)))
        }

        // MARK: JSON-LD values

        /// A node that stands for another by reference (`{"@id": "#org"}`), replaced by that node.
        func resolved(_ value: Any?) -> Any? {
            if let node = value as? [String: Any], node.count == 1, let id = node["@id"] as? String, let target = identified[id] {
                return target
            }
            return value
        }

        /// A value's text: JSON-LD may write a string as `{"@value": ...}` or a list of one.
        func text(_ value: Any?) -> String? {
            switch value {
            case let list as [Any]: list.lazy.compactMap { self.text($0) }.first
            case let literal as [String: Any]: BoardValues.text(literal["@value"])
            default: BoardValues.text(value)
            }
        }

        /// Text that is not HTML (a title, a name), with the entities pages put in it decoded.
        func plainText(_ value: Any?) -> String? {
            text(value).flatMap { BoardValues.text(BoardValues.unescapingHTMLEntities($0)) }
        }

        /// Every text of a value that may be one or a list.
        func strings(_ value: Any?) -> [String] {
            strings(value, reading: plainText)
        }

        func strings(_ value: Any?, reading read: (Any?) -> String?) -> [String] {
            if let list = value as? [Any] { return list.compactMap(read) }
            return read(value).map { [$0] } ?? []
        }

        /// A link made absolute against the page it was on.
        func resolve(_ link: String) -> String {
            guard URL(string: link)?.scheme == nil, let page = context.url.flatMap(URL.init(string:)),
                  let absolute = URL(string: link, relativeTo: page)?.absoluteString else { return link }
            return absolute
        }
    }
}
