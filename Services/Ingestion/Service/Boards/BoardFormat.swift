import Foundation

/// The wire formats ingestion reads, one per board parser.
///
/// A source names its board, so fetched payloads never need guessing; files on disk (a folder of
/// saved board responses) do, and `detect(_:fileName:)` tells them apart by content.
public enum BoardFormat: String, Sendable, CaseIterable {
    case greenhouse, lever, ashby, himalayas, remotive, remoteok, workable, smartrecruiters, feed, jsonld

    /// The parser that reads this format.
    public var parser: any BoardParser {
        switch self {
        case .greenhouse: GreenhouseBoardParser()
        case .lever: LeverBoardParser()
        case .ashby: AshbyBoardParser()
        case .himalayas: HimalayasBoardParser()
        case .remotive: RemotiveBoardParser()
        case .remoteok: RemoteOKBoardParser()
        case .workable: WorkableBoardParser()
        case .smartrecruiters: SmartRecruitersBoardParser()
        case .feed: FeedBoardParser()
        case .jsonld: JSONLDPageParser()
        }
    }

    /// The format of a saved payload, read from its content, or nil when it is none Jobsmith knows.
    ///
    /// The content decides, because saved files are named by whoever saved them
    /// (`tech-jobs-hub_catawiki_full.json`). Rules, in order:
    ///
    /// JSON (after an optional UTF-8 byte-order mark, which Remotive's payloads carry). The keys of the
    /// first few postings are what the boards differ in; envelopes are not, since scrapers rewrap them:
    /// - an array whose first element has `legal` (RemoteOK's notice), or whose postings have
    ///   `position` with `epoch` or `slug` (the notice cut off) → `remoteok`;
    /// - an array whose postings have `hostedUrl`, or `text` with `categories` → `lever`;
    /// - an object with a `jobs` array whose postings have
    ///   `absolute_url` or `internal_job_id` → `greenhouse` (checked before Remotive: Greenhouse jobs
    ///   can carry `company_name` too);
    ///   `jobUrl` and `descriptionHtml`, or an envelope with `apiVersion` → `ashby`;
    ///   `companyName` with `guid` or `pubDate` → `himalayas`;
    ///   `company_name` with `candidate_required_location` → `remotive`;
    ///   `shortcode` → `workable` (`{name, jobs: [...]}`);
    /// - an object with a `content` array whose postings have `releasedDate` or `ref`, or a
    ///   `totalFound` beside it → `smartrecruiters`;
    /// - JSON-LD itself: a node, list or `@graph` with a `JobPosting` → `jsonld`.
    ///
    /// An empty board (`[]`, `"jobs": []`) shows no posting keys: its envelope decides where it can
    /// (`meta.total` → Greenhouse, `apiVersion` → Ashby, `job-count` → Remotive, `totalCount` →
    /// Himalayas, `totalFound` → SmartRecruiters), and otherwise a word of `fileName` that is a format's
    /// name (`lever.json`, `acme_workable.json`). The name never overrides content.
    ///
    /// Markup (first character `<`):
    /// - a root element `rss`, `rdf:RDF` or `feed` (after the XML declaration, comments and doctype)
    ///   → `feed`;
    /// - anything else containing `application/ld+json` → `jsonld` (whether it holds a `JobPosting`
    ///   is the parser's to say, with a clearer message than "unknown format").
    ///
    /// Anything else (Markdown, CSV, an error page without JSON-LD, JSON of another shape) → nil.
    public static func detect(_ data: Data, fileName: String?) -> BoardFormat? {
        let content = BoardValues.withoutByteOrderMark(data)
        guard let first = content.first(where: { !isSpace($0) }) else { return nil }
        switch first {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard let json = try? JSONSerialization.jsonObject(with: content) else { return nil }
            if let format = format(ofJSON: json) { return format }
            return isEmptyBoard(json) ? format(namedIn: fileName) : nil
        case UInt8(ascii: "<"):
            return format(ofMarkup: Array(content))
        default:
            return nil
        }
    }

    // MARK: - JSON

    /// How many postings are looked at: enough to get past one odd entry, without reading a board.
    private static let sampleSize = 5

