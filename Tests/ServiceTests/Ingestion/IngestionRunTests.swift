import Domain
import Foundation
import Hummingbird
import IngestionService
import IntegrationTesting
import JobsmithTesting
import Logging
import NIOCore
import Messaging
import Postgres
import Redis
import Store
import Synchronization
import Testing

/// Runs real sources against real board payloads served from a loopback server, with PostgreSQL and
/// Redis behind, and checks what was stored, recorded and published.
@Suite struct IngestionRunTests {
    @Test func everyBoardIsIngestedWithItsFieldsNormalized() async throws {
        let harness = try await IngestionHarness()
        let server = try await BoardServer.start()
        let base = server.baseURL
        let expectations: [(SourceRecord, Int)] = [
            (SourceRecord(name: "gh", kind: .greenhouse, location: "\(base)/v1/boards/catawiki/jobs"), 50),
            (SourceRecord(name: "gh-small", kind: .greenhouse, location: "\(base)/v1/boards/smarterdx/jobs"), 2),
            // The trimmed fixtures (descriptions cut at ~600 characters) still go through whole.
            (SourceRecord(name: "gh-trimmed", kind: .greenhouse, location: "\(base)/v1/boards/duolingo/jobs"), 3),
            (SourceRecord(name: "lever", kind: .lever, location: "\(base)/v0/postings/palantir"), 2),
            (SourceRecord(name: "lever-trimmed", kind: .lever, location: "\(base)/v0/postings/palantir-sample"), 3),
            (SourceRecord(name: "ashby-small", kind: .ashby, location: "\(base)/posting-api/job-board/openevidence"), 2),
            (SourceRecord(name: "ashby-trimmed", kind: .ashby, location: "\(base)/posting-api/job-board/ramp"), 3),
            (SourceRecord(name: "ashby-ellipsis", kind: .ashby, location: "\(base)/posting-api/job-board/ellipsislabs"), 10),
            (SourceRecord(name: "ashby-gimlet", kind: .ashby, location: "\(base)/posting-api/job-board/gimlet"), 9),
            (SourceRecord(name: "ashby-notion", kind: .ashby, location: "\(base)/posting-api/job-board/notion"), 135),
            (SourceRecord(name: "ashby", kind: .ashby, location: "\(base)/posting-api/job-board/double"), 9),
            (SourceRecord(name: "himalayas", kind: .himalayas, location: "\(base)/jobs/api"), 4),
            (SourceRecord(name: "remotive", kind: .remotive, location: "\(base)/api/remote-jobs"), 35),
            // One of RemoteOK's 97 postings has neither title nor company: it is rejected.
            (SourceRecord(name: "remoteok", kind: .remoteok, location: "\(base)/remoteok/api"), 96),
            (SourceRecord(name: "wwr", kind: .feed, location: "\(base)/remote-jobs.rss"), 4),
        ]
        var stored = 0
        for (source, expected) in expectations {
            let run = try await harness.run(source)
            #expect(run.status == "succeeded", "\(source.name): \(run.errors)")
            #expect(run.counts.fetched == expected + run.counts.rejected, "\(source.name)")
            #expect(run.counts.new + run.counts.duplicates == expected, "\(source.name)")
            #expect(run.startedAt != nil && run.finishedAt != nil && run.durationMilliseconds != nil)
            stored += run.counts.new
        }

        let android = try #require(try await harness.job(source: "gh", externalID: "6954117"))
        #expect(try android.decode("title", as: String.self) == "Android Developer")
        #expect(try android.decode("company", as: String.self) == "Catawiki")
        #expect(try android.decode("locations", as: [String].self) == ["Lisbon, Portugal"])
        let safe = try android.decode("description_safe_html", as: String.self)
        #expect(safe.contains("<p>") && !safe.contains("&lt;") && !safe.lowercased().contains("<script"))
        let clean = try android.decode("description_clean", as: String.self)
        #expect(!clean.contains("<") && !clean.contains("&amp;") && clean.count > 1000)

        let lever = try #require(try await harness.job(source: "lever", externalID: "ac978161-6f46-4f6b-ad9e-a258e642751c"))
        #expect(try lever.decode("title", as: String.self) == "Administrative Business Partner")
        #expect(try lever.decode("workplace_type", as: String?.self) == "hybrid")
        #expect(try lever.decode("posted_at", as: Date.self) == Date(timeIntervalSince1970: 1_711_403_416.463))

        let remoteOK = try #require(try await harness.job(source: "remoteok", externalID: "1130788"))
        #expect(try remoteOK.decode("company", as: String.self) == "Fisher Agencies")
        #expect(try remoteOK.decode("posted_at", as: Date.self) == Date(timeIntervalSince1970: 1_773_619_203))
        #expect(try remoteOK.decode("workplace_type", as: String?.self) == "remote")

        let remotive = try #require(try await harness.job(source: "remotive", externalID: "2090903"))
        #expect(try remotive.decode("title", as: String.self) == "Data Labeling Specialists")
        #expect(try remotive.decode("company", as: String.self) == "Workada")

        // Every stored job was scored and every one that passed (no threshold here) was published once.
        let unscored = try await harness.postgres.query("SELECT count(*) AS n FROM jobs WHERE fit_score IS NULL OR tier IS NULL")
        #expect(try unscored.first?.decode("n", as: Int.self) == 0)
        #expect(try await harness.publishedCount() == stored)
        await server.stop()
        await harness.tearDown()
    }

