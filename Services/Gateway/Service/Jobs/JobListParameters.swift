import Foundation
import Store

/// Reads `GET /api/jobs`'s query string into a `JobQuery`, refusing every value it cannot use with a
/// 400 that names the parameter and what it accepts.
///
/// The query is read as a form would send it (`+` is a space, `%XX` a byte), since that is how
/// browsers encode search boxes. List parameters take commas (`status=applied,rejected`) and may
/// also be repeated.
struct JobListParameters {
    static let names = [
        "q", "status", "source", "tier", "fit_category", "score_min", "score_max", "created_from", "created_to",
        "posted_from", "posted_to", "since", "location", "remote", "sort", "page", "per_page", "cursor",
    ]

    private var values: [String: [String]] = [:]

    init(query: String?) throws {
        for pair in (query ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.formDecoded(parts[0])
            let value = parts.count > 1 ? Self.formDecoded(parts[1]) : ""
            guard Self.names.contains(name) else {
                throw APIError.badRequest("unknown query parameter '\(name)'; the job list takes \(Self.names.joined(separator: ", "))")
            }
            values[name, default: []].append(value)
        }
    }

    /// The query the parameters ask for, relative times counted back from `now`.
    func jobQuery(now: Date = Date()) throws -> (query: JobQuery, page: Int?) {
        var query = JobQuery()
        query.text = try freeText("q")
        query.statuses = try choices("status", from: JobStatus.allCases.map(\.rawValue)).compactMap(JobStatus.init(rawValue:))
        query.sources = try list("source")
        // A tier is a letter: `a` is `A`.
        query.tiers = try choices("tier", from: JobQuery.tiers, ignoringCase: true)
        query.fitCategories = try choices("fit_category", from: JobQuery.fitCategories)
        query.scoreMinimum = try integer("score_min", range: 0...100)
        query.scoreMaximum = try integer("score_max", range: 0...100)
        if let minimum = query.scoreMinimum, let maximum = query.scoreMaximum, minimum > maximum {
            throw APIError.badRequest("score_min (\(minimum)) must not be above score_max (\(maximum))")
        }
        query.created = try range(from: "created_from", to: "created_to")
        query.posted = try range(from: "posted_from", to: "posted_to")
        if let since = try relativeStart("since", now: now) {
            // Both are lower bounds on the same time: the later one is what both allow.
            query.created.from = max(query.created.from ?? since, since)
        }
        query.location = try freeText("location")
        query.remote = try boolean("remote")
        if let text = try value("sort") {
            guard let sort = JobSort(parsing: text) else {
                let fields = JobSort.Field.allCases.map(\.rawValue).joined(separator: ", ")
                throw APIError.badRequest("sort must be one of \(fields), with a '-' in front for descending (e.g. -fit_score), got '\(text)'")
            }
            if sort.field == .relevance, query.text?.trimmingCharacters(in: .whitespaces).isEmpty != false {
                throw APIError.badRequest("sort=relevance needs a search text in q")
            }
            query.sort = sort
        }
        query.perPage = try integer("per_page", range: 1...JobQuery.maximumPerPage) ?? 50
        let page = try integer("page", range: 1...1_000_000)
        if let text = try value("cursor") {
            guard page == nil else { throw APIError.badRequest("give either page or cursor, not both") }
            guard let cursor = JobCursor(encoded: text) else {
                throw APIError.badRequest("cursor is not valid: pass the next_cursor of the previous page as it is")
            }
            guard cursor.sort == query.sort.description else {
                throw APIError.badRequest("cursor belongs to sort '\(cursor.sort)', not '\(query.sort.description)': keep the sort while paging, or start again without a cursor")
            }
            query.pagination = .cursor(cursor)
            return (query, nil)
        }
        query.pagination = .page(page ?? 1)
        return (query, page ?? 1)
    }

    // MARK: - Values

    /// The parameter's value, nil when absent; a parameter given twice is refused.
    private func value(_ name: String) throws -> String? {
        guard let given = values[name] else { return nil }
        guard given.count == 1 else { throw APIError.badRequest("give \(name) once, got it \(given.count) times") }
        return given[0].trimmingCharacters(in: .whitespaces)
    }

