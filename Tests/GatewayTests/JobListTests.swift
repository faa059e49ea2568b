import Domain
import Foundation
@testable import GatewayService
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IngestionService
import JobsmithTesting
import Postgres
import Runtime
import Store
import Synchronization
import Testing

/// `GET /api/jobs` over real Ashby postings in PostgreSQL: search, every filter, sorts in both
/// directions with jobs lacking a value, numbered and cursor pages, and every refused parameter.
@Suite("Job list") struct JobListTests {
    /// Coder and ClassDojo (all remote) scored against the sample master CV as ingestion scores them;
    /// Clicklease (all on-site, West Valley City) left unscored, as when no master CV is configured.
    static let scoredCompanies = ["Coder", "ClassDojo"]
    static let unscoredCompanies = ["Clicklease"]

    @Test func theDefaultPageIsNewestFirstWithItsTotalAndEveryFieldOfTheList() async throws {
        try await withGateway { client, context in
            let seeded = try await Self.seed(context)
            let page = try await Self.list(client, "")
            #expect(page["total"] as? Int == seeded.count)
            #expect(page["page"] as? Int == 1)
            #expect(page["per_page"] as? Int == 50)
            #expect(page["next_cursor"] is NSNull)
            let items = Self.items(page)
            #expect(Set(items.map(Self.id)) == Set(seeded))
            // Each company was stored in one transaction, so its jobs share a creation time: the id
            // breaks the tie, newest (highest) first, and the last company stored comes first.
            #expect(items.map(Self.id) == seeded.sorted(by: >))
            let first = try #require(items.first)
            #expect(first["status"] as? String == "not_processed")
            #expect(first["priority"] as? Int == 0)
            #expect(first["notes"] as? String == "")
            #expect(first["company"] as? String == "Clicklease")
            #expect(first["locations"] as? [String] == ["West Valley City"])
            #expect(first["fit_score"] is NSNull && first["tier"] is NSNull && first["fit_category"] is NSNull)
            #expect((first["stages"] as? [String: Bool]) == ["extracted": false, "researched": false, "cv": false])
            #expect(first["description_html"] == nil && first["description_text"] == nil, "the list carries no description")
            for key in ["id", "title", "company", "locations", "is_remote", "workplace_type", "source", "job_url", "status", "priority", "notes",
                        "fit_score", "tier", "fit_category", "posted_at", "created_at", "updated_at", "stages"] {
                #expect(first[key] != nil, "missing \(key)")
            }
        }
    }

    /// The list's JSON is written by hand for speed: it must say exactly what `JSONEncoder` says of
    /// the same summaries, escapes, absent values and times included.
    @Test func theListSaysWhatJSONEncoderSaysOfItsJobs() async throws {
        try await withGateway { client, context in
            let seeded = try await Self.seed(context)
            let notes = "Said \"yes\" — \\ 😀\n\ttabbed\u{1} </script>"
            _ = try await context.store.updateJob(id: seeded[0], status: .interviewScheduled, notes: notes, priority: 3)
            _ = try await Self.paste(client, title: "Ünïcode “Engineer”", company: "Zeta Labs")
            let served = try await client.execute(uri: "/api/jobs?per_page=20&sort=id", method: .get) { response in
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                return try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? NSDictionary
            }
            var query = JobQuery()
            query.perPage = 20
            query.sort = JobSort(field: .id, descending: false)
            let page = try await context.store.searchJobs(query)
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            let items = try JSONSerialization.jsonObject(with: try encoder.encode(page.items))
            let expected: NSDictionary = [
                "items": items, "total": seeded.count + 1, "page": 1, "per_page": 20, "next_cursor": page.nextCursor?.encoded ?? "",
            ]
            #expect(served == expected)
            #expect((served?["items"] as? [[String: Any]])?.first?["notes"] as? String == notes)
        }
    }