    private static func format(ofJSON json: Any) -> BoardFormat? {
        if let list = json as? [Any] {
            let postings = list.prefix(sampleSize).compactMap { $0 as? [String: Any] }
            if postings.first?["legal"] != nil { return .remoteok }
            let keys = Set(postings.flatMap(\.keys))
            if keys.contains("hostedUrl") || (keys.contains("text") && keys.contains("categories")) { return .lever }
            if keys.contains("position") && (keys.contains("epoch") || keys.contains("slug")) { return .remoteok }
            return postings.contains(where: containsJobPosting) ? .jsonld : nil
        }
        guard let object = json as? [String: Any] else { return nil }
        if let jobs = object["jobs"] as? [Any] {
            let keys = Set(jobs.prefix(sampleSize).compactMap { $0 as? [String: Any] }.flatMap(\.keys))
            if keys.contains("absolute_url") || keys.contains("internal_job_id") { return .greenhouse }
            if (keys.contains("jobUrl") && keys.contains("descriptionHtml")) || object["apiVersion"] != nil { return .ashby }
            if keys.contains("companyName") && (keys.contains("guid") || keys.contains("pubDate")) { return .himalayas }
            if keys.contains("company_name") && keys.contains("candidate_required_location") { return .remotive }
            if keys.contains("shortcode") { return .workable }
            if jobs.isEmpty {
                if (object["meta"] as? [String: Any])?["total"] != nil { return .greenhouse }
                if object["job-count"] != nil || object["0-legal-notice"] != nil { return .remotive }
                if object["totalCount"] != nil { return .himalayas }
            }
            return nil
        }
        if let content = object["content"] as? [Any] {
            let keys = Set(content.prefix(sampleSize).compactMap { $0 as? [String: Any] }.flatMap(\.keys))
            if keys.contains("releasedDate") || keys.contains("ref") || object["totalFound"] != nil { return .smartrecruiters }
            return nil
        }
        return containsJobPosting(object) ? .jsonld : nil
    }

    /// A JSON-LD node that is a `JobPosting` or holds one in its `@graph`.
    private static func containsJobPosting(_ node: [String: Any]) -> Bool {
        JSONLDPageParser.isJobPosting(node)
            || ((node["@graph"] as? [Any]) ?? []).contains { ($0 as? [String: Any]).map(JSONLDPageParser.isJobPosting) ?? false }
    }

    /// A board payload with no postings in it, whose format the content cannot show.
    private static func isEmptyBoard(_ json: Any) -> Bool {
        if let list = json as? [Any] { return list.isEmpty }
        guard let object = json as? [String: Any] else { return false }
        return (object["jobs"] as? [Any])?.isEmpty == true || (object["content"] as? [Any])?.isEmpty == true
    }

    /// The format whose name is a word of the file's name (`ATS_Polling_lever.json` → `lever`).
    private static func format(namedIn fileName: String?) -> BoardFormat? {
        guard let fileName else { return nil }
        let words = fileName.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        return allCases.first { format in words.contains { $0 == format.rawValue } }
    }

    // MARK: - Markup

    private static func format(ofMarkup bytes: [UInt8]) -> BoardFormat? {
        if let root = rootElementName(bytes) {
            let local = root.split(separator: ":").last.map(String.init)?.lowercased() ?? ""
            if local == "rss" || local == "rdf" || local == "feed" { return .feed }
        }
        return JSONLDPageParser.find("application/ld+json", in: bytes, from: 0) != nil ? .jsonld : nil
    }

    /// The name of the document's first element, past the XML declaration, processing instructions,
    /// comments and doctype; nil when text comes first or the markup ends.
    private static func rootElementName(_ bytes: [UInt8]) -> String? {
        var index = 0
        while index < bytes.count {
            if isSpace(bytes[index]) {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "<"), index + 1 < bytes.count else { return nil }
            let next = bytes[index + 1]
            if next == UInt8(ascii: "?") {
                guard let end = JSONLDPageParser.find("?>", in: bytes, from: index + 2) else { return nil }
                index = end + 2
            } else if bytes[index...].starts(with: Array("<!--".utf8)) {
                guard let end = JSONLDPageParser.find("-->", in: bytes, from: index + 4) else { return nil }
                index = end + 3
            } else if next == UInt8(ascii: "!") {
                // A doctype, whose internal subset (`[...]`) may hold `>`.
                var depth = 0
                var end = index + 2
                while end < bytes.count, !(bytes[end] == UInt8(ascii: ">") && depth == 0) {
                    if bytes[end] == UInt8(ascii: "[") { depth += 1 }
                    if bytes[end] == UInt8(ascii: "]") { depth -= 1 }
                    end += 1
                }
                index = end + 1
            } else {
                let name = bytes[(index + 1)...].prefix { !isSpace($0) && $0 != UInt8(ascii: ">") && $0 != UInt8(ascii: "/") }
                return name.isEmpty ? nil : String(decoding: name, as: UTF8.self)
            }
        }
        return nil
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        JSONLDPageParser.isSpace(byte)
    }
}