    /// Free text, where an empty value (a form's empty search box) means no filter.
    private func freeText(_ name: String) throws -> String? {
        guard let text = try value(name), !text.isEmpty else { return nil }
        return text
    }

    /// Every comma-separated item of every occurrence, trimmed, without repeats. A list of fixed
    /// `choices` refuses an empty value or item as it refuses an unknown one (the caller checks the
    /// others); a free list passes empty items over.
    private func list(_ name: String, choices: [String]? = nil) throws -> [String] {
        var items: [String] = []
        for value in values[name] ?? [] {
            for item in value.split(separator: ",", omittingEmptySubsequences: false) {
                let trimmed = item.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty {
                    guard let choices else { continue }
                    throw APIError.badRequest("\(name) must be one or more of \(choices.joined(separator: ", ")), got an empty value")
                }
                if !items.contains(trimmed) { items.append(trimmed) }
            }
        }
        return items
    }

    /// The items of a list of fixed values, each one of `allowed` (in any case with `ignoringCase`),
    /// spelled as `allowed` spells it.
    private func choices(_ name: String, from allowed: [String], ignoringCase: Bool = false) throws -> [String] {
        try list(name, choices: allowed).map { item in
            guard let match = allowed.first(where: { ignoringCase ? $0.caseInsensitiveCompare(item) == .orderedSame : $0 == item }) else {
                throw APIError.badRequest("\(name) must be one or more of \(allowed.joined(separator: ", ")), got '\(item)'")
            }
            return match
        }
    }

    private func integer(_ name: String, range: ClosedRange<Int>) throws -> Int? {
        guard let text = try value(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw APIError.badRequest("\(name) must be a whole number in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
        }
        return value
    }

    private func boolean(_ name: String) throws -> Bool? {
        guard let text = try value(name) else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default: throw APIError.badRequest("\(name) must be true or false, got '\(text)'")
        }
    }

    /// `from` inclusive, `to` inclusive: a date alone as `to` takes in its whole day (UTC).
    private func range(from fromName: String, to toName: String) throws -> JobQuery.TimeRange {
        var range = JobQuery.TimeRange()
        if let text = try value(fromName) { range.from = try Self.instant(text, parameter: fromName).date }
        if let text = try value(toName) {
            let end = try Self.instant(text, parameter: toName)
            // `before` is exclusive: the next day for a date, the next microsecond for a time.
            range.before = end.isDate ? end.date.addingTimeInterval(86_400) : end.date.addingTimeInterval(0.000_001)
        }
        if let from = range.from, let before = range.before, from >= before {
            throw APIError.badRequest("\(fromName) must be before \(toName)")
        }
        return range
    }

    /// An ISO 8601 date (`2025-10-01`, UTC) or date-time with a zone (`2025-10-01T09:30:00Z`,
    /// `2025-10-01T09:30:00.250+02:00`).
    static func instant(_ text: String, parameter: String) throws -> (date: Date, isDate: Bool) {
        guard let instant = UTCCalendar.instant(text) else {
            throw APIError.badRequest(
                "\(parameter) must be an ISO 8601 date (2025-10-01) or date-time with a time zone (2025-10-01T09:30:00Z), got '\(text)'"
            )
        }
        return instant
    }

    /// `since=1h`, `24h`, `7d`, `2w`: that long before `now` (1 to 99,999 units).
    private func relativeStart(_ name: String, now: Date) throws -> Date? {
        guard let text = try value(name) else { return nil }
        let units: [Character: Double] = ["m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        let number = text.dropLast()
        guard let unit = text.last.flatMap({ units[$0] }), (1...5).contains(number.count), number.first != "0",
              number.allSatisfy({ ("0"..."9").contains($0) }), let count = Int(number) else {
            throw APIError.badRequest("\(name) must be a number and a unit: m (minutes), h (hours), d (days) or w (weeks), e.g. 1h, 24h, 7d; got '\(text)'")
        }
        return now.addingTimeInterval(-Double(count) * unit)
    }

    private static func formDecoded(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
