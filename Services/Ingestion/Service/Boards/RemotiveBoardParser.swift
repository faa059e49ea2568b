import Domain
import Foundation

/// Reads Remotive's public API (`GET /api/remote-jobs`): `{"job-count", "jobs": [...]}` beside
/// Remotive's legal notice.
///
/// Remotive lists remote jobs only, so every posting is remote; `candidate_required_location` is a
/// comma-separated list of where candidates may live. Pay is free text, read into a `Salary` only in
/// the simple forms `BoardValues.salary(fromText:)` accepts. Payloads may start with a UTF-8 byte-order
/// mark, which `BoardValues.json` drops.
public struct RemotiveBoardParser: BoardParser {
    public init() {}

    public func parse(_ data: Data, context: BoardContext) throws -> BoardPage {
        guard let board = try BoardValues.json(data) as? [String: Any], let jobs = board["jobs"] as? [Any] else {
            throw IngestionError.unreadablePayload("a Remotive response has a top-level \"jobs\" array")
        }
        return BoardValues.page(of: jobs, idKey: "id") { job throws(BoardValues.Rejection) in
            try posting(from: job, context: context)
        }
    }

    private func posting(from job: [String: Any], context: BoardContext) throws(BoardValues.Rejection) -> JobPosting {
        guard let id = BoardValues.text(job["id"]) else { throw BoardValues.Rejection("missing \"id\"") }
        guard let title = BoardValues.text(job["title"]) else { throw BoardValues.Rejection("missing \"title\"") }
        guard let company = BoardValues.text(job["company_name"]) else { throw BoardValues.Rejection("missing \"company_name\"") }
        let html = try BoardValues.requireDescription(html: BoardValues.text(job["description"]))
        let locations = (BoardValues.text(job["candidate_required_location"]) ?? "")
            .split(separator: ",")
            .compactMap { BoardValues.text(String($0)) }
        return JobPosting(
            source: context.source,
            externalID: id,
            title: title,
            company: company,
            locations: locations,
            isRemote: true,
            workplaceType: .remote,
            employmentType: BoardValues.text(job["job_type"]),
            salary: BoardValues.salary(fromText: job["salary"]),
            // Sent without an offset; Remotive's times are UTC, which is how `isoDate` reads them.
            postedAt: BoardValues.isoDate(job["publication_date"]),
            // Remotive's terms ask for a link to its own page, which is also where candidates apply.
            jobURL: BoardValues.text(job["url"]),
            descriptionHTML: html,
            raw: BoardValues.raw(job)
        )
    }
}
