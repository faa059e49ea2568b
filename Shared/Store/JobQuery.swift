import Foundation

/// Where the user is with a job, from first sight to the outcome of the application.
public enum JobStatus: String, Codable, Sendable, CaseIterable {
    case notProcessed = "not_processed"
    case markedForApplying = "marked_for_applying"
    case underProcessing = "under_processing"
    case readyForApplying = "ready_for_applying"
    case applied
    case interviewScheduled = "interview_scheduled"
    case offerReceived = "offer_received"
    case rejected
    case discarded
    case toBeDeleted = "to_be_deleted"
}

/// What the job list shows: a full-text search, filters, one sort and a page.
///
/// Every filter left empty (or nil) matches every job. The store turns a query into SQL built from
/// whitelisted column names only; every value travels as a parameter.
///
/// ```swift
/// var query = JobQuery()
/// query.text = "swift backend"
/// query.statuses = [.notProcessed, .markedForApplying]
/// query.sort = JobSort(field: .fitScore, descending: true)
/// let page = try await store.searchJobs(query)
/// ```
public struct JobQuery: Sendable, Hashable {
    /// Words to find in title (weighted most), company and description, in web-search syntax:
    /// `"exact phrase"`, `-excluded`, `or`.
    public var text: String?
    public var statuses: [JobStatus] = []
    public var sources: [String] = []
    /// Letters A–D.
    public var tiers: [String] = []
    /// Categories of the full fit (`JobQuery.fitCategories`).
    public var fitCategories: [String] = []
    /// Bounds on the fit score, inclusive; a job without a score matches neither.
    public var scoreMinimum: Int?
    public var scoreMaximum: Int?
    /// When the job was first stored.
    public var created = TimeRange()
    /// When the board says it was posted; a job without a date matches no bound.
    public var posted = TimeRange()
    /// Part of one of the job's locations, in any case.
    public var location: String?
    /// Only remote jobs (the board says remote, or its workplace type is remote), or only the others.
    public var remote: Bool?
    public var sort = JobSort.newestFirst
    public var pagination = Pagination.page(1)
    public var perPage = 50

    public init() {}

    /// The tiers a job can have.
    public static let tiers = ["A", "B", "C", "D"]
    /// The categories extraction gives a job's full fit (the `fit_category` column's check).
    public static let fitCategories = ["exceptional", "strong", "good", "moderate", "weak"]

    /// A stretch of time: from `from` (inclusive) to `before` (exclusive); either may be open.
    public struct TimeRange: Sendable, Hashable {
        public var from: Date?
        public var before: Date?

        public init(from: Date? = nil, before: Date? = nil) {
            self.from = from
            self.before = before
        }
    }

    /// Which part of the list to return.
    public enum Pagination: Sendable, Hashable {
        /// A numbered page (from 1), with the total count of matching jobs.
        case page(Int)
        /// The jobs after the row a cursor names (from the start when nil), without a total: each
        /// page costs the same however deep it is, and rows added meanwhile neither repeat nor vanish.
        case cursor(JobCursor?)
    }

    /// Why this query cannot run, in a sentence for the API user; nil when it can.
    public var problem: String? {
        if sort.field == .relevance, searchText == nil {
            return "sort by relevance needs a search text (q)"
        }
        if let minimum = scoreMinimum, let maximum = scoreMaximum, minimum > maximum {
            return "score_min (\(minimum)) is above score_max (\(maximum))"
        }
        if case .page(let number) = pagination, number < 1 { return "page must be at least 1" }
        if !(1...JobQuery.maximumPerPage).contains(perPage) { return "per_page must be in 1...\(JobQuery.maximumPerPage)" }
        if case .cursor(let cursor?) = pagination, cursor.sort != sort.description {
            return "the cursor belongs to sort '\(cursor.sort)', not '\(sort.description)': start again without a cursor"
        }
        return nil
    }

    /// The most jobs one page may hold.
    public static let maximumPerPage = 200

    /// The search text when it holds anything to search for.
    var searchText: String? {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }
}

/// The order of the job list: one field, ascending or descending, jobs without a value last, ties
/// broken by id in the same direction (so the order is total and a cursor is exact).
public struct JobSort: Sendable, Hashable, CustomStringConvertible {
    public enum Field: String, Sendable, CaseIterable {
        case id, title, company, source, status, priority
        case fitScore = "fit_score"
        case tier
        case postedAt = "posted_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        /// How well the job matches the search text; only with one.
        case relevance
    }

    public var field: Field
    public var descending: Bool

    public init(field: Field, descending: Bool) {
        self.field = field
        self.descending = descending
    }

    /// Reads `fit_score` (ascending) or `-fit_score` (descending); nil for an unknown field.
    public init?(parsing text: String) {
        let descending = text.hasPrefix("-")
        guard let field = Field(rawValue: descending ? String(text.dropFirst()) : text) else { return nil }
        self.init(field: field, descending: descending)
    }

    /// The list's default: the newest job first.
    public static let newestFirst = JobSort(field: .createdAt, descending: true)

    /// The form `init(parsing:)` reads.
    public var description: String { (descending ? "-" : "") + field.rawValue }
}

/// Where a keyset page ends: the last row's sort value and id, opaque to API clients (base64url of
/// a small JSON object), and tied to the sort it was made for.
public struct JobCursor: Sendable, Hashable {
    /// The sort, as `JobSort.description` writes it.
    public var sort: String
    /// The last row's sort value as PostgreSQL writes it as text (exact, unlike a `Date`), nil when
    /// the row had none; unused for the id sort.
    public var value: String?
    public var id: Int

    public init(sort: String, value: String?, id: Int) {
        self.sort = sort
        self.value = value
        self.id = id
    }

    private struct Wire: Codable {
        var s: String
        var v: String?
        var i: Int
    }

    /// The cursor as API clients see it.
    public var encoded: String {
        let data = (try? JSONEncoder().encode(Wire(s: sort, v: value, i: id))) ?? Data()
        return data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Reads a cursor made by `encoded`; nil for anything else.
    public init?(encoded text: String) {
        guard !text.isEmpty, text.count <= 2048 else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let wire = try? JSONDecoder().decode(Wire.self, from: data), wire.i > 0 else {
            return nil
        }
        self.init(sort: wire.s, value: wire.v, id: wire.i)
    }
}

/// One page of the job list.
public struct JobListPage: Sendable {
    public var items: [JobSummary]
    /// How many jobs match in all; only for numbered pages.
    public var total: Int?
    /// Where the next page starts; nil on the last page.
    public var nextCursor: JobCursor?
}

/// Why the store could not run a job query that passed `JobQuery.problem`.
public struct JobQueryError: Error, CustomStringConvertible, Sendable {
    public let description: String

    /// A cursor whose value does not read as its sort field's type: not one this API made.
    static let invalidCursor = JobQueryError(description: "the cursor is not valid: start again without a cursor")
}
