import Domain
import Foundation

/// Reads Workable's public careers endpoint
/// (`GET /api/v1/widget/accounts/{account}?details=true`): `{"name", "description", "jobs": [...]}`.
///
/// Descriptions come only with `details=true`; without it every posting is rejected saying so. A job
/// is named by its `shortcode`, the key of its public URL. `telecommuting` is the only sign of remote
/// work, so a job without it has no workplace type rather than an on-site one.
public struct WorkableBoardParser: BoardParser {
    public init() {}

    public func parse(_ data: Data, context: BoardContext) throws -> BoardPage {
        guard let account = try BoardValues.json(data) as? [String: Any], let jobs = account["jobs"] as? [Any] else {
            throw IngestionError.unreadablePayload("a Workable account has a top-level \"jobs\" array")
        }
        let company = BoardValues.text(account["name"]) ?? BoardValues.companyName(fromBoard: context.board)
        return BoardValues.page(of: jobs, idKey: "shortcode") { job throws(BoardValues.Rejection) in
            try posting(from: job, context: context, company: company)
        }
    }

    private func posting(from job: [String: Any], context: BoardContext, company: String) throws(BoardValues.Rejection) -> JobPosting {
        guard let id = BoardValues.text(job["shortcode"]) else { throw BoardValues.Rejection("missing \"shortcode\"") }
        guard let title = BoardValues.text(job["title"]) else { throw BoardValues.Rejection("missing \"title\"") }
        guard let description = BoardValues.text(job["full_description"]) ?? BoardValues.text(job["description"]) else {
            throw BoardValues.Rejection("no description (the account must be fetched with details=true)")
        }
        let html = try BoardValues.requireDescription(html: description)
        let telecommuting = BoardValues.bool(job["telecommuting"])
        return JobPosting(
            source: context.source,
            externalID: id,
            title: title,
            company: company,
            locations: Self.locations(job),
            isRemote: telecommuting,
            workplaceType: telecommuting == true ? .remote : nil,
            employmentType: BoardValues.text(job["employment_type"]),
            department: BoardValues.text(job["department"]),
            postedAt: BoardValues.isoDate(job["published_on"]) ?? BoardValues.isoDate(job["created_at"]),
            jobURL: BoardValues.text(job["url"]) ?? BoardValues.text(job["shortlink"]),
            applyURL: BoardValues.text(job["application_url"]),
            descriptionHTML: html,
            raw: BoardValues.raw(job)
        )
    }

    /// The job's own `city, state, country`, then any further places in `locations[]` (hidden ones
    /// are the company's to keep private).
    static func locations(_ job: [String: Any]) -> [String] {
        var places: [String] = []
        func add(_ parts: [Any?]) {
            let place = parts.compactMap(BoardValues.text).joined(separator: ", ")
            if !place.isEmpty, !places.contains(place) { places.append(place) }
        }
        add([job["city"], job["state"], job["country"]])
        for case let location as [String: Any] in (job["locations"] as? [Any]) ?? [] where BoardValues.bool(location["hidden"]) != true {
            add([location["city"], location["region"], location["country"]])
        }
        return places
    }
}