    @Test func aSearchFindsOneCompanysPostingsAndNotTheOthers() async throws {
        try await withGateway { client, context in
            try await Self.seed(context)
            // "classroom" is in ClassDojo's descriptions and in no other company's.
            let expected = try Self.datasetTitles(of: "ClassDojo") { $0.contains("classroom") }
            #expect(!expected.isEmpty)
            let found = Self.items(try await Self.list(client, "q=classroom&per_page=200"))
            #expect(found.allSatisfy { $0["source"] as? String == "ashby-classdojo" })
            #expect(found.map { $0["title"] as? String ?? "" }.sorted() == expected.map { $0.trimmingCharacters(in: .whitespaces) }.sorted())
            // Stemming: the plural finds the same postings.
            #expect(Set(Self.items(try await Self.list(client, "q=classrooms")).map(Self.id)) == Set(found.map(Self.id)))

            // The company's name is searchable too, and web-search syntax excludes with '-'.
            let dojo = try await Self.list(client, "q=ClassDojo&per_page=200")
            #expect(dojo["total"] as? Int == 12)
            let engineers = Self.items(try await Self.list(client, "q=engineer+-classdojo&per_page=200"))
            #expect(!engineers.isEmpty && engineers.allSatisfy { $0["source"] as? String == "ashby-coder" })

            // Best match first: a title hit (weight A) outranks a description mention.
            let ranked = Self.items(try await Self.list(client, "q=engineer&sort=-relevance&per_page=200"))
            #expect((ranked.first?["title"] as? String)?.localizedCaseInsensitiveContains("engineer") == true)
            #expect(Self.items(try await Self.list(client, "q=zzzyxxqnothing")).isEmpty)
        }
    }

