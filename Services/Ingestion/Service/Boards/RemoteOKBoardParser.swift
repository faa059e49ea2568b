import Domain
import Foundation

/// Reads RemoteOK's public API (`GET /api`): one JSON array of the whole board, whose first element
/// is RemoteOK's legal notice rather than a posting.
///
/// RemoteOK lists remote jobs only, so every posting is remote. Its text fields carry UTF-8 that was
/// decoded as Latin-1 once too often (`â€™` for `’`); title, company, location and description are
/// repaired. A salary bound of `0` means none was given.
public struct RemoteOKBoardParser: BoardParser {
    public init() {}

    public func parse(_ data: Data, context: BoardContext) throws -> BoardPage {
        guard let jobs = try BoardValues.json(data) as? [Any] else {
            throw IngestionError.unreadablePayload("RemoteOK's board is a top-level JSON array")
        }
        return BoardValues.page(of: jobs, idKey: "id", skipping: Self.isNotice) { job throws(BoardValues.Rejection) in
            try posting(from: job, context: context)
        }
    }

    /// The `{"last_updated", "legal"}` element: the terms of use, not a posting, so not a rejection.
    static func isNotice(_ element: [String: Any]) -> Bool {
        element["legal"] != nil && element["id"] == nil && element["position"] == nil
    }

    private func posting(from job: [String: Any], context: BoardContext) throws(BoardValues.Rejection) -> JobPosting {
        guard let id = BoardValues.text(job["id"]) else { throw BoardValues.Rejection("missing \"id\"") }
        guard let title = Self.repairedText(job["position"]) else { throw BoardValues.Rejection("missing \"position\" (the title)") }
        guard let company = Self.repairedText(job["company"]) else { throw BoardValues.Rejection("missing \"company\"") }
        let html = try BoardValues.requireDescription(html: Self.repairedText(job["description"]))
        // Several places arrive as one string: `San Francisco, CA | New York City, NY`.
        let locations = (Self.repairedText(job["location"]) ?? "")
            .split(separator: "|")
            .compactMap { BoardValues.text(String($0)) }
        return JobPosting(
            source: context.source,
            externalID: id,
            title: title,
            company: company,
            locations: locations,
            isRemote: true,
            workplaceType: .remote,
            salary: Self.salary(job),
            postedAt: BoardValues.epochDate(job["epoch"]) ?? BoardValues.isoDate(job["date"]),
            jobURL: BoardValues.text(job["url"]),
            applyURL: BoardValues.text(job["apply_url"]),
            descriptionHTML: html,
            raw: BoardValues.raw(job)
        )
    }

    private static func repairedText(_ value: Any?) -> String? {
        BoardValues.text(value).map(BoardValues.repairingMojibake)
    }

    /// The bounds only: RemoteOK states neither currency nor period, and real postings show both vary
    /// (`350700–474400` is PLN a year by its description, `25–27` is dollars an hour), so neither is
    /// guessed.
    static func salary(_ job: [String: Any]) -> Salary? {
        let minimum = BoardValues.number(job["salary_min"]).flatMap { $0 > 0 ? $0 : nil }
        let maximum = BoardValues.number(job["salary_max"]).flatMap { $0 > 0 ? $0 : nil }
        guard minimum != nil || maximum != nil else { return nil }
        return Salary(minimum: minimum, maximum: maximum)
    }
}
