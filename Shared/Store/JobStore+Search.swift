import Foundation
import Postgres

extension JobStore {
    // MARK: - The job list

    /// One page of the job list: the jobs matching `query`, in its order.
    ///
    /// One statement per page. It reads no description, and orders by the columns the indexes are
    /// built on (`jobs_newest_first`, `jobs_by_score`, `jobs_by_posted`, `jobs_by_status`), so the
    /// default page stops after its rows instead of sorting every job. A numbered page also counts
    /// the matching jobs (an uncorrelated subquery, run once); a cursor page does not.
    ///
    /// - Throws: `JobQueryError` when `query.problem` says it cannot run or its cursor is not one this
    ///   store made; `PostgresError` when PostgreSQL fails.
    public func searchJobs(_ query: JobQuery) async throws -> JobListPage {
        if let problem = query.problem { throw JobQueryError(description: problem) }
        let statement = JobListStatement(query)
        let rows: PostgresRows
        do {
            rows = try await run(statement.sql, statement.parameters, searching: query.searchText != nil)
        } catch let error as PostgresError where statement.usesCursor && error.sqlState?.hasPrefix("22") == true {
            // A data exception here can only come from the cursor's value, cast to its sort's type.
            throw JobQueryError.invalidCursor
        }
        var items = try rows.map(Self.decodeSummary)
        var nextCursor: JobCursor?
        if items.count > query.perPage {
            // One row more than the page was asked for: there is a next page, starting after the
            // page's last row.
            items.removeLast(items.count - query.perPage)
            let last = rows.rows[query.perPage - 1]
            nextCursor = JobCursor(sort: query.sort.description, value: try last.decode("sort_key"), id: items[query.perPage - 1].id)
        }
        var total: Int?
        if case .page(let number) = query.pagination {
            if let counted = try rows.first?.decode("total", as: Int.self) {
                total = counted
            } else if number == 1 {
                total = 0
            } else {
                // Past the last page no row carries the count.
                total = try await run(statement.countSQL, statement.countParameters, searching: query.searchText != nil)
                    .first?.decode("total", as: Int.self)
            }
        }
        return JobListPage(items: items, total: total, nextCursor: nextCursor)
    }

    /// Runs a statement of the job list.
    ///
    /// A search runs with sequential scans off. Most jobs' `search` vectors are long enough to be
    /// stored out of line (TOAST), so matching one row by row costs far more than the planner assumes:
    /// for a common word it would count the matches with a sequential scan, reading every vector
    /// (about 25 ms for 5,000 jobs), where the GIN index answers in about 1 ms.
    private func run(_ sql: String, _ parameters: [(any PostgresEncodable)?], searching: Bool) async throws -> PostgresRows {
        guard searching else { return try await database.query(sql, parameters) }
        return try await database.withTransaction { connection in
            try connection.execute("SET LOCAL enable_seqscan = off")
            return try connection.query(sql, parameters)
        }
    }

    /// One job as the list shows it, or nil when there is no such job.
    public func jobSummary(id: Int) async throws -> JobSummary? {
        try await database.query("SELECT \(Self.summaryColumns) FROM jobs j WHERE j.id = $1", [id]).first.map(Self.decodeSummary)
    }

    // MARK: - Rows

    /// What the list reads of each job. Times come as epoch seconds, which read into a `Date`
    /// far faster than timestamp text.
    ///
    /// The stage flags are scalar subqueries on each table's key, run for the page's rows only. As
    /// `EXISTS` they would be planned as hashed subplans that read the whole of every stage table on
    /// each request (the planner expects all jobs, not one page), which made the default page's
    /// statement 2.5 times as costly with the tables filled.
    static let summaryColumns = """
        j.id, j.title, j.company, j.locations, j.is_remote, j.workplace_type, j.source, j.job_url, j.status, j.priority,
        j.notes, j.fit_score, j.tier, j.fit_category,
        extract(epoch FROM j.posted_at) AS posted_epoch, extract(epoch FROM j.created_at) AS created_epoch,
        extract(epoch FROM j.updated_at) AS updated_epoch,
        (SELECT true FROM job_extractions e WHERE e.job_id = j.id) IS NOT NULL AS extracted,
        (SELECT true FROM job_research r WHERE r.job_id = j.id) IS NOT NULL AS researched,
        (SELECT true FROM job_cvs c WHERE c.job_id = j.id) IS NOT NULL AS has_cv
        """

