import Domain
import Foundation
import IngestionService
import JobsmithTesting
import Testing

@Suite struct GreenhouseBoardParserTests {
    private func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: TestEnvironment.boardFixturesDirectory.appendingPathComponent("greenhouse/\(name)"))
    }

    private func parse(_ data: Data, board: String = "acme") throws -> BoardPage {
        try GreenhouseBoardParser().parse(data, context: BoardContext(source: "greenhouse-\(board)", board: board))
    }

    @Test func readsAScrapersEnvelopeOfFullJobs() throws {
        let page = try parse(fixture("tech-jobs-hub_catawiki_full.json"), board: "catawiki")
        #expect(page.postings.count == 50)
        #expect(page.rejected.isEmpty)
        #expect(page.nextPageURL == nil && page.detailURLs.isEmpty)
        for posting in page.postings {
            #expect(posting.company == "Catawiki")
            #expect(posting.descriptionHTML.hasPrefix("<div class=\"content-intro\">"))
            #expect(!posting.descriptionHTML.contains("&lt;") && !posting.descriptionHTML.contains("&quot;"))
            #expect(posting.descriptionText == nil)
            #expect(!posting.raw.isEmpty)
        }

        let android = try #require(page.postings.first { $0.externalID == "6954117" })
        #expect(android.source == "greenhouse-catawiki")
        #expect(android.title == "Android Developer")
        #expect(android.locations == ["Lisbon, Portugal"])
        #expect(android.isRemote == nil && android.workplaceType == nil)
        #expect(android.department == "Engineering")
        #expect(android.employmentType == nil)  // its "Time Type" field is empty
        // first_published 2025-06-05T05:06:01-04:00, not updated_at.
        #expect(android.postedAt == Date(timeIntervalSince1970: 1_749_114_361))
        #expect(android.jobURL == "https://job-boards.greenhouse.io/catawiki/jobs/6954117")
        #expect(android.salary == nil)
        #expect(android.descriptionHTML.contains("<p>") && android.descriptionHTML.contains("<a href=\"https://www.catawiki.com/"))

        let backend = try #require(page.postings.first { $0.externalID == "5758060" })
        #expect(backend.title == "Backend Software Engineer")
        #expect(backend.employmentType == "Full Time")
        #expect(backend.postedAt == Date(timeIntervalSince1970: 1_709_046_652))  // 2024-02-27T10:10:52-05:00
    }

    @Test func splitsSeveralLocationsAndUnescapesOnlyOnce() throws {
        let page = try parse(fixture("tech-jobs-hub_catawiki_full.json"), board: "catawiki")
        let art = try #require(page.postings.first { $0.externalID == "7080954" })
        #expect(art.title == "Category Manager (Art)")
        #expect(art.locations == ["Amsterdam, Netherlands", "France", "Lisbon, Portugal"])
        #expect(art.department == "Category Management")
        // `&amp;amp;` on the wire is `&amp;` in the HTML: text, not a second round of unescaping.
        #expect(art.descriptionHTML.contains("Galleries &amp; Art Dealers"))
        #expect(art.descriptionHTML.contains("&nbsp;"))
        #expect(art.descriptionHTML.contains("<strong>"))
    }

    @Test func readsTheAPIShapeAndRemoteLocations() throws {
        let page = try parse(fixture("ATS_Polling_greenhouse.json"), board: "smarterdx")
        #expect(page.postings.count == 2)
        let analyst = try #require(page.postings.first { $0.externalID == "5193736007" })
        #expect(analyst.title == "Client Support Analyst I")
        #expect(analyst.company == "SmarterDx")
        #expect(analyst.locations == ["Remote (United States)"])
        #expect(analyst.isRemote == true && analyst.workplaceType == .remote)
        #expect(analyst.department == "Customer Success")
        #expect(analyst.postedAt == Date(timeIntervalSince1970: 1_785_174_510))  // 2026-07-27T13:48:30-04:00
        #expect(analyst.jobURL == "https://job-boards.greenhouse.io/smarterdx/jobs/5193736007")
        #expect(analyst.descriptionHTML.contains("<li>") && !analyst.descriptionHTML.contains("&lt;"))

        let coder = try #require(page.postings.first { $0.externalID == "5099964007" })
        #expect(coder.title == "Clinical Coding Specialist")
        #expect(coder.postedAt == Date(timeIntervalSince1970: 1_775_482_692))  // 2026-04-06T09:38:12-04:00
    }

    @Test func readsTruncatedDescriptions() throws {
        let page = try parse(fixture("jobops_greenhouse_sample.json"), board: "duolingo")
        #expect(page.postings.map(\.externalID) == ["8621586002", "8621574002", "8576434002"])
        #expect(page.postings.allSatisfy { $0.company == "Duolingo" && $0.descriptionHTML.hasPrefix("<p>") })
    }

    @Test func readsPayRangesInCentsAndNamesTheCompanyFromTheBoard() throws {
        let payload = """
            {"jobs": [{"id": 4411, "title": "Engineer", "location": {"name": "Berlin (Hybrid)"},
                       "content": "&lt;p&gt;Tom &amp;amp; Jerry&#39;s &amp;lt;b&amp;gt;&lt;/p&gt;",
                       "pay_input_ranges": [{"min_cents": 15000000, "max_cents": 20000000, "currency_type": "usd"}]}],
             "meta": {"total": 1}}
            """
        let posting = try #require(try parse(Data(payload.utf8), board: "double-the-donation").postings.first)
        #expect(posting.company == "Double The Donation")
        #expect(posting.descriptionHTML == "<p>Tom &amp; Jerry's &lt;b&gt;</p>")
        #expect(posting.salary == Salary(minimum: 150_000, maximum: 200_000, currency: "USD"))
        #expect(posting.workplaceType == .hybrid && posting.isRemote == false)
    }

    @Test func rejectsBadPostingsWithReasonsAndKeepsTheRest() throws {
        let payload = """
            {"jobs": [
              {"id": 101, "title": "Engineer", "content": "&lt;p&gt;Build&lt;/p&gt;"},
              {"id": 102, "content": "&lt;p&gt;No title&lt;/p&gt;"},
              {"id": 103, "title": "Listed without content=true"},
              {"title": "No id", "content": "x"},
              7
            ], "meta": {"total": 5}}
            """
        let page = try parse(Data(payload.utf8))
        #expect(page.postings.map(\.externalID) == ["101"])
        #expect(page.rejected.map(\.reference) == ["102", "103", "#3", "#4"])
        #expect(page.rejected[0].reason.contains("title"))
        #expect(page.rejected[1].reason.contains("content=true"))
        #expect(page.rejected[2].reason.contains("id"))
    }

    @Test func rejectsADescriptionOverTheLimit() throws {
        let huge = String(repeating: "a", count: BoardValues.maximumDescriptionBytes + 1)
        let payload = #"{"jobs": [{"id": 9, "title": "Dump", "content": "\#(huge)"}]}"#
        let page = try parse(Data(payload.utf8))
        #expect(page.postings.isEmpty)
        #expect(page.rejected.first?.reason.contains("limit") == true)
    }

    @Test(arguments: ["{\"jobs\": [", "<html>", "[]", "{\"meta\": {}}", "{\"jobs\": {}}"])
    func aPayloadThatIsNotABoardIsUnreadable(_ payload: String) {
        let error = #expect(throws: IngestionError.self) { try parse(Data(payload.utf8)) }
        #expect(error?.kind == .unreadablePayload)
    }
}
