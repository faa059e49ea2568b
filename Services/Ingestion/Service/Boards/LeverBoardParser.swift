import Domain
import Foundation

/// Reads Lever's postings API (`GET /v0/postings/{site}?mode=json`): a top-level array of postings.
///
/// Lever splits a posting's text into `description` (opening and body), `lists` (the
/// responsibilities and requirements, each a heading and `<li>` items) and `additional` (pay and
/// benefits); they are joined back into one description in that order, as the hosted page shows them.
/// The payload does not name the company, so the site slug stands in for it.
public struct LeverBoardParser: BoardParser {
    public init() {}

    public func parse(_ data: Data, context: BoardContext) throws -> BoardPage {
        guard let jobs = try BoardValues.json(data) as? [Any] else {
            throw IngestionError.unreadablePayload("a Lever site's postings are a top-level JSON array")
        }
        let company = BoardValues.companyName(fromBoard: context.board)
        return BoardValues.page(of: jobs, idKey: "id") { job throws(BoardValues.Rejection) in
            try posting(from: job, context: context, company: company)
        }
    }

    private func posting(from job: [String: Any], context: BoardContext, company: String) throws(BoardValues.Rejection) -> JobPosting {
        guard let id = BoardValues.text(job["id"]) else { throw BoardValues.Rejection("missing \"id\"") }
        guard let title = BoardValues.text(job["text"]) else { throw BoardValues.Rejection("missing \"text\" (the title)") }
        let lists = ((job["lists"] as? [Any]) ?? []).compactMap { $0 as? [String: Any] }
        let text = Self.descriptionText(job, lists: lists)
        let html = try BoardValues.requireDescription(html: Self.descriptionHTML(job, lists: lists), plain: text)
        let categories = job["categories"] as? [String: Any] ?? [:]
        var locations = ((categories["allLocations"] as? [Any]) ?? []).compactMap(BoardValues.text)
        if locations.isEmpty, let location = BoardValues.text(categories["location"]) { locations = [location] }
        let workplace: WorkplaceType? = switch BoardValues.text(job["workplaceType"])?.lowercased() {
        case "remote": .remote
        case "hybrid": .hybrid
        case "on-site", "onsite": .onsite
        default: nil  // `unspecified`
        }
        return JobPosting(
            source: context.source,
            externalID: id,
            title: title,
            company: company,
            locations: locations,
            isRemote: workplace.map { $0 == .remote },
            workplaceType: workplace,
            employmentType: BoardValues.text(categories["commitment"]),
            salary: Self.salary(job["salaryRange"]) ?? BoardValues.salary(fromText: job["salaryDescriptionPlain"]),
            department: BoardValues.text(categories["department"]),
            team: BoardValues.text(categories["team"]),
            postedAt: BoardValues.epochDate(job["createdAt"]),
            jobURL: BoardValues.text(job["hostedUrl"]),
            applyURL: BoardValues.text(job["applyUrl"]),
            descriptionHTML: html,
            descriptionText: text,
            raw: BoardValues.raw(job)
        )
    }

    /// `description` (or, on postings that lack it, `opening` + `descriptionBody`), each list as a
    /// heading and its items, then `additional`; nil when there is none of it.
    static func descriptionHTML(_ job: [String: Any], lists: [[String: Any]]) -> String? {
        var parts: [String] = []
        if let description = BoardValues.text(job["description"]) {
            parts.append(description)
        } else {
            parts += [job["opening"], job["descriptionBody"]].compactMap(BoardValues.text)
        }
        for list in lists {
            let heading = BoardValues.text(list["text"]).map { "<h3>\(Self.escaping($0))</h3>" } ?? ""
            let items = BoardValues.text(list["content"]).map { "<ul>\($0)</ul>" } ?? ""
            if !(heading + items).isEmpty { parts.append(heading + items) }
        }
        if let additional = BoardValues.text(job["additional"]) { parts.append(additional) }
        return parts.isEmpty ? nil : parts.joined(separator: "\n")
    }

    /// Lever's plain text in the same order as the HTML. Lists come only as HTML, so their items are
    /// reduced to lines here; without them the text would miss the requirements. Nil when Lever sent
    /// no plain description.
    static func descriptionText(_ job: [String: Any], lists: [[String: Any]]) -> String? {
        guard let description = BoardValues.text(job["descriptionPlain"]) else { return nil }
        var parts = [description]
        for list in lists {
            var lines: [String] = []
            if let heading = BoardValues.text(list["text"]) { lines.append(heading) }
            let content = BoardValues.text(list["content"]) ?? ""
            for item in content.components(separatedBy: "</li>") {
                if let line = BoardValues.text(Self.strippingTags(item)) { lines.append("- " + line) }
            }
            if !lines.isEmpty { parts.append(lines.joined(separator: "\n")) }
        }
        if let additional = BoardValues.text(job["additionalPlain"]) { parts.append(additional) }
        return parts.joined(separator: "\n\n")
    }

    /// Lever's structured range, present when the company filled it in (`interval` like `per-year-salary`).
    static func salary(_ value: Any?) -> Salary? {
        guard let range = value as? [String: Any] else { return nil }
        let minimum = BoardValues.number(range["min"])
        let maximum = BoardValues.number(range["max"])
        guard minimum != nil || maximum != nil else { return nil }
        return Salary(
            minimum: minimum,
            maximum: maximum,
            currency: BoardValues.text(range["currency"])?.uppercased(),
            interval: BoardValues.salaryInterval(range["interval"])
        )
    }

    private static func escaping(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Tags out and the common entities read: enough for list items, which hold short inline markup.
    private static func strippingTags(_ html: String) -> String {
        html.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
            .replacingOccurrences(of: "&nbsp;", with: " ")
            .replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
