import Domain
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads job feeds: RSS 2.0 (and its RSS 1.0/RDF ancestor) and Atom 1.0, such as We Work Remotely's
/// `https://weworkremotely.com/remote-jobs.rss`.
///
/// Feeds have no job vocabulary of their own, so each board bends the format: We Work Remotely writes
/// the company into the title (`Mathmo: Maths Coach`) and adds `region`, `country` and `type`
/// elements; Stack Overflow's old feed named the company as the entry's author. The parser reads,
/// for each `<item>`/`<entry>`:
/// - the ID from `guid` (Atom: `id`), else the link;
/// - the company from a company element, else a structured author's name, else the `Company: Title`
///   split of the title, else the feed's author or title, else the board name;
/// - the locations from `location`, `region` and `country`; remote work from a remote-only board's
///   host (We Work Remotely and the like) or a location that says "remote";
/// - the employment type from `type` (`job_type`, `employment_type`);
/// - the date from `pubDate` (RFC 822) or `published`/`updated`/`dc:date` (RFC 3339), in the zone given;
/// - the description from `content:encoded`, `description`, Atom `content` or `summary`, as HTML.
///
/// An entry with no title, or nothing to identify it by, is rejected with the reason. A document
/// whose root is not `rss`, `RDF` or `feed` is not a feed and is an error.
///
/// ```swift
/// let page = try FeedBoardParser().parse(body, context: BoardContext(source: "wwr", board: "weworkremotely"))
/// ```
public struct FeedBoardParser: BoardParser {
    public init() {}

    /// Boards that list nothing but remote work, by host: their postings are remote even when the
    /// entry itself does not say so.
    static let remoteOnlyHosts = [
        "weworkremotely.com", "remotive.com", "remoteok.com", "remoteok.io", "himalayas.app",
        "workingnomads.com", "jobspresso.co", "remote.co", "justremote.co",
    ]

    public func parse(_ data: Data, context: BoardContext) throws -> BoardPage {
        let root = try XMLTree.read(data)
        let feed: FeedInfo
        let entries: [FeedEntry]
        switch root.localName.lowercased() {
        case "rss", "rdf":
            (feed, entries) = Self.readRSS(root)
        case "feed":
            (feed, entries) = Self.readAtom(root)
        default:
            throw IngestionError.unreadablePayload("not an RSS or Atom feed (root element <\(root.name)>)")
        }
        var page = BoardPage()
        for (index, entry) in entries.enumerated() {
            do throws(BoardValues.Rejection) {
                page.postings.append(try Self.posting(from: entry, feed: feed, context: context))
            } catch {
                page.rejected.append(RejectedPosting(reference: entry.id ?? entry.link ?? "#\(index)", reason: error.reason))
            }
        }
        return page
    }

    // MARK: - Normalizing

    /// What the feed says about itself, the fallback for what its entries leave out.
    struct FeedInfo {
        var title: String?
        var author: String?
        var link: String?
    }

    /// One `<item>` or `<entry>`, read into the fields a posting needs, before normalizing.
    struct FeedEntry {
        var id: String?
        var title: String?
        var company: String?
        var link: String?
        var locations: [String] = []
        var employmentType: String?
        var postedAt: Date?
        var descriptionHTML: String?
        var raw: [String: Any] = [:]
    }

