import Domain
import Foundation

/// Reads SmartRecruiters' Posting API: the list
/// (`GET /v1/companies/{company}/postings?limit=&offset=` → `{"offset", "limit", "totalFound", "content": [...]}`)
/// and each posting's detail (`GET .../postings/{id}`).
///
/// The list carries no description: postings read from it have an empty `descriptionHTML`, and the
/// page names each one's detail URL in `detailURLs`. The fetcher then passes each detail to
/// `merge(detail:into:context:)`, which adds the job ad's sections and the public URLs. Pages follow
/// one another until `offset + limit` reaches `totalFound`.
///
/// ```swift
/// var page = try parser.parse(list, context: context)
/// let complete = try parser.merge(detail: body, into: page.postings[0], context: context)
/// ```
public struct SmartRecruitersBoardParser: BoardParser {
    public init() {}

    /// The job ad's sections in the order the posting page shows them.
    static let sections = ["companyDescription", "jobDescription", "qualifications", "additionalInformation"]

    public func parse(_ data: Data, context: BoardContext) throws -> BoardPage {
        guard let list = try BoardValues.json(data) as? [String: Any], let jobs = list["content"] as? [Any] else {
            throw IngestionError.unreadablePayload("a SmartRecruiters posting list has a top-level \"content\" array")
        }
        let fallbackCompany = BoardValues.companyName(fromBoard: context.board)
        var detailURLs: [String: String] = [:]
        var page = BoardValues.page(of: jobs, idKey: "id") { job throws(BoardValues.Rejection) in
            let posting = try posting(from: job, context: context, fallbackCompany: fallbackCompany)
            detailURLs[posting.externalID] = Self.detailURL(of: job, id: posting.externalID, context: context)
            return posting
        }
        page.detailURLs = detailURLs
        page.nextPageURL = BoardValues.nextOffsetURL(
            after: context.url,
            offset: BoardValues.number(list["offset"]).map { Int($0) } ?? 0,
            limit: BoardValues.number(list["limit"]).map { Int($0) } ?? jobs.count,
            total: BoardValues.number(list["totalFound"]).map { Int($0) } ?? 0,
            received: jobs.count
        )
        return page
    }

    /// Adds the detail's job ad (its sections, as HTML) and public URLs to a listed posting.
    ///
    /// - Throws: `IngestionError.unreadablePayload` when the detail is not a posting object, is
    ///   another posting's, or has no job ad text (a posting without a description is of no use
    ///   downstream), or when that text is over `BoardValues.maximumDescriptionBytes`.
    public func merge(detail: Data, into posting: JobPosting, context: BoardContext) throws -> JobPosting {
        guard let job = try BoardValues.json(detail) as? [String: Any] else {
            throw IngestionError.unreadablePayload("a SmartRecruiters posting detail is a JSON object")
        }
        if let id = BoardValues.text(job["id"]), id != posting.externalID {
            throw IngestionError.unreadablePayload("the detail of posting \(posting.externalID) is posting \(id)'s")
        }
        let sections = ((job["jobAd"] as? [String: Any])?["sections"] as? [String: Any]) ?? [:]
        let html = Self.sections.compactMap { name -> String? in
            guard let section = sections[name] as? [String: Any], let text = BoardValues.text(section["text"]) else { return nil }
            let heading = BoardValues.text(section["title"]).map { "<h3>\(Self.escaping($0))</h3>" } ?? ""
            return heading + text
        }.joined(separator: "\n")
        let description: String
        do throws(BoardValues.Rejection) {
            description = try BoardValues.requireDescription(html: html.isEmpty ? nil : html)
        } catch {
            throw IngestionError.unreadablePayload("the detail of posting \(posting.externalID): \(error.reason)")
        }
        var merged = posting
        merged.descriptionHTML = description
        merged.jobURL = BoardValues.text(job["postingUrl"]) ?? posting.jobURL
        merged.applyURL = BoardValues.text(job["applyUrl"]) ?? posting.applyURL
        // The detail repeats the list item's fields and adds the job ad: it is the fuller record.
        merged.raw = BoardValues.raw(job)
        return merged
    }

    private func posting(from job: [String: Any], context: BoardContext, fallbackCompany: String) throws(BoardValues.Rejection) -> JobPosting {
        guard let id = BoardValues.text(job["id"]) else { throw BoardValues.Rejection("missing \"id\"") }
        guard let title = BoardValues.text(job["name"]) else { throw BoardValues.Rejection("missing \"name\" (the title)") }
        let location = job["location"] as? [String: Any] ?? [:]
        let workplace = Self.workplace(location)
        return JobPosting(
            source: context.source,
            externalID: id,
            title: title,
            company: BoardValues.text((job["company"] as? [String: Any])?["name"]) ?? fallbackCompany,
            locations: Self.place(location).map { [$0] } ?? [],
            isRemote: BoardValues.bool(location["remote"]) ?? workplace.map { $0 == .remote },
            workplaceType: workplace,
            employmentType: BoardValues.text((job["typeOfEmployment"] as? [String: Any])?["label"]),
            department: BoardValues.text((job["department"] as? [String: Any])?["label"]),
            postedAt: BoardValues.isoDate(job["releasedDate"]),
            descriptionHTML: "",
            raw: BoardValues.raw(job)
        )
    }

    /// `fullLocation` when sent, else `city, region, COUNTRY` (the country arrives as a lower-case code).
    static func place(_ location: [String: Any]) -> String? {
        if let full = BoardValues.text(location["fullLocation"]) { return full }
        let country = BoardValues.text(location["country"]).map { $0.count == 2 ? $0.uppercased() : $0 }
        let parts = [BoardValues.text(location["city"]), BoardValues.text(location["region"]), country].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    /// Remote and hybrid are flags; only a location that answers both with `false` is on-site.
    static func workplace(_ location: [String: Any]) -> WorkplaceType? {
        let remote = BoardValues.bool(location["remote"])
        let hybrid = BoardValues.bool(location["hybrid"])
        if remote == true { return .remote }
        if hybrid == true { return .hybrid }
        if remote == false && hybrid == false { return .onsite }
        return nil
    }

    /// The item's `ref` when it points at the host the list came from, else the detail path built from
    /// the list's URL. The fetcher follows this URL, so a payload must not be able to send it elsewhere.
    static func detailURL(of job: [String: Any], id: String, context: BoardContext) -> String {
        let list = context.url.flatMap { URLComponents(string: $0) }
        if let ref = BoardValues.text(job["ref"]), let refHost = URLComponents(string: ref)?.host?.lowercased() {
            let listHost = list?.host?.lowercased()
            if refHost == (listHost ?? "api.smartrecruiters.com") { return ref }
        }
        let escapedID = id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? id
        if var components = list {
            components.query = nil
            components.fragment = nil
            let path = components.percentEncodedPath
            components.percentEncodedPath = (path.hasSuffix("/") ? String(path.dropLast()) : path) + "/" + escapedID
            if let url = components.string { return url }
        }
        let company = context.board.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? context.board
        return "https://api.smartrecruiters.com/v1/companies/\(company)/postings/\(escapedID)"
    }

    private static func escaping(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
