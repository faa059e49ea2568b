import Domain
import Foundation
import IngestionService
import JobsmithTesting
import Testing

@Suite struct LeverBoardParserTests {
    private func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: TestEnvironment.boardFixturesDirectory.appendingPathComponent("lever/\(name)"))
    }

    private func parse(_ data: Data, board: String = "palantir") throws -> BoardPage {
        try LeverBoardParser().parse(data, context: BoardContext(source: "lever-\(board)", board: board))
    }

    @Test func normalizesRealPostings() throws {
        let page = try parse(fixture("ATS_Polling_lever.json"))
        #expect(page.postings.count == 2)
        #expect(page.rejected.isEmpty)

        let london = try #require(page.postings.first { $0.externalID == "ac978161-6f46-4f6b-ad9e-a258e642751c" })
        #expect(london.title == "Administrative Business Partner")
        #expect(london.company == "Palantir")
        #expect(london.locations == ["London, United Kingdom"])
        #expect(london.workplaceType == .hybrid && london.isRemote == false)
        #expect(london.employmentType == "Full-time")
        #expect(london.team == "Administrative")
        #expect(london.department == nil)
        // createdAt 1711403416463 ms: 2024-03-25T21:50:16.463Z.
        #expect(london.postedAt == Date(timeIntervalSince1970: 1_711_403_416.463))
        #expect(london.jobURL == "https://jobs.lever.co/palantir/ac978161-6f46-4f6b-ad9e-a258e642751c")
        #expect(london.applyURL == "https://jobs.lever.co/palantir/ac978161-6f46-4f6b-ad9e-a258e642751c/apply")
        #expect(!london.raw.isEmpty)

        let security = try #require(page.postings.first { $0.externalID == "0bbfd4f4-41ff-4ec6-b73f-5200efd5d4d3" })
        #expect(security.title == "Administrative Business Partner - Security")
        #expect(security.locations == ["Palo Alto, CA"])
        #expect(security.postedAt == Date(timeIntervalSince1970: 1_778_622_524.938))  // 2026-05-12T21:48:44.938Z
        // The pay is only in the "additional" prose, which is not read as a salary.
        #expect(security.salary == nil)
    }

    @Test func joinsDescriptionListsAndAdditionalIntoOneDocument() throws {
        let page = try parse(fixture("ATS_Polling_lever.json"))
        let security = try #require(page.postings.first { $0.externalID == "0bbfd4f4-41ff-4ec6-b73f-5200efd5d4d3" })
        let html = security.descriptionHTML
        #expect(html.hasPrefix("<div><strong><span style=\"font-size: 18px;\">A World-Changing Company</span></strong></div>"))
        let responsibilities = try #require(html.range(of: "<h3>Core Responsibilities</h3><ul>"))
        let values = try #require(html.range(of: "<h3>What We Value</h3><ul>"))
        let requirements = try #require(html.range(of: "<h3>What We Require</h3><ul>"))
        let salary = try #require(html.range(of: "The estimated salary range for this position is estimated to be $60,000 - $97,000/year."))
        #expect(responsibilities.lowerBound < values.lowerBound && values.lowerBound < requirements.lowerBound)
        #expect(requirements.lowerBound < salary.lowerBound)
        #expect(html.contains("<li>Provide administrative and operational support to leaders and teams within Palantir’s Security function.</li>"))

        let text = try #require(security.descriptionText)
        #expect(text.hasPrefix("A World-Changing Company"))
        #expect(text.contains("Core Responsibilities\n- Provide administrative and operational support"))
        #expect(text.contains("$60,000 - $97,000/year"))
        #expect(!text.contains("<li>"))
    }

    @Test func readsTruncatedPostings() throws {
        let page = try parse(fixture("jobops_lever_sample.json"))
        #expect(page.postings.count == 3)
        #expect(page.postings.map(\.locations) == [["London, United Kingdom"], ["Palo Alto, CA"], ["New York, NY"]])
    }

    @Test func readsTheSalaryRangeAndRemoteWork() throws {
        let payload = """
            [{"id": "x1", "text": "Engineer", "descriptionPlain": "Build", "workplaceType": "remote",
              "categories": {"location": "Anywhere", "department": "R&D"},
              "salaryRange": {"currency": "eur", "interval": "per-year-salary", "min": 60000, "max": 80000}}]
            """
        let posting = try #require(try parse(Data(payload.utf8), board: "acme-labs").postings.first)
        #expect(posting.company == "Acme Labs")
        #expect(posting.locations == ["Anywhere"])
        #expect(posting.department == "R&D")
        #expect(posting.isRemote == true && posting.workplaceType == .remote)
        #expect(posting.salary == Salary(minimum: 60_000, maximum: 80_000, currency: "EUR", interval: .year))
        #expect(posting.descriptionHTML == "<p>Build</p>")  // plain text only: made into HTML
    }

    @Test func rejectsBadPostingsWithReasonsAndKeepsTheRest() throws {
        let payload = """
            [
              {"id": "a", "text": "Engineer", "description": "<p>Build</p>"},
              {"id": "b", "description": "<p>No title</p>"},
              {"id": "c", "text": "No description"},
              "not an object"
            ]
            """
        let page = try parse(Data(payload.utf8))
        #expect(page.postings.map(\.externalID) == ["a"])
        #expect(page.rejected.map(\.reference) == ["b", "c", "#3"])
        #expect(page.rejected[0].reason.contains("title"))
        #expect(page.rejected[1].reason.contains("description"))
    }

    @Test(arguments: ["[{", "not json", #"{"ok": false, "error": "Document not found"}"#, #"{"jobs": []}"#])
    func aPayloadThatIsNotASiteIsUnreadable(_ payload: String) {
        let error = #expect(throws: IngestionError.self) { try parse(Data(payload.utf8)) }
        #expect(error?.kind == .unreadablePayload)
    }
}
