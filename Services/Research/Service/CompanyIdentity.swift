import Domain
import Foundation

/// Who a posting's company is: a normalized name to share one record between its jobs, and its web
/// domain when the posting's links reveal it.
public struct CompanyIdentity: Sendable, Equatable {
    public var name: String
    public var normalizedName: String
    /// The company's own domain (`docker.com`), nil when the links only point at a job board.
    public var domain: String?
    /// The job board that hosts its postings (`jobs.ashbyhq.com`), when that is all the links show.
    public var careersHost: String?

    /// Hosts of applicant-tracking systems and job boards: their domain is not the company's.
    static let jobBoardDomains = [
        "ashbyhq.com", "greenhouse.io", "lever.co", "workable.com", "smartrecruiters.com", "myworkdayjobs.com",
        "himalayas.app", "remotive.com", "remoteok.com", "remoteok.io", "bamboohr.com", "recruitee.com",
        "teamtailor.com", "jobvite.com", "icims.com", "breezy.hr", "personio.de", "weworkremotely.com",
    ]

    public init(company: String, jobURL: String?, applyURL: String?) {
        name = company.trimmingCharacters(in: .whitespacesAndNewlines)
        normalizedName = CompanyName.normalized(company)
        for link in [applyURL, jobURL].compactMap({ $0 }) {
            guard let host = URLComponents(string: link)?.host?.lowercased(), !host.isEmpty else { continue }
            if Self.jobBoardDomains.contains(where: { host == $0 || host.hasSuffix("." + $0) }) {
                careersHost = careersHost ?? host
            } else if domain == nil {
                domain = Self.registrableHost(host)
            }
        }
    }

    /// Drops the service prefixes a careers site tends to live under.
    static func registrableHost(_ host: String) -> String {
        for prefix in ["www.", "jobs.", "careers.", "apply."] where host.hasPrefix(prefix) {
            return String(host.dropFirst(prefix.count))
        }
        return host
    }
}