    @Test func everyFilterNarrowsTheList() async throws {
        try await withGateway { client, context in
            let seeded = try await Self.seed(context)
            let all = Self.items(try await Self.list(client, "per_page=200"))
            #expect(all.count == seeded.count)
            func ids(_ query: String) async throws -> Set<Int> { Set(Self.items(try await Self.list(client, query + "&per_page=200")).map(Self.id)) }
            func expected(_ predicate: ([String: Any]) -> Bool) -> Set<Int> { Set(all.filter(predicate).map(Self.id)) }

            #expect(try await ids("source=ashby-coder") == expected { $0["company"] as? String == "Coder" })
            #expect(try await ids("source=ashby-coder,ashby-clicklease") == expected { $0["source"] as? String != "ashby-classdojo" })
            #expect(try await ids("source=nowhere").isEmpty)

            // Status, after the user moved two jobs along.
            let marked = Array(seeded.prefix(2))
            #expect(try await context.store.setStatus(ids: marked, status: .markedForApplying) == marked.sorted())
            #expect(try await ids("status=marked_for_applying") == Set(marked))
            #expect(try await ids("status=not_processed,marked_for_applying").count == seeded.count)
            #expect(try await ids("status=applied").isEmpty)

            // Scores, tiers and categories: only scored jobs match any bound.
            let scored = all.filter { $0["fit_score"] is Int }
            #expect(!scored.isEmpty && scored.count < all.count)
            let median = (scored.map { $0["fit_score"] as! Int }.sorted())[scored.count / 2]
            #expect(try await ids("score_min=\(median)") == expected { ($0["fit_score"] as? Int).map { $0 >= median } == true })
            #expect(try await ids("score_max=\(median)") == expected { ($0["fit_score"] as? Int).map { $0 <= median } == true })
            #expect(try await ids("score_min=\(median)&score_max=\(median)") == expected { $0["fit_score"] as? Int == median })
            let tiers = Set(scored.compactMap { $0["tier"] as? String })
            for tier in tiers {
                #expect(try await ids("tier=\(tier.lowercased())") == expected { $0["tier"] as? String == tier })
            }
            try await context.database.query(
                "UPDATE jobs SET fit_category = CASE WHEN fit_score >= $1 THEN 'strong' ELSE 'weak' END WHERE fit_score IS NOT NULL", [median]
            )
            #expect(try await ids("fit_category=strong") == expected { ($0["fit_score"] as? Int).map { $0 >= median } == true })
            #expect(try await ids("fit_category=strong,weak") == expected { $0["fit_score"] is Int })

            // Location: part of a location, in any case.
            #expect(try await ids("location=united+KINGDOM") == expected { ($0["locations"] as? [String] ?? []).contains("United Kingdom") })
            #expect(try await ids("location=valley") == expected { $0["company"] as? String == "Clicklease" })
            #expect(try await ids("location=%25").isEmpty, "a % is a character, not a wildcard")

            // Remote: every Coder and ClassDojo posting is remote, no Clicklease one is.
            #expect(try await ids("remote=true") == expected { $0["company"] as? String != "Clicklease" })
            #expect(try await ids("remote=false") == expected { $0["company"] as? String == "Clicklease" })

            // Posting dates, as the boards state them.
            #expect(try await ids("posted_from=2025-10-20") == expected { ($0["posted_at"] as? String ?? "") >= "2025-10-20" })
            #expect(try await ids("posted_to=2025-10-20") == expected { ($0["posted_at"] as? String ?? "9") < "2025-10-21" })
            #expect(try await ids("posted_from=2025-10-20T00:00:00Z&posted_to=2025-10-21T23:59:59Z")
                == expected { ["2025-10-20", "2025-10-21"].contains(($0["posted_at"] as? String ?? "").prefix(10)) })

            // Creation times: Clicklease was found ten days ago, the others just now.
            try await context.database.query("UPDATE jobs SET created_at = now() - interval '10 days' WHERE source = 'ashby-clicklease'")
            let clicklease = expected { $0["company"] as? String == "Clicklease" }
            #expect(try await ids("since=24h") == Set(seeded).subtracting(clicklease))
            #expect(try await ids("since=2w") == Set(seeded))
            let nineDaysAgo = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-9 * 86_400))
            #expect(try await ids("created_to=\(nineDaysAgo)") == clicklease)
            #expect(try await ids("created_from=\(nineDaysAgo)") == Set(seeded).subtracting(clicklease))
            #expect(try await ids("created_from=\(nineDaysAgo)&since=30d") == Set(seeded).subtracting(clicklease), "the later lower bound wins")

            // Filters combine.
            #expect(try await ids("q=engineer&remote=true&source=ashby-coder") == expected {
                $0["company"] as? String == "Coder"
            }.intersection(try await ids("q=engineer")))
        }
    }

    /// One database for every sort (the cases share the test server's connections with the rest).
    static let sorts = ["title", "-title", "company", "priority", "-priority", "fit_score", "-fit_score", "posted_at", "-posted_at", "created_at", "id", "-id", "status", "tier", "-tier", "-updated_at"]

    @Test func sortsOrderEveryJobWithJobsLackingAValueLast() async throws {
        try await withGateway { client, context in
            let seeded = try await Self.seed(context)
            // A pasted job has no posting date; priorities and statuses differ on a few jobs.
            let pasted = try await Self.paste(client, title: "Pasted Platform Engineer", company: "Zeta Labs")
            _ = try await context.store.setStatus(ids: [seeded[3], seeded[9]], status: .applied)
            _ = try await context.store.updateJob(id: seeded[5], priority: 5)
            _ = try await context.store.updateJob(id: seeded[6], priority: 2)
            for sort in Self.sorts {
                let items = Self.items(try await Self.list(client, "sort=\(sort)&per_page=200"))
                #expect(items.count == seeded.count + 1)
                #expect(Set(items.map(Self.id)) == Set(seeded + [pasted]))
                let field = sort.hasPrefix("-") ? String(sort.dropFirst()) : sort
                let descending = sort.hasPrefix("-")
                for (earlier, later) in zip(items, items.dropFirst()) {
                    #expect(Self.inOrder(earlier, later, field: field, descending: descending), "\(sort): \(earlier[field] ?? "nil") then \(later[field] ?? "nil")")
                }
                if ["fit_score", "posted_at", "tier"].contains(field) {
                    #expect(items.last?[field] is NSNull, "\(sort): jobs without \(field) come last in both directions")
                }
            }
        }
    }


    @Test func numberedPagesCoverEveryJobOnceAndCountThemAll() async throws {
        try await withGateway { client, context in
            let seeded = try await Self.seed(context)
            var seen: [Int] = []
            for number in 1...4 {
                let page = try await Self.list(client, "per_page=10&page=\(number)")
                #expect(page["total"] as? Int == seeded.count)
                #expect(page["page"] as? Int == number)
                seen += Self.items(page).map(Self.id)
                #expect((page["next_cursor"] is String) == (number < 4))
            }
            #expect(seen == seeded.sorted(by: >))
            let beyond = try await Self.list(client, "per_page=10&page=9")
            #expect(Self.items(beyond).isEmpty)
            #expect(beyond["total"] as? Int == seeded.count, "past the last page the total is still counted")
            let none = try await Self.list(client, "source=nowhere")
            #expect(none["total"] as? Int == 0 && Self.items(none).isEmpty)
        }
    }

    @Test func walkingEveryPageByCursorYieldsEveryJobExactlyOnceInOrder() async throws {
        try await withGateway { client, context in
            try await Self.seed(context)
            _ = try await Self.paste(client, title: "Pasted Data Engineer", company: "Zeta Labs")
            for sort in ["-created_at", "title", "-fit_score", "fit_score", "posted_at", "-tier", "status", "-priority", "-relevance"] {
                let search = sort.hasSuffix("relevance") ? "q=engineer+OR+manager&" : ""
                let whole = Self.items(try await Self.list(client, "\(search)sort=\(sort)&per_page=200")).map(Self.id)
                #expect(whole.count > 10)
                var walked: [Int] = []
                var query = "\(search)sort=\(sort)&per_page=7"
                var pages = 0
                while true {
                    let page = try await Self.list(client, query)
                    #expect(page["total"] is NSNull || pages == 0, "only the numbered first page counts")
                    walked += Self.items(page).map(Self.id)
                    pages += 1
                    guard let cursor = page["next_cursor"] as? String else { break }
                    query = "\(search)sort=\(sort)&per_page=7&cursor=\(cursor)"
                    if pages > 20 { break }
                }
                #expect(walked == whole, "\(sort)")
                #expect(Set(walked).count == walked.count)
                #expect(pages == (whole.count + 6) / 7, "\(sort)")
            }
        }
    }

    @Test func aCursorKeepsItsPlaceWhenJobsAreAddedInFront() async throws {
        try await withGateway { client, context in
            let seeded = try await Self.seed(context)
            let first = try await Self.list(client, "per_page=10")
            let cursor = try #require(first["next_cursor"] as? String)
            _ = try await Self.paste(client, title: "A Newer Job", company: "Zeta Labs")
            let second = Self.items(try await Self.list(client, "per_page=10&cursor=\(cursor)")).map(Self.id)
            #expect(second == Array(seeded.sorted(by: >)[10..<20]))
        }
    }

    static let badParameters: [(query: String, named: String)] = [
        ("status=bogus", "status"), ("tier=E", "tier"), ("fit_category=great", "fit_category"), ("score_min=101", "score_min"),
        ("score_min=-1", "score_min"), ("score_min=60&score_max=40", "score_min"), ("score_max=abc", "score_max"),
        ("created_from=yesterday", "created_from"), ("created_to=2025-13-01", "created_to"), ("posted_from=2025-10-01T10:00:00", "posted_from"),
        ("posted_from=2025-10-02&posted_to=2025-10-01", "posted_from"), ("since=3x", "since"), ("since=h", "since"), ("remote=maybe", "remote"),
        ("sort=salary", "sort"), ("sort=relevance", "relevance"), ("per_page=0", "per_page"), ("per_page=201", "per_page"),
        ("page=0", "page"), ("page=x", "page"), ("cursor=not-a-cursor", "cursor"), ("page=2&cursor=eyJzIjoiLWNyZWF0ZWRfYXQiLCJpIjoxfQ", "cursor"),
        ("sort=title&cursor=eyJzIjoiLWNyZWF0ZWRfYXQiLCJpIjoxfQ", "cursor"), ("stauts=applied", "stauts"), ("q=a&q=b", "q"),
        ("cursor=eyJzIjoiLWNyZWF0ZWRfYXQiLCJ2Ijoibm90IGEgdGltZSIsImkiOjF9", "cursor"),
        // Typed parameters given empty, or in a form the OpenAPI document does not allow.
        ("status=", "status"), ("status=applied,", "status"), ("fit_category=STRONG", "fit_category"), ("remote=1", "remote"),
        ("per_page=", "per_page"), ("since=05h", "since"), ("since=100000h", "since"), ("created_from=2025-10-01T10:00:00+0200", "created_from"),
        ("cursor=", "cursor"), ("sort=", "sort"),
    ]

    @Test func badParametersAreRefusedNamingTheParameter() async throws {
        try await withGateway { client, context in
            try await Self.seed(context, companies: ["Coder"])
            for (query, named) in Self.badParameters {
                try await client.execute(uri: "/api/jobs?\(query)", method: .get) { response in
                    #expect(response.status == .badRequest, "\(query)")
                    #expect(response.errorCode == "bad_request")
                    let message = ((try? response.object())?["error"] as? [String: Any])?["message"] as? String ?? ""
                    #expect(message.contains(named), "\(query): \(message)")
                }
            }
        }
    }

    @Test func concurrentReadsOfOnePageShareOneReadAndAWriteIsNeverMissed() async throws {
        let coalescer = JobListCoalescer()
        let reads = Atomic<Int>(0)
        let read: @Sendable () async throws -> [UInt8] = {
            let number = reads.add(1, ordering: .relaxed).newValue
            try await Task.sleep(for: .milliseconds(100))
            return Array("read \(number)".utf8)
        }
        var search = JobQuery()
        search.text = "engineer"
        let query = search
        let bodies = try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for _ in 0..<20 { group.addTask { try await coalescer.body(for: query, read: read) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(reads.load(ordering: .relaxed) == 1)
        #expect(Set(bodies) == [Array("read 1".utf8)])

        // Nothing is kept once the read is done.
        _ = try await coalescer.body(for: query, read: read)
        #expect(reads.load(ordering: .relaxed) == 2)

        // Another page is another read; a write in the middle of a read is not hidden from later requests.
        async let other = coalescer.body(for: JobQuery(), read: read)
        async let before = coalescer.body(for: query, read: read)
        try await Task.sleep(for: .milliseconds(20))
        coalescer.invalidate()
        let after = try await coalescer.body(for: query, read: read)
        let results = try await [other, before, after]
        #expect(reads.load(ordering: .relaxed) == 5)
        #expect(Set(results).count == 3)
    }

    @Test func dateFiltersReadISO8601ByArithmeticAsFoundationReadsIt() throws {
        let valid: [(String, String, Bool)] = [
            ("2025-10-01", "2025-10-01T00:00:00Z", true),
            ("2024-02-29", "2024-02-29T00:00:00Z", true),
            ("2025-10-01T09:30:00Z", "2025-10-01T09:30:00Z", false),
            ("2025-10-01T09:30:00+02:00", "2025-10-01T07:30:00Z", false),
            ("2025-10-01T09:30:00 02:00", "2025-10-01T07:30:00Z", false),
            ("2025-10-01T23:30:00-01:30", "2025-10-02T01:00:00Z", false),
            ("1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z", false),
        ]
        for (text, utc, isDate) in valid {
            let instant = try #require(UTCCalendar.instant(text), "\(text)")
            #expect(instant.date == (try Date(utc, strategy: .iso8601)), "\(text)")
            #expect(instant.isDate == isDate, "\(text)")
        }
        let fraction = try #require(UTCCalendar.instant("2025-10-01T09:30:00.250+02:00")).date
        #expect(abs(fraction.timeIntervalSince(try Date("2025-10-01T07:30:00Z", strategy: .iso8601)) - 0.25) < 0.000_001)
        for text in ["2025-02-29", "2025-13-01", "2025-00-10", "2025-10-32", "2025-10-01T24:00:00Z", "2025-10-01T09:60:00Z",
                     "2025-10-01T09:30:00", "2025-10-01T09:30:00+0200", "2025-10-01T09:30:00.Z", "2025-10-01T09:30:00Zx",
                     "2025-1-01", "yesterday", "", "２０２５-10-01"] {
            #expect(UTCCalendar.instant(text) == nil, "\(text)")
        }
        // The day count and its inverse agree with each other for ±2,000 years around 1970.
        for days in stride(from: -730_000, through: 730_000, by: 997) {
            let date = UTCCalendar.civilDate(daysSinceEpoch: days)
            #expect(UTCCalendar.days(year: date.year, month: date.month, day: date.day) == days)
        }
    }

    // MARK: - Helpers

    /// Stores the companies' real postings as ingestion does (scored for `scoredCompanies`), one
    /// transaction per company; returns the ids ascending.
    @discardableResult
    static func seed(_ context: ServiceContext, companies: [String]? = nil) async throws -> [Int] {
        let master = try MasterCV.load(from: TestEnvironment.repositoryRoot.appendingPathComponent("samples/master-cv.json"))
        let scorer = QuickScorer(master: master)
        var ids: [Int] = []
        for company in companies ?? (scoredCompanies + unscoredCompanies) {
            let data = try Data(contentsOf: TestEnvironment.ashbyDatasetDirectory.appendingPathComponent("\(company).json"))
            let source = "ashby-\(company.lowercased())"
            let page = try AshbyBoardParser().parse(data, context: BoardContext(source: source, board: company.lowercased()))
            let score = scoredCompanies.contains(company) ? scorer : nil
            let prepared = page.postings.map { PostingPreparer.prepare($0, scorer: score, threshold: 0) }
            ids += try await context.store.ingest(prepared, source: source, runID: UUID()) { _, _ in false }.touchedJobIDs
        }
        return ids.sorted()
    }

    /// Titles of the company's postings in the dataset whose lower-cased text passes `predicate`.
    static func datasetTitles(of company: String, where predicate: (String) -> Bool) throws -> [String] {
        let data = try Data(contentsOf: TestEnvironment.ashbyDatasetDirectory.appendingPathComponent("\(company).json"))
        let jobs = (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["jobs"] as? [[String: Any]] ?? []
        return jobs.filter { job in
            let text = "\(job["title"] as? String ?? "") \(job["descriptionPlain"] as? String ?? "")".lowercased()
            return predicate(text)
        }.map { $0["title"] as? String ?? "" }
    }

    /// Adds a job through `POST /api/jobs` and returns its id.
    static func paste(_ client: some TestClientProtocol, title: String, company: String) async throws -> Int {
        let body = try jsonBody(["title": title, "company": company, "description": "We build tools.\n\n- Swift\n- PostgreSQL"])
        return try await client.execute(uri: "/api/jobs", method: .post, headers: .authorizedJSON, body: body) { response in
            #expect(response.status == .created)
            return try #require(try response.object()["id"] as? Int)
        }
    }

    static func list(_ client: some TestClientProtocol, _ query: String) async throws -> [String: Any] {
        try await client.execute(uri: "/api/jobs?\(query)", method: .get) { response in
            #expect(response.status == .ok, "\(query): \(String(buffer: response.body))")
            return try response.object()
        }
    }

    static func items(_ page: [String: Any]) -> [[String: Any]] { page["items"] as? [[String: Any]] ?? [] }

    static func id(_ item: [String: Any]) -> Int { item["id"] as? Int ?? 0 }

    /// Whether `earlier` may come before `later` when sorted by `field`: values in the direction
    /// asked, NULLs last, equal values by id in the same direction.
    static func inOrder(_ earlier: [String: Any], _ later: [String: Any], field: String, descending: Bool) -> Bool {
        let idsInOrder = descending ? id(earlier) > id(later) : id(earlier) < id(later)
        if field == "id" { return idsInOrder }
        let first = comparable(earlier[field], field: field)
        let second = comparable(later[field], field: field)
        switch (first, second) {
        case (nil, nil): return idsInOrder
        case (nil, _): return false
        case (_, nil): return true
        case (let first?, let second?):
            // Times are shown to the second while PostgreSQL orders by the microsecond: equal shown
            // times say nothing about the order.
            if first == second { return field.hasSuffix("_at") || idsInOrder }
            return descending ? first > second : first < second
        }
    }

    /// A field's value as something that sorts as PostgreSQL sorts it (the test database's C
    /// collation compares text by code point).
    static func comparable(_ value: Any?, field: String) -> ComparableValue? {
        switch value {
        case let number as Int: return .number(Double(number))
        case let text as String where field == "status":
            return .number(Double(JobStatus.allCases.firstIndex { $0.rawValue == text } ?? -1))
        case let text as String: return .text(Array(text.unicodeScalars.map(\.value)))
        default: return nil
        }
    }

    enum ComparableValue: Comparable {
        case number(Double)
        case text([UInt32])

        static func < (lhs: Self, rhs: Self) -> Bool {
            switch (lhs, rhs) {
            case (.number(let a), .number(let b)): a < b
            case (.text(let a), .text(let b)): a.lexicographicallyPrecedes(b)
            default: false
            }
        }
    }
}
