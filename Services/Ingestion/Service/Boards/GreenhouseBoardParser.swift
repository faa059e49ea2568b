import Domain
import Foundation

/// Reads Greenhouse's job-board API (`GET /v1/boards/{token}/jobs?content=true`):
/// `{"jobs": [...], "meta": {"total": n}}`.
///
/// Also accepts the same job objects inside a scraper's envelope
/// (`{"company", "fetched_at", "job_count", "jobs": [...]}`): only `jobs` is read, so saved board
/// dumps import as they are. A list fetched without `content=true` has no descriptions, and each of
/// its postings is rejected saying so.
///
/// ```swift
/// let page = try GreenhouseBoardParser().parse(body, context: BoardContext(source: "catawiki", board: "catawiki"))
/// ```
public struct GreenhouseBoardParser: BoardParser {
    public init() {}

    public func parse(_ data: Data, context: BoardContext) throws -> BoardPage {
        guard let board = try BoardValues.json(data) as? [String: Any], let jobs = board["jobs"] as? [Any] else {
            throw IngestionError.unreadablePayload("a Greenhouse board has a top-level \"jobs\" array")
        }
        let fallbackCompany = BoardValues.companyName(fromBoard: context.board)
        return BoardValues.page(of: jobs, idKey: "id") { job throws(BoardValues.Rejection) in
            try posting(from: job, context: context, fallbackCompany: fallbackCompany)
        }
    }

    private func posting(from job: [String: Any], context: BoardContext, fallbackCompany: String) throws(BoardValues.Rejection) -> JobPosting {
        guard let id = BoardValues.text(job["id"]) else { throw BoardValues.Rejection("missing \"id\"") }
        guard let title = BoardValues.text(job["title"]) else { throw BoardValues.Rejection("missing \"title\"") }
        guard let content = BoardValues.text(job["content"]) else {
            throw BoardValues.Rejection("no \"content\" (the list must be fetched with content=true)")
        }
        let html = try BoardValues.requireDescription(html: BoardValues.unescapingHTMLEntities(content))
        // One posting open in several places arrives as `Amsterdam, Netherlands; France; Lisbon, Portugal`.
        let locations = (BoardValues.text((job["location"] as? [String: Any])?["name"]) ?? "")
            .split(separator: ";")
            .compactMap { BoardValues.text(String($0)) }
        let workplace = Self.workplace(in: locations)
        let department = (job["departments"] as? [[String: Any]])?.lazy.compactMap { BoardValues.text($0["name"]) }.first
        return JobPosting(
            source: context.source,
            externalID: id,
            title: title,
            company: BoardValues.text(job["company_name"]) ?? fallbackCompany,
            locations: locations,
            isRemote: workplace.map { $0 == .remote },
            workplaceType: workplace,
            employmentType: Self.employmentType(job["metadata"]),
            salary: Self.salary(job["pay_input_ranges"]),
            department: department,
            postedAt: BoardValues.isoDate(job["first_published"]) ?? BoardValues.isoDate(job["updated_at"]),
            jobURL: BoardValues.text(job["absolute_url"]),
            descriptionHTML: html,
            raw: BoardValues.raw(job)
        )
    }

    /// Greenhouse has no workplace field; the location's own words are the only sign of it.
    static func workplace(in locations: [String]) -> WorkplaceType? {
        let words = Set(locations.joined(separator: " ").lowercased().split(whereSeparator: { !$0.isLetter }))
        if words.contains("hybrid") { return .hybrid }
        if words.contains("remote") { return .remote }
        return nil
    }

    /// Boards that say it keep the employment type in a custom field, under one of a few names.
    static func employmentType(_ value: Any?) -> String? {
        let names: Set<String> = ["time type", "employment type", "job type"]
        for field in (value as? [[String: Any]]) ?? [] {
            if let name = BoardValues.text(field["name"])?.lowercased(), names.contains(name), let type = BoardValues.text(field["value"]) {
                return type
            }
        }
        return nil
    }

    /// Pay ranges appear only when the board was asked for them (`pay_transparency=true`), in cents.
    static func salary(_ value: Any?) -> Salary? {
        guard let range = (value as? [[String: Any]])?.first else { return nil }
        let minimum = BoardValues.number(range["min_cents"]).map { $0 / 100 }
        let maximum = BoardValues.number(range["max_cents"]).map { $0 / 100 }
        guard minimum != nil || maximum != nil else { return nil }
        return Salary(minimum: minimum, maximum: maximum, currency: BoardValues.text(range["currency_type"])?.uppercased())
    }
}
