import Domain
import Foundation

/// Reads the payload of Ashby's public job-board API
/// (`GET /posting-api/job-board/{board}?includeCompensation=true`): `{"jobs": [...], "apiVersion": "1"}`.
///
/// Unlisted postings (`isListed: false`) are rejected: the company did not publish them. The payload
/// does not name the company, so the board name stands in for it.
public struct AshbyBoardParser: BoardParser {
    public init() {}

    public func parse(_ data: Data, context: BoardContext) throws -> BoardPage {
        guard let board = try BoardValues.json(data) as? [String: Any], let jobs = board["jobs"] as? [Any] else {
            throw IngestionError.unreadablePayload("an Ashby board has a top-level \"jobs\" array")
        }
        let company = BoardValues.companyName(fromBoard: context.board)
        // Each posting's bytes as Ashby sent them, when the payload can be cut into them.
        let spans = JSONSpans.arrayElements(in: data, key: "jobs").flatMap { $0.count == jobs.count ? $0 : nil }
        var page = BoardPage()
        for (index, element) in jobs.enumerated() {
            guard let job = element as? [String: Any] else {
                page.rejected.append(RejectedPosting(reference: "#\(index)", reason: "a posting must be a JSON object"))
                continue
            }
            switch posting(from: job, context: context, company: company) {
            case .success(var posting):
                if let spans {
                    posting.raw = Array(data[data.startIndex + spans[index].lowerBound..<data.startIndex + spans[index].upperBound])
                } else {
                    posting.raw = BoardValues.raw(job)
                }
                page.postings.append(posting)
            case .failure(let reason):
                page.rejected.append(RejectedPosting(reference: BoardValues.text(job["id"]) ?? "#\(index)", reason: reason.message))
            }
        }
        return page
    }

    struct Reason: Error {
        let message: String
    }

    private func posting(from job: [String: Any], context: BoardContext, company: String) -> Result<JobPosting, Reason> {
        guard let id = BoardValues.text(job["id"]) else { return .failure(Reason(message: "missing \"id\"")) }
        guard let title = BoardValues.text(job["title"]) else { return .failure(Reason(message: "missing \"title\"")) }
        if BoardValues.bool(job["isListed"]) == false {
            return .failure(Reason(message: "unlisted posting (isListed is false)"))
        }
        let html = BoardValues.text(job["descriptionHtml"])
        let plain = BoardValues.text(job["descriptionPlain"])
        guard html != nil || plain != nil else { return .failure(Reason(message: "no description")) }
        let size = max(html?.utf8.count ?? 0, plain?.utf8.count ?? 0)
        guard size <= BoardValues.maximumDescriptionBytes else {
            return .failure(Reason(message: "description of \(size) bytes is over the \(BoardValues.maximumDescriptionBytes)-byte limit"))
        }
        var locations: [String] = []
        if let primary = BoardValues.text(job["location"]) { locations.append(primary) }
        for secondary in (job["secondaryLocations"] as? [[String: Any]]) ?? [] {
            if let name = BoardValues.text(secondary["location"]), !locations.contains(name) { locations.append(name) }
        }
        let workplace: WorkplaceType? = switch BoardValues.text(job["workplaceType"])?.lowercased() {
        case "remote": .remote
        case "hybrid": .hybrid
        case "onsite", "on-site", "in person": .onsite
        default: BoardValues.bool(job["isRemote"]) == true ? .remote : nil
        }
        return .success(
            JobPosting(
                source: context.source,
                externalID: id,
                title: title,
                company: company,
                locations: locations,
                isRemote: BoardValues.bool(job["isRemote"]),
                workplaceType: workplace,
                employmentType: BoardValues.text(job["employmentType"]),
                salary: Self.salary(job["compensation"]),
                department: BoardValues.text(job["department"]),
                team: BoardValues.text(job["team"]),
                postedAt: BoardValues.isoDate(job["publishedAt"]),
                jobURL: BoardValues.text(job["jobUrl"]),
                applyURL: BoardValues.text(job["applyUrl"]),
                descriptionHTML: html ?? BoardValues.paragraphs(fromPlainText: plain ?? ""),
                descriptionText: plain,
                raw: []
            )
        )
    }

    /// The salary component of the compensation summary (equity and bonus components are not pay).
    static func salary(_ value: Any?) -> Salary? {
        guard let compensation = value as? [String: Any] else { return nil }
        let components = (compensation["summaryComponents"] as? [[String: Any]])
            ?? ((compensation["compensationTiers"] as? [[String: Any]])?.first?["components"] as? [[String: Any]])
            ?? []
        guard let salary = components.first(where: { BoardValues.text($0["compensationType"]) == "Salary" }) else { return nil }
        let minimum = BoardValues.number(salary["minValue"])
        let maximum = BoardValues.number(salary["maxValue"])
        guard minimum != nil || maximum != nil else { return nil }
        return Salary(
            minimum: minimum,
            maximum: maximum,
            currency: BoardValues.text(salary["currencyCode"])?.uppercased(),
            interval: BoardValues.salaryInterval(salary["interval"])
        )
    }
}