    static func posting(from entry: FeedEntry, feed: FeedInfo, context: BoardContext) throws(BoardValues.Rejection) -> JobPosting {
        guard var title = entry.title else { throw BoardValues.Rejection("missing title") }
        guard let id = entry.id ?? entry.link else { throw BoardValues.Rejection("no guid, id or link to identify it") }
        var company = entry.company
        if company == nil, let split = splitCompany(from: title) {
            (company, title) = split
        }
        let html = try BoardValues.requireDescription(html: entry.descriptionHTML)
        let jobURL = entry.link.map { resolve($0, against: context.url ?? feed.link) }
        let remote = [jobURL, feed.link, context.url].contains { isRemoteOnlyBoard($0) }
            || entry.locations.contains { $0.range(of: #"\bremote\b"#, options: [.regularExpression, .caseInsensitive]) != nil }
        return JobPosting(
            source: context.source,
            externalID: id,
            title: title,
            company: company ?? feed.author ?? feed.title ?? BoardValues.companyName(fromBoard: context.board),
            locations: entry.locations,
            isRemote: remote ? true : nil,
            workplaceType: remote ? .remote : nil,
            employmentType: entry.employmentType,
            postedAt: entry.postedAt,
            jobURL: jobURL,
            descriptionHTML: html,
            raw: BoardValues.raw(entry.raw)
        )
    }

    /// `Mathmo: Maths Coach` → (`Mathmo`, `Maths Coach`): We Work Remotely's way of naming the company.
    ///
    /// Only used when the entry names no company otherwise, so a feed whose titles merely contain a
    /// colon keeps them whole as long as it says who is hiring.
    static func splitCompany(from title: String) -> (company: String, title: String)? {
        guard let colon = title.range(of: ": "),
              let company = BoardValues.text(String(title[..<colon.lowerBound])),
              let role = BoardValues.text(String(title[colon.upperBound...])) else { return nil }
        return (company, role)
    }

    static func isRemoteOnlyBoard(_ url: String?) -> Bool {
        guard let url, let host = URL(string: url)?.host?.lowercased() else { return false }
        return remoteOnlyHosts.contains { host == $0 || host.hasSuffix("." + $0) }
    }

    /// A relative link (Atom allows them) made absolute against the feed's own URL.
    static func resolve(_ link: String, against base: String?) -> String {
        guard URL(string: link)?.scheme == nil, let base, let baseURL = URL(string: base),
              let absolute = URL(string: link, relativeTo: baseURL)?.absoluteString else { return link }
        return absolute
    }

    /// Names of the elements boards put their own job fields in, matched without namespace prefix.
    static let companyNames: Set<String> = ["company", "companyname", "company_name", "employer", "hiringorganization"]
    static let locationNames = ["location", "region", "country"]
    static let employmentTypeNames: Set<String> = ["type", "job_type", "jobtype", "employment_type", "employmenttype"]

    /// The board-specific fields RSS and Atom entries share.
    static func extensionFields(of element: Element, into entry: inout FeedEntry) {
        entry.company = element.children.lazy
            .filter { companyNames.contains($0.localName.lowercased()) }
            .compactMap { BoardValues.text($0.text) }
            .first
            ?? element.children.lazy
            .filter { $0.localName == "author" }
            .compactMap { BoardValues.text($0.child(local: "name")?.text) }
            .first
        for name in locationNames {
            for child in element.children where child.localName.lowercased() == name {
                if let place = BoardValues.text(child.text), !entry.locations.contains(place) { entry.locations.append(place) }
            }
        }
        entry.employmentType = element.children.lazy
            .filter { employmentTypeNames.contains($0.localName.lowercased()) }
            .compactMap { BoardValues.text($0.text) }
            .first
        entry.raw = element.jsonObject()
    }

    /// A date in any of the forms feeds write: RFC 822 for RSS, RFC 3339 for Atom and Dublin Core.
    static func date(_ text: String?) -> Date? {
        BoardValues.rfc822Date(text) ?? BoardValues.isoDate(text)
    }

    // MARK: - RSS

    static func readRSS(_ root: Element) -> (FeedInfo, [FeedEntry]) {
        let channel = root.child("channel")
        let feed = FeedInfo(
            title: BoardValues.text(channel?.child("title")?.text),
            link: BoardValues.text(channel?.child("link")?.text)
        )
        // RSS 2.0 nests items in the channel; RSS 1.0 puts them beside it.
        let items = (channel?.children.filter { $0.name == "item" } ?? []) + root.children.filter { $0.name == "item" }
        let entries = items.map { item in
            var entry = FeedEntry()
            extensionFields(of: item, into: &entry)
            let guid = BoardValues.text(item.child("guid")?.text)
            let link = BoardValues.text(item.child("link")?.text)
            entry.id = guid
            // A guid that is a permalink (the default) is the item's URL when there is no <link>.
            let guidIsLink = item.child("guid")?.attributes["isPermaLink"]?.lowercased() != "false"
                && guid.flatMap { URL(string: $0)?.scheme } != nil
            entry.link = link ?? (guidIsLink ? guid : nil)
            entry.title = BoardValues.text(item.child("title")?.text)
            entry.postedAt = date(item.child("pubDate")?.text) ?? date(item.child("dc:date")?.text)
            entry.descriptionHTML = BoardValues.text(item.child("content:encoded")?.text) ?? BoardValues.text(item.child("description")?.text)
            return entry
        }
        return (feed, entries)
    }

    // MARK: - Atom

    static func readAtom(_ root: Element) -> (FeedInfo, [FeedEntry]) {
        // Atom elements carry the root's prefix when the feed binds Atom to one (`atom:entry`).
        let prefix = root.name.contains(":") ? String(root.name.prefix { $0 != ":" }) + ":" : ""
        func child(_ element: Element, _ name: String) -> Element? { element.child(prefix + name) }
        let feed = FeedInfo(
            title: child(root, "title").flatMap(atomText),
            author: child(root, "author").flatMap { BoardValues.text(child($0, "name")?.text) },
            link: atomLink(root, prefix: prefix)
        )
        let entries = root.children.filter { $0.name == prefix + "entry" }.map { element in
            var entry = FeedEntry()
            extensionFields(of: element, into: &entry)
            entry.id = BoardValues.text(child(element, "id")?.text)
            entry.link = atomLink(element, prefix: prefix)
            entry.title = child(element, "title").flatMap(atomText)
            entry.postedAt = date(child(element, "published")?.text) ?? date(child(element, "updated")?.text)
            // Out-of-line content (`src=`) is not here to read; the summary stands in for it.
            let content = child(element, "content").flatMap { $0.attributes["src"] == nil ? atomHTML($0) : nil }
            entry.descriptionHTML = content ?? child(element, "summary").flatMap(atomHTML)
            return entry
        }
        return (feed, entries)
    }

    /// The entry's page: the `alternate` link (the default relation), else the first link with an href.
    static func atomLink(_ element: Element, prefix: String) -> String? {
        let links = element.children.filter { $0.name == prefix + "link" }
        let alternate = links.first { ($0.attributes["rel"] ?? "alternate") == "alternate" && $0.attributes["href"] != nil }
        return BoardValues.text((alternate ?? links.first { $0.attributes["href"] != nil })?.attributes["href"])
    }

    /// An Atom text construct as plain text: `html` has its markup removed, `xhtml` its elements.
    static func atomText(_ element: Element) -> String? {
        switch element.attributes["type"]?.lowercased() {
        case "html":
            let stripped = element.text.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
            return BoardValues.text(BoardValues.unescapingHTMLEntities(stripped))
        default:
            return BoardValues.text(element.text)
        }
    }

    /// An Atom text construct as HTML. `text` is escaped into paragraphs, except that text which is
    /// visibly HTML is kept as such: feeds often leave out `type="html"`.
    static func atomHTML(_ element: Element) -> String? {
        switch element.attributes["type"]?.lowercased() {
        case "xhtml":
            // The content is one XHTML `div` wrapping the markup; the div itself is not content.
            let container = element.children.count == 1 && element.children[0].localName == "div" ? element.children[0] : element
            return BoardValues.text(container.innerMarkup())
        case "html":
            return BoardValues.text(element.text)
        default:
            guard let text = BoardValues.text(element.text) else { return nil }
            return text.range(of: "<[a-zA-Z/][^>]*>", options: .regularExpression) != nil ? text : BoardValues.paragraphs(fromPlainText: text)
        }
    }
}

// MARK: - The XML tree

extension FeedBoardParser {
    /// One element of a feed document, with its content in document order.
    ///
    /// Feeds are small (a board's current postings), so the parser builds the whole tree and the
    /// reading code walks it, instead of a streaming state machine per format.
    struct Element {
        enum Node {
            case element(Element)
            case text(String)
        }

        /// The qualified name as written (`item`, `content:encoded`, `atom:link`).
        var name: String
        var attributes: [String: String]
        var nodes: [Node] = []

        /// The name without its namespace prefix.
        var localName: String {
            guard let colon = name.lastIndex(of: ":") else { return name }
            return String(name[name.index(after: colon)...])
        }

        var children: [Element] {
            nodes.compactMap { if case .element(let element) = $0 { element } else { nil } }
        }

        /// The first child with exactly this qualified name (so `title` never matches `media:title`).
        func child(_ qualifiedName: String) -> Element? {
            for case .element(let element) in nodes where element.name == qualifiedName { return element }
            return nil
        }

        func child(local: String) -> Element? {
            for case .element(let element) in nodes where element.localName == local { return element }
            return nil
        }

        /// All the text inside, markup removed.
        var text: String {
            nodes.map {
                switch $0 {
                case .text(let text): text
                case .element(let element): element.text
                }
            }.joined()
        }

        /// The content serialized back to markup, for Atom's inline XHTML.
        func innerMarkup() -> String {
            var markup = ""
            for node in nodes {
                switch node {
                case .text(let text):
                    markup += Self.escaped(text, quotes: false)
                case .element(let element):
                    let name = element.localName
                    markup += "<" + name
                    for (key, value) in element.attributes.sorted(by: { $0.key < $1.key }) where !key.hasPrefix("xmlns") {
                        markup += " \(key)=\"\(Self.escaped(value, quotes: true))\""
                    }
                    let inner = element.innerMarkup()
                    markup += inner.isEmpty && Self.voidElements.contains(name.lowercased()) ? " />" : ">\(inner)</\(name)>"
                }
            }
            return markup
        }

        private static let voidElements: Set<String> = ["br", "hr", "img", "input", "meta", "link", "area", "base", "col", "wbr", "source"]

        private static func escaped(_ text: String, quotes: Bool) -> String {
            var result = text.replacingOccurrences(of: "&", with: "&amp;")
                .replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;")
            if quotes { result = result.replacingOccurrences(of: "\"", with: "&quot;") }
            return result
        }

        /// The element as a JSON object for `JobPosting.raw`: each child by its qualified name (an array
        /// when repeated), attributes as `@name`, the element's own text as `#text`.
        func jsonObject() -> [String: Any] {
            var object: [String: Any] = [:]
            for (key, value) in attributes { object["@" + key] = value }
            if attributes["type"]?.lowercased() == "xhtml" {
                object["#text"] = innerMarkup()
                return object
            }
            var ownText = ""
            for node in nodes {
                switch node {
                case .text(let text):
                    ownText += text
                case .element(let element):
                    let value: Any = element.attributes.isEmpty && element.children.isEmpty
                        ? element.text.trimmingCharacters(in: .whitespacesAndNewlines)
                        : element.jsonObject()
                    switch object[element.name] {
                    case nil: object[element.name] = value
                    case var list as [Any]:
                        list.append(value)
                        object[element.name] = list
                    case let single?: object[element.name] = [single, value]
                    }
                }
            }
            if let text = BoardValues.text(ownText) { object["#text"] = text }
            return object
        }
    }

    /// Builds an `Element` tree with Foundation's `XMLParser`.
    enum XMLTree {
        /// The document's root element.
        ///
        /// - Throws: `IngestionError.unreadablePayload` when the bytes are not well-formed XML, or their
        ///   root is not a feed's (parsing stops at the root then: an HTML page is not read to its end).
        static func read(_ data: Data) throws -> Element {
            let builder = TreeBuilder()
            // From a stream, not `XMLParser(data:)`: given the whole buffer, Foundation hands libxml2
            // one chunk, and libxml2 refuses a chunk over 10 MB; a stream is fed in pieces.
            let parser = XMLParser(stream: InputStream(data: data))
            parser.shouldProcessNamespaces = false
            parser.shouldResolveExternalEntities = false
            parser.delegate = builder
            let finished = parser.parse()
            if let other = builder.foreignRoot {
                throw IngestionError.unreadablePayload("not an RSS or Atom feed (root element <\(other)>)")
            }
            guard finished, let root = builder.root else {
                let reason = parser.parserError.map { " at line \(parser.lineNumber): \($0.localizedDescription)" } ?? ""
                throw IngestionError.unreadablePayload("not a well-formed RSS or Atom feed (\(data.count) bytes)\(reason)")
            }
            return root
        }

        /// The parser's delegate. Used by one parse on one thread, and discarded with it.
        private final class TreeBuilder: NSObject, XMLParserDelegate {
            static let feedRoots: Set<String> = ["rss", "rdf", "feed"]

            var stack: [Element] = []
            var root: Element?
            var foreignRoot: String?
            /// Text arrives in pieces (around each entity, at buffer ends); it is gathered here and stored
            /// as one node when the next tag starts or ends, so a long description is not copied per piece.
            var pendingText = ""

            func parser(
                _ parser: XMLParser,
                didStartElement elementName: String,
                namespaceURI: String?,
                qualifiedName qName: String?,
                attributes attributeDict: [String: String] = [:]
            ) {
                let element = Element(name: elementName, attributes: attributeDict)
                if stack.isEmpty, !Self.feedRoots.contains(element.localName.lowercased()) {
                    foreignRoot = elementName
                    parser.abortParsing()
                    return
                }
                flushText()
                stack.append(element)
            }

            func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
                flushText()
                guard let element = stack.popLast() else { return }
                if stack.isEmpty {
                    root = element
                } else {
                    stack[stack.count - 1].nodes.append(.element(element))
                }
            }

            func parser(_ parser: XMLParser, foundCharacters string: String) {
                if !stack.isEmpty { pendingText += string }
            }

            func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
                if !stack.isEmpty { pendingText += String(decoding: CDATABlock, as: UTF8.self) }
            }

            private func flushText() {
                guard !pendingText.isEmpty, !stack.isEmpty else { return }
                stack[stack.count - 1].nodes.append(.text(pendingText))
                pendingText = ""
            }
        }
    }
}