    static func decodeSummary(_ row: PostgresRow) throws -> JobSummary {
        JobSummary(
            id: try row.decode("id"),
            title: try row.decode("title"),
            company: try row.decode("company"),
            locations: try row.decode("locations"),
            isRemote: try row.decode("is_remote"),
            workplaceType: try row.decode("workplace_type"),
            source: try row.decode("source"),
            jobURL: try row.decode("job_url"),
            status: try decodeStatus(row),
            priority: try row.decode("priority"),
            notes: try row.decode("notes"),
            fitScore: try row.decode("fit_score"),
            tier: try row.decode("tier"),
            fitCategory: try row.decode("fit_category"),
            postedAt: try row.decode("posted_epoch", as: Double?.self).map(Date.init(timeIntervalSince1970:)),
            createdAt: Date(timeIntervalSince1970: try row.decode("created_epoch")),
            updatedAt: Date(timeIntervalSince1970: try row.decode("updated_epoch")),
            stages: .init(extracted: try row.decode("extracted"), researched: try row.decode("researched"), cv: try row.decode("has_cv"))
        )
    }

    static func decodeStatus(_ row: PostgresRow) throws -> JobStatus {
        let text = try row.decode("status", as: String.self)
        guard let status = JobStatus(rawValue: text) else { throw PostgresError.decoding("job status '\(text)' is unknown") }
        return status
    }
}

/// The SQL of one job-list page, built from whitelisted column names with every value a parameter.
struct JobListStatement {
    private(set) var parameters: [(any PostgresEncodable)?] = []
    private var filters: [String] = []
    /// The filters' parameters only: the count runs without the page's limit, offset or cursor.
    private(set) var countParameters: [(any PostgresEncodable)?] = []
    private(set) var sql = ""
    private(set) var usesCursor = false

    init(_ query: JobQuery) {
        var searchQuery: String?
        if let text = query.searchText {
            let expression = "websearch_to_tsquery('english', \(bind(text)))"
            filters.append("j.search @@ \(expression)")
            searchQuery = expression
        }
        if !query.statuses.isEmpty { filters.append("j.status = ANY(\(bind(query.statuses.map(\.rawValue)))::text[])") }
        if !query.sources.isEmpty { filters.append("j.source = ANY(\(bind(query.sources))::text[])") }
        if !query.tiers.isEmpty { filters.append("j.tier = ANY(\(bind(query.tiers))::text[])") }
        if !query.fitCategories.isEmpty { filters.append("j.fit_category = ANY(\(bind(query.fitCategories))::text[])") }
        if let minimum = query.scoreMinimum { filters.append("j.fit_score >= \(bind(minimum))::integer") }
        if let maximum = query.scoreMaximum { filters.append("j.fit_score <= \(bind(maximum))::integer") }
        addRange(query.created, column: "j.created_at")
        addRange(query.posted, column: "j.posted_at")
        if let location = query.location, !location.isEmpty {
            filters.append("EXISTS (SELECT 1 FROM unnest(j.locations) AS place WHERE place ILIKE \(bind("%" + Self.escapingLike(location) + "%")))")
        }
        if let remote = query.remote {
            let isRemote = "(coalesce(j.is_remote, false) OR coalesce(j.workplace_type = 'remote', false))"
            filters.append(remote ? isRemote : "NOT \(isRemote)")
        }
        countParameters = parameters
        let countSQL = "SELECT count(*) AS total FROM jobs j" + whereClause(filters)

        let key = sortKey(query.sort.field, searchQuery: searchQuery)
        let direction = query.sort.descending ? "DESC" : "ASC"
        // NULLS LAST only where NULLs can occur: on a NOT NULL column the clause would stop the
        // planner from matching the ordered indexes, which are declared without it.
        let order = key.nullable ? "\(key.expression) \(direction) NULLS LAST, j.id \(direction)" : "\(key.expression) \(direction), j.id \(direction)"

        var conditions = filters
        var extraColumns = ", (\(key.expression))::text AS sort_key"
        let pageLimit: String
        switch query.pagination {
        case .page(let number):
            extraColumns += ", (\(countSQL)) AS total"
            pageLimit = "LIMIT \(bind(query.perPage + 1)) OFFSET \(bind((number - 1) * query.perPage))"
        case .cursor(let cursor):
            if let cursor {
                usesCursor = true
                conditions.append(keyset(after: cursor, key: key, descending: query.sort.descending))
            }
            pageLimit = "LIMIT \(bind(query.perPage + 1))"
        }
        sql = """
            SELECT \(JobStore.summaryColumns)\(extraColumns)
            FROM jobs j\(whereClause(conditions))
            ORDER BY \(order)
            \(pageLimit)
            """
        self.countSQL = countSQL
    }

