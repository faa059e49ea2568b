import Foundation

/// A job posting as ingestion normalizes it, whatever board it came from.
public struct JobPosting: Sendable, Equatable {
    /// The source's name (`sample`, `docker-ashby`), a row of `sources`.
    public var source: String
    /// The board's own ID for the posting: with `source`, what makes a posting unique.
    public var externalID: String
    public var title: String
    public var company: String
    public var locations: [String]
    public var isRemote: Bool?
    /// Remote, hybrid or on-site, when the board says so (or says it is a remote-only board).
    public var workplaceType: WorkplaceType?
    /// As the board says it (`FullTime`, `Contract`).
    public var employmentType: String?
    /// The pay range, when the board states it.
    public var salary: Salary?
    public var department: String?
    public var team: String?
    public var postedAt: Date?
    public var jobURL: String?
    public var applyURL: String?
    /// The description as the board sent it. Untrusted: sanitize before showing it anywhere.
    public var descriptionHTML: String
    /// The board's plain-text description, when it sends one.
    public var descriptionText: String?
    /// The board's JSON for this posting, kept for re-processing.
    public var raw: [UInt8]

    public init(
        source: String,
        externalID: String,
        title: String,
        company: String,
        locations: [String] = [],
        isRemote: Bool? = nil,
        workplaceType: WorkplaceType? = nil,
        employmentType: String? = nil,
        salary: Salary? = nil,
        department: String? = nil,
        team: String? = nil,
        postedAt: Date? = nil,
        jobURL: String? = nil,
        applyURL: String? = nil,
        descriptionHTML: String,
        descriptionText: String? = nil,
        raw: [UInt8] = []
    ) {
        self.source = source
        self.externalID = externalID
        self.title = title
        self.company = company
        self.locations = locations
        self.isRemote = isRemote
        self.workplaceType = workplaceType
        self.employmentType = employmentType
        self.salary = salary
        self.department = department
        self.team = team
        self.postedAt = postedAt
        self.jobURL = jobURL
        self.applyURL = applyURL
        self.descriptionHTML = descriptionHTML
        self.descriptionText = descriptionText
        self.raw = raw
    }

    /// A fingerprint of what the user sees: a re-fetched posting whose content did not change is not
    /// sent down the pipeline again.
    public var contentHash: String {
        var hash = FNV1a()
        for part in [title, company, locations.joined(separator: "|"), descriptionHTML, employmentType ?? "", jobURL ?? ""] {
            hash.combine(part.utf8)
            hash.separate()
        }
        return hash.hex
    }
}

/// Where the work happens.
public enum WorkplaceType: String, Codable, Sendable, Equatable, CaseIterable {
    case remote
    case hybrid
    case onsite
}

/// A stated pay range. Either bound may be missing ("from £50,000").
public struct Salary: Codable, Sendable, Equatable {
    public enum Interval: String, Codable, Sendable, CaseIterable {
        case hour, day, week, month, year
    }

    public var minimum: Double?
    public var maximum: Double?
    /// ISO 4217 (`USD`, `EUR`), upper-case.
    public var currency: String?
    public var interval: Interval?

    public init(minimum: Double? = nil, maximum: Double? = nil, currency: String? = nil, interval: Interval? = nil) {
        self.minimum = minimum
        self.maximum = maximum
        self.currency = currency
        self.interval = interval
    }
}
