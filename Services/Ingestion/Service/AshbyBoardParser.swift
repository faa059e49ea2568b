import Domain
import Foundation

/// Reads the payload of Ashby's public job-board API
/// (`GET /posting-api/job-board/{board}?includeCompensation=true`): `{"jobs": [...], "apiVersion": "1"}`.
///
/// Each posting is read on its own, so one malformed posting is rejected with its reason while the
/// rest of the board goes through. Unlisted postings (`isListed: false`) are rejected too: the company
/// did not publish them.
public enum AshbyBoardParser {
    public struct Result: Sendable {
        public var postings: [JobPosting]
        public var rejected: [RejectedPosting]
    }

    /// - Parameters:
    ///   - data: the API's JSON.
    ///   - source: the source name stored on each posting.
    ///   - company: the company's display name (Ashby's payload does not carry it).
    /// - Throws: `IngestionError.unreadablePayload` when the payload as a whole is not a board.
    public static func parse(_ data: Data, source: String, company: String) throws -> Result {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw IngestionError.unreadablePayload("not JSON: \(error.localizedDescription)")
        }
        guard let board = root as? [String: Any], let jobs = board["jobs"] as? [Any] else {
            throw IngestionError.unreadablePayload("an Ashby board has a top-level \"jobs\" array")
        }
        var result = Result(postings: [], rejected: [])
        for (index, element) in jobs.enumerated() {
            guard let job = element as? [String: Any] else {
                result.rejected.append(RejectedPosting(reference: "#\(index)", reason: "a posting must be a JSON object"))
                continue
            }
            switch posting(from: job, source: source, company: company) {
            case .success(let posting): result.postings.append(posting)
            case .failure(let reason):
                let reference = (job["id"] as? String) ?? "#\(index)"
                result.rejected.append(RejectedPosting(reference: reference, reason: reason.message))
            }
        }
        return result
    }

    struct Reason: Error {
        let message: String
    }

    private static func posting(from job: [String: Any], source: String, company: String) -> Swift.Result<JobPosting, Reason> {
        guard let id = nonEmpty(job["id"]) else { return .failure(Reason(message: "missing \"id\"")) }
        guard let title = nonEmpty(job["title"]) else { return .failure(Reason(message: "missing \"title\"")) }
        if let listed = job["isListed"] as? Bool, !listed {
            return .failure(Reason(message: "unlisted posting (isListed is false)"))
        }
        let html = (job["descriptionHtml"] as? String) ?? ""
        let plain = job["descriptionPlain"] as? String
        guard !html.isEmpty || !(plain ?? "").isEmpty else {
            return .failure(Reason(message: "no description"))
        }
        var locations: [String] = []
        if let primary = nonEmpty(job["location"]) { locations.append(primary) }
        for secondary in (job["secondaryLocations"] as? [[String: Any]]) ?? [] {
            if let name = nonEmpty(secondary["location"]), !locations.contains(name) { locations.append(name) }
        }
        let raw = (try? JSONSerialization.data(withJSONObject: job, options: [.sortedKeys])) ?? Data()
        return .success(
            JobPosting(
                source: source,
                externalID: id,
                title: title,
                company: company,
                locations: locations,
                isRemote: job["isRemote"] as? Bool,
                employmentType: nonEmpty(job["employmentType"]),
                department: nonEmpty(job["department"]),
                team: nonEmpty(job["team"]),
                postedAt: (job["publishedAt"] as? String).flatMap(parseDate),
                jobURL: nonEmpty(job["jobUrl"]),
                applyURL: nonEmpty(job["applyUrl"]),
                descriptionHTML: html.isEmpty ? escapeAsHTML(plain ?? "") : html,
                descriptionText: plain,
                raw: Array(raw)
            )
        )
    }

    private static func nonEmpty(_ value: Any?) -> String? {
        guard let text = (value as? String)?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }

    /// Ashby sends `2025-08-28T16:27:31.862+00:00`, sometimes without the fraction.
    static func parseDate(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle())
    }

    private static func escapeAsHTML(_ text: String) -> String {
        let escaped = text
            .replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
        return escaped.split(separator: "\n", omittingEmptySubsequences: true).map { "<p>\($0)</p>" }.joined()
    }
}