    /// Counts the jobs matching the filters (with `countParameters`).
    private(set) var countSQL = ""

    // MARK: - Parts

    /// Appends a parameter and returns its placeholder.
    private mutating func bind(_ value: any PostgresEncodable) -> String {
        parameters.append(value)
        return "$\(parameters.count)"
    }

    private mutating func addRange(_ range: JobQuery.TimeRange, column: String) {
        // Epoch seconds keep the bound's sub-millisecond part, which ISO text would round away.
        if let from = range.from { filters.append("\(column) >= to_timestamp(\(bind(from.timeIntervalSince1970))::double precision)") }
        if let before = range.before { filters.append("\(column) < to_timestamp(\(bind(before.timeIntervalSince1970))::double precision)") }
    }

    private func whereClause(_ conditions: [String]) -> String {
        conditions.isEmpty ? "" : "\nWHERE " + conditions.joined(separator: "\n  AND ")
    }

    /// What a sort orders by: a column (or the search rank), the type its cursor value is cast back
    /// to, and whether it can be NULL.
    private struct SortKey {
        var expression: String
        var type: String
        var nullable: Bool
    }

    private mutating func sortKey(_ field: JobSort.Field, searchQuery: String?) -> SortKey {
        switch field {
        case .id: SortKey(expression: "j.id", type: "bigint", nullable: false)
        case .title: SortKey(expression: "j.title", type: "text", nullable: false)
        case .company: SortKey(expression: "j.company", type: "text", nullable: false)
        case .source: SortKey(expression: "j.source", type: "text", nullable: false)
        // The workflow's order (new, marked, …, discarded), not the alphabet's.
        case .status:
            SortKey(expression: "array_position(\(bind(JobStatus.allCases.map(\.rawValue)))::text[], j.status)", type: "integer", nullable: false)
        case .priority: SortKey(expression: "j.priority", type: "integer", nullable: false)
        case .fitScore: SortKey(expression: "j.fit_score", type: "integer", nullable: true)
        case .tier: SortKey(expression: "j.tier", type: "text", nullable: true)
        case .postedAt: SortKey(expression: "j.posted_at", type: "timestamptz", nullable: true)
        case .createdAt: SortKey(expression: "j.created_at", type: "timestamptz", nullable: false)
        case .updatedAt: SortKey(expression: "j.updated_at", type: "timestamptz", nullable: false)
        // `JobQuery.problem` refuses relevance without a search text.
        case .relevance: SortKey(expression: "ts_rank(j.search, \(searchQuery ?? "''::tsquery"))", type: "real", nullable: false)
        }
    }

    /// The rows after the cursor's row in the sort's order, NULLs last.
    private mutating func keyset(after cursor: JobCursor, key: SortKey, descending: Bool) -> String {
        let comparison = descending ? "<" : ">"
        let id = bind(cursor.id)
        if key.expression == "j.id" { return "j.id \(comparison) \(id)::bigint" }
        guard let value = cursor.value else {
            // The last row had no value: only rows without one are left, in id order.
            return "(\(key.expression) IS NULL AND j.id \(comparison) \(id)::bigint)"
        }
        let after = "(\(key.expression), j.id) \(comparison) (\(bind(value))::\(key.type), \(id)::bigint)"
        return key.nullable ? "(\(after) OR \(key.expression) IS NULL)" : after
    }

    /// `text` with LIKE's wildcards and escape character taken literally.
    static func escapingLike(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
