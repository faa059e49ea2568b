import Domain
import Foundation
import IngestionService
import JobsmithTesting
import Testing

@Suite struct RemoteOKBoardParserTests {
    private func fixture() throws -> Data {
        try Data(contentsOf: TestEnvironment.boardFixturesDirectory.appendingPathComponent("remoteok/resume-helper_remoteok.json"))
    }

    private func parse(_ data: Data) throws -> BoardPage {
        try RemoteOKBoardParser().parse(data, context: BoardContext(source: "remoteok", board: "remoteok"))
    }

    @Test func skipsTheLegalNoticeAndReadsEveryPosting() throws {
        let page = try parse(fixture())
        // 97 postings follow the notice; one of them (1130784) has neither title nor company.
        #expect(page.postings.count + page.rejected.count == 97)
        #expect(page.postings.count == 96)
        #expect(page.rejected == [RejectedPosting(reference: "1130784", reason: "missing \"position\" (the title)")])
        for posting in page.postings {
            #expect(posting.isRemote == true && posting.workplaceType == .remote)
            #expect(posting.jobURL?.hasPrefix("https://remoteOK.com/remote-jobs/") == true)
            #expect(posting.postedAt != nil)
            #expect(posting.descriptionHTML.contains("<p") || posting.descriptionHTML.contains("<br"))
        }
    }

    @Test func repairsMojibake() throws {
        let page = try parse(fixture())
        for posting in page.postings {
            for text in [posting.title, posting.company, posting.descriptionHTML] + posting.locations {
                #expect(!text.contains("â€") && !text.contains("Ã") && !text.contains("Â"), "\(posting.externalID)")
            }
        }
        let zocalo = try #require(page.postings.first { $0.externalID == "1130733" })
        #expect(zocalo.title == "Recruiting Coordinator")
        #expect(zocalo.company == "Zócalo Health")
        #expect(zocalo.descriptionHTML.hasPrefix("<p><strong>Recruiting Coordinator</strong></p>\n<p>at Zócalo Health</p>"))
        #expect(zocalo.locations.isEmpty)
        #expect(zocalo.salary == Salary(minimum: 25, maximum: 27))
        #expect(zocalo.postedAt == Date(timeIntervalSince1970: 1_773_273_659))  // 2026-03-12T00:00:59Z
    }

    @Test func normalizesRealPostings() throws {
        let page = try parse(fixture())
        let graphcore = try #require(page.postings.first { $0.externalID == "1130779" })
        #expect(graphcore.title == "Engineering Manager Workload Management")
        #expect(graphcore.company == "Graphcore")
        #expect(graphcore.locations == ["Gdańsk"])
        // PLN by the description's own words: RemoteOK's numbers carry no currency, so none is set.
        #expect(graphcore.salary == Salary(minimum: 350_700, maximum: 474_400))
        #expect(graphcore.postedAt == Date(timeIntervalSince1970: 1_773_493_203))  // 2026-03-14T13:00:03Z
        #expect(graphcore.jobURL == "https://remoteOK.com/remote-jobs/remote-engineering-manager-workload-management-graphcore-1130779")
        #expect(graphcore.applyURL == graphcore.jobURL)
        #expect(graphcore.descriptionText == nil)
        #expect(!graphcore.raw.isEmpty)

        let anthropic = try #require(page.postings.first { $0.externalID == "1130676" })
        #expect(anthropic.company == "Anthropic")
        #expect(anthropic.locations == ["San Francisco, CA", "New York City, NY", "Seattle, WA"])
        #expect(anthropic.descriptionHTML.hasPrefix("<div><h2><strong>About Anthropic</strong></h2>"))

        let veeam = try #require(page.postings.first { $0.externalID == "1130787" })
        #expect(veeam.title == "Senior Sales Engineer Data & AI Security")
        #expect(veeam.locations == ["Saint Louis, MO, USA"])
        #expect(veeam.salary == nil)  // salary_min and salary_max are 0
    }

    @Test func rejectsBadPostingsWithReasonsAndKeepsTheRest() throws {
        let payload = """
            [{"last_updated": 1773720015, "legal": "API Terms of Service"},
             {"id": "1", "position": "Engineer", "company": "Acme", "description": "<p>x</p>", "epoch": 1773619203},
             {"id": "2", "company": "Acme", "description": "<p>No title</p>"},
             {"id": "3", "position": "No description", "company": "Acme"},
             42]
            """
        let page = try parse(Data(payload.utf8))
        #expect(page.postings.map(\.externalID) == ["1"])
        #expect(page.postings.first?.postedAt == Date(timeIntervalSince1970: 1_773_619_203))
        #expect(page.rejected.map(\.reference) == ["2", "3", "#4"])
        #expect(page.rejected[0].reason.contains("title"))
        #expect(page.rejected[1].reason.contains("description"))
    }

    @Test(arguments: ["[{\"id\": ", "<!DOCTYPE html>", "{\"legal\": \"x\"}", "\"text\""])
    func aPayloadThatIsNotTheBoardIsUnreadable(_ payload: String) {
        let error = #expect(throws: IngestionError.self) { try parse(Data(payload.utf8)) }
        #expect(error?.kind == .unreadablePayload)
    }
}