    @Test func aSecondRunRecognizesEverythingAsKnownAndPublishesNothing() async throws {
        let harness = try await IngestionHarness()
        let server = try await BoardServer.start()
        let source = SourceRecord(name: "ashby", kind: .ashby, location: "\(server.baseURL)/posting-api/job-board/double")
        let first = try await harness.run(source)
        #expect(first.counts.new == 9)
        let second = try await harness.run(source)
        #expect(second.counts.new == 0)
        #expect(second.counts.updated == 0)
        #expect(second.counts.duplicates == 9)
        #expect(try await harness.publishedCount() == 9)
        let salaried = try #require(try await harness.postgres.query(
            "SELECT salary_min, salary_max, salary_currency, salary_interval FROM jobs WHERE salary_min IS NOT NULL LIMIT 1"
        ).first)
        #expect(try salaried.decode("salary_currency", as: String?.self) != nil)
        #expect(try salaried.decode("salary_interval", as: String?.self) == "year")
        await server.stop()
        await harness.tearDown()
    }

    @Test func aChangedPostingIsUpdatedAndPublishedOnceMore() async throws {
        let harness = try await IngestionHarness()
        let original = try boardFixture("ashby/stapply_double.json")
        var board = try JSONSerialization.jsonObject(with: original) as! [String: Any]
        var jobs = board["jobs"] as! [[String: Any]]
        jobs[0]["descriptionHtml"] = (jobs[0]["descriptionHtml"] as! String) + "<p>We now offer a four-day week.</p>"
        board["jobs"] = jobs
        let edited = try JSONSerialization.data(withJSONObject: board)
        let served = Mutex(Array(original))
        let server = try await BoardServer.start { router in
            router.get("posting-api/job-board/changing") { _, _ in BoardServer.bytes(served.withLock { $0 }) }
        }
        let source = SourceRecord(name: "changing", kind: .ashby, location: "\(server.baseURL)/posting-api/job-board/changing")
        #expect(try await harness.run(source).counts.new == 9)
        served.withLock { $0 = Array(edited) }
        let second = try await harness.run(source)
        #expect(second.counts.updated == 1)
        #expect(second.counts.duplicates == 8)
        #expect(try await harness.publishedCount() == 10)
        let job = try #require(try await harness.job(source: "changing", externalID: jobs[0]["id"] as! String))
        #expect(try job.decode("description_clean", as: String.self).contains("four-day week"))
        await server.stop()
        await harness.tearDown()
    }

    @Test func theSameJobOnTwoBoardsBecomesOneJobWithTwoSources() async throws {
        let harness = try await IngestionHarness()
        let notion = try JSONSerialization.jsonObject(with: boardFixture("ashby/stapply_notion.json")) as! [String: Any]
        let postings = notion["jobs"] as! [[String: Any]]
        let original = postings[0]
        let title = original["title"] as! String
        // The same posting as Greenhouse would serve it: entity-escaped HTML, lightly edited.
        func escaped(_ html: String) -> String {
            html.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        let other = postings.first { ($0["title"] as? String) != title && ($0["descriptionHtml"] as? String) != nil }!
        let greenhouse: [String: Any] = [
            "jobs": [
                [
                    "id": 999_001, "title": title, "company_name": "Notion",
                    "location": ["name": original["location"] as! String],
                    "absolute_url": "https://job-boards.greenhouse.io/notion/jobs/999001",
                    "updated_at": "2025-10-01T10:00:00-04:00",
                    "content": escaped((original["descriptionHtml"] as! String) + "<p>Apply through Greenhouse.</p>"),
                ],
                [
                    // Same company and title, a different job: its description is another posting's.
                    "id": 999_002, "title": title, "company_name": "Notion",
                    "location": ["name": original["location"] as! String],
                    "absolute_url": "https://job-boards.greenhouse.io/notion/jobs/999002",
                    "updated_at": "2025-10-01T10:00:00-04:00",
                    "content": escaped(other["descriptionHtml"] as! String),
                ],
            ],
            "meta": ["total": 2],
        ]
        let payload = try JSONSerialization.data(withJSONObject: greenhouse)
        let server = try await BoardServer.start { router in
            router.get("v1/boards/notion/jobs") { _, _ in BoardServer.bytes(Array(payload)) }
        }
        let ashbyRun = try await harness.run(SourceRecord(name: "notion-ashby", kind: .ashby, location: "\(server.baseURL)/posting-api/job-board/notion"))
        #expect(ashbyRun.counts.new == postings.count)
        let greenhouseRun = try await harness.run(SourceRecord(name: "notion-gh", kind: .greenhouse, location: "\(server.baseURL)/v1/boards/notion/jobs"))
        #expect(greenhouseRun.counts.duplicates == 1)
        #expect(greenhouseRun.counts.new == 1)
        let fromAshby = try #require(try await harness.job(source: "notion-ashby", externalID: original["id"] as! String))
        let fromGreenhouse = try #require(try await harness.job(source: "notion-gh", externalID: "999001"))
        #expect(try fromAshby.decode("id", as: Int.self) == fromGreenhouse.decode("id", as: Int.self))
        #expect(try fromGreenhouse.decode("source_count", as: Int.self) == 2)
        let different = try #require(try await harness.job(source: "notion-gh", externalID: "999002"))
        #expect(try different.decode("id", as: Int.self) != fromAshby.decode("id", as: Int.self))
        // The duplicate was not sent down the pipeline a second time.
        #expect(try await harness.publishedCount() == postings.count + 1)
        await server.stop()
        await harness.tearDown()
    }

    @Test func filtersThresholdAndMaximumShapeARun() async throws {
        let harness = try await IngestionHarness()
        let server = try await BoardServer.start()
        let url = "\(server.baseURL)/remoteok/api"
        let keywords = try await harness.run(SourceRecord(name: "engineers", kind: .remoteok, location: url, titleKeywords: ["engineer"]))
        #expect(keywords.counts.new > 0)
        #expect(keywords.counts.new + keywords.counts.filteredOut == 96)
        #expect(keywords.counts.rejected == 1)
        let titles = try await harness.postgres.query("SELECT title FROM jobs WHERE source = 'engineers'").map { try $0.decode("title", as: String.self) }
        #expect(titles.allSatisfy { $0.lowercased().contains("engineer") })

        let capped = try await harness.run(SourceRecord(name: "capped", kind: .remotive, location: "\(server.baseURL)/api/remote-jobs", maxResults: 3))
        #expect(capped.counts.new + capped.counts.duplicates == 3)
        #expect(capped.counts.filteredOut == 32)

        let before = try await harness.publishedCount()
        let strict = try await harness.run(SourceRecord(name: "strict", kind: .ashby, location: "\(server.baseURL)/posting-api/job-board/double", scoreThreshold: 100))
        #expect(strict.counts.belowThreshold == strict.counts.new)
        #expect(try await harness.publishedCount() == before)
        await server.stop()
        await harness.tearDown()
    }

    @Test func badInputIsRejectedWithAReasonWhileTheRunGoesOn() async throws {
        let harness = try await IngestionHarness()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("bad-input"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let huge = String(repeating: "x", count: 20_000_000)
        let board: [String: Any] = [
            "apiVersion": "1",
            "jobs": [
                ["id": "good", "title": "Platform Engineer", "descriptionHtml": "<p>Build the platform.</p>", "jobUrl": "https://jobs.ashbyhq.com/acme/good", "isListed": true],
                ["id": "untitled", "descriptionHtml": "<p>No title here.</p>", "jobUrl": "https://jobs.ashbyhq.com/acme/untitled"],
                ["id": "huge", "title": "Huge", "descriptionHtml": "<p>\(huge)</p>", "jobUrl": "https://jobs.ashbyhq.com/acme/huge"],
            ],
        ]
        try JSONSerialization.data(withJSONObject: board).write(to: folder.appendingPathComponent("acme.json"))
        try Data("{\"jobs\": [ {\"id\": ".utf8).write(to: folder.appendingPathComponent("broken.json"))
        try Data([0x7B, 0x22, 0x6A, 0x6F, 0x62, 0x73, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D]).write(to: folder.appendingPathComponent("latin1.json"))
        try Data("<html><body><h1>Careers</h1><p>No structured data.</p></body></html>".utf8).write(to: folder.appendingPathComponent("careers.html"))

        let run = try await harness.run(SourceRecord(name: "bad", kind: .file, location: folder.path))
        #expect(run.status == "partial")
        #expect(run.counts.new == 1)
        #expect(run.counts.rejected == 2)
        #expect(run.rejections.contains { $0.reference.contains("untitled") && $0.reason.contains("title") })
        #expect(run.rejections.contains { $0.reference.contains("huge") })
        #expect(run.errors.count == 3, "\(run.errors)")
        #expect(run.errors.contains { $0.hasPrefix("broken.json") })
        #expect(run.errors.contains { $0.hasPrefix("latin1.json") })
        #expect(run.errors.contains { $0.hasPrefix("careers.html") })
        try? FileManager.default.removeItem(at: folder)
        await harness.tearDown()
    }

    @Test func aBoardThatIsDownOrAPageWithoutJSONLDFailsTheRunWithTheReason() async throws {
        let harness = try await IngestionHarness()
        let attempts = Atomic<Int>(0)
        let server = try await BoardServer.start { router in
            router.get("down") { _, _ in
                attempts.add(1, ordering: .relaxed)
                return Response(status: .serviceUnavailable)
            }
            router.get("careers") { _, _ in
                Response(status: .ok, headers: [.contentType: "text/html"], body: .init(byteBuffer: ByteBuffer(string: "<html><p>Jobs soon</p></html>")))
            }
        }
        let down = try await harness.run(SourceRecord(name: "down", kind: .greenhouse, location: "\(server.baseURL)/down"))
        #expect(down.status == "failed")
        #expect(down.errors.first?.contains("503") == true, "\(down.errors)")
        #expect(attempts.load(ordering: .relaxed) > 1)
        let page = try await harness.run(SourceRecord(name: "careers", kind: .jsonld, location: "\(server.baseURL)/careers"))
        #expect(page.status == "failed")
        #expect(page.errors.first?.contains("JSON-LD") == true, "\(page.errors)")
        await server.stop()
        await harness.tearDown()
    }

    @Test func atMostOneRunPerSourceAtATime() async throws {
        let harness = try await IngestionHarness()
        let server = try await BoardServer.start()
        let source = SourceRecord(name: "busy", kind: .lever, location: "\(server.baseURL)/v0/postings/palantir")
        _ = try await harness.store.createSource(source)
        #expect(try await harness.store.acquireRunLease(source: "busy", runID: UUID(), lease: .seconds(60)))
        let run = try await harness.run(source)
        #expect(run.status == "skipped")
        #expect(run.counts.new == 0)
        await server.stop()
        await harness.tearDown()
    }

    @Test func scheduledSourcesAreClaimedOncePerInterval() async throws {
        let harness = try await IngestionHarness()
        _ = try await harness.store.createSource(SourceRecord(name: "hourly", kind: .remoteok, location: "https://remoteok.com/api", scheduleIntervalSeconds: 3600))
        _ = try await harness.store.createSource(SourceRecord(name: "manual", kind: .remoteok, location: "https://remoteok.com/api"))
        let scheduler = IngestionScheduler(
            store: harness.store, producer: StreamProducer(redis: harness.redis, producer: "test-scheduler"), streams: harness.streams, tick: .seconds(1),
            logger: .init(label: "test")
        )
        #expect(try await scheduler.runDueSources() == ["hourly"])
        #expect(try await scheduler.runDueSources().isEmpty)
        #expect(try await harness.redis.send("XLEN", harness.streams.ingestionCommands).int == 1)
        let queued = try await harness.store.runs(ofSource: "hourly")
        #expect(queued.count == 1 && queued[0].trigger == "schedule" && queued[0].status == "queued")
        let next = try #require(try await harness.store.source(named: "hourly")?.nextRunAt)
        #expect(next.timeIntervalSinceNow > 3500)
        await harness.tearDown()
    }

    @Test func historyIsNewestFirstAndKeepsFifty() async throws {
        let harness = try await IngestionHarness()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("history"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try boardFixture("lever/ATS_Polling_lever.json").write(to: folder.appendingPathComponent("palantir.json"))
        for _ in 0..<52 { try await harness.run(SourceRecord(name: "often", kind: .file, location: folder.path)) }
        let history = try await harness.store.runs(ofSource: "often")
        #expect(history.count == 50)
        #expect(zip(history, history.dropFirst()).allSatisfy { $0.queuedAt >= $1.queuedAt })
        #expect(history.last?.counts.new == 0)
        try? FileManager.default.removeItem(at: folder)
        await harness.tearDown()
    }
}
