import Domain
import Foundation

/// Reads Himalayas' remote-jobs API (`GET /jobs/api?limit=&offset=`):
/// `{"offset", "limit", "totalCount", "jobs": [...]}`, one page of the whole site.
///
/// Himalayas lists remote jobs only, so every posting is remote; `locationRestrictions` (the
/// countries a candidate may live in) become its locations. The posting's page is its ID (`guid`).
/// Pages follow one another until `offset + limit` reaches `totalCount`.
public struct HimalayasBoardParser: BoardParser {
    public init() {}

    public func parse(_ data: Data, context: BoardContext) throws -> BoardPage {
        guard let board = try BoardValues.json(data) as? [String: Any], let jobs = board["jobs"] as? [Any] else {
            throw IngestionError.unreadablePayload("a Himalayas page has a top-level \"jobs\" array")
        }
        var page = BoardValues.page(of: jobs, idKey: "guid") { job throws(BoardValues.Rejection) in
            try posting(from: job, context: context)
        }
        page.nextPageURL = BoardValues.nextOffsetURL(
            after: context.url,
            offset: BoardValues.number(board["offset"]).map { Int($0) } ?? 0,
            limit: BoardValues.number(board["limit"]).map { Int($0) } ?? jobs.count,
            total: BoardValues.number(board["totalCount"]).map { Int($0) } ?? 0,
            received: jobs.count
        )
        return page
    }

    private func posting(from job: [String: Any], context: BoardContext) throws(BoardValues.Rejection) -> JobPosting {
        guard let id = BoardValues.text(job["guid"]) else { throw BoardValues.Rejection("missing \"guid\"") }
        guard let title = BoardValues.text(job["title"]) else { throw BoardValues.Rejection("missing \"title\"") }
        guard let company = BoardValues.text(job["companyName"]) else { throw BoardValues.Rejection("missing \"companyName\"") }
        let html = try BoardValues.requireDescription(html: BoardValues.text(job["description"]))
        let link = BoardValues.text(job["applicationLink"])
        return JobPosting(
            source: context.source,
            externalID: id,
            title: title,
            company: company,
            locations: ((job["locationRestrictions"] as? [Any]) ?? []).compactMap(BoardValues.text),
            isRemote: true,
            workplaceType: .remote,
            employmentType: BoardValues.text(job["employmentType"]),
            salary: Self.salary(job),
            // The data dictionary says milliseconds; live payloads send seconds. `epochDate` reads both.
            postedAt: BoardValues.epochDate(job["pubDate"]),
            jobURL: link ?? id,
            applyURL: link,
            descriptionHTML: html,
            raw: BoardValues.raw(job)
        )
    }

    /// Himalayas' salaries are annual unless `salaryPeriod` says otherwise (`hourly` on contract work).
    static func salary(_ job: [String: Any]) -> Salary? {
        let minimum = BoardValues.number(job["minSalary"])
        let maximum = BoardValues.number(job["maxSalary"])
        guard minimum != nil || maximum != nil else { return nil }
        return Salary(
            minimum: minimum,
            maximum: maximum,
            currency: BoardValues.text(job["currency"])?.uppercased(),
            interval: BoardValues.salaryInterval(job["salaryPeriod"]) ?? .year
        )
    }
}
