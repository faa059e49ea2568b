import Domain
import Foundation
import IngestionService
import JobsmithTesting
import Testing

@Suite struct HimalayasBoardParserTests {
    private static let firstPage = "https://himalayas.app/jobs/api?limit=5&offset=0"

    private func fixture() throws -> Data {
        try Data(contentsOf: TestEnvironment.boardFixturesDirectory.appendingPathComponent("himalayas/remote-jobs-collector_himalayas.json"))
    }

    private func parse(_ data: Data, url: String? = firstPage) throws -> BoardPage {
        try HimalayasBoardParser().parse(data, context: BoardContext(source: "himalayas", board: "himalayas", url: url))
    }

    @Test func normalizesRealPostings() throws {
        let page = try parse(fixture())
        #expect(page.postings.count == 4)
        #expect(page.rejected.isEmpty)
        #expect(page.postings.allSatisfy { $0.isRemote == true && $0.workplaceType == .remote && $0.source == "himalayas" })

        let nvidia = try #require(page.postings.first { $0.company == "NVIDIA" })
        #expect(nvidia.externalID == "https://himalayas.app/companies/nvidia/jobs/senior-system-software-engineer-nvsci")
        #expect(nvidia.title == "Senior System Software Engineer, NvSci")
        #expect(nvidia.locations == ["Canada", "United States"])
        #expect(nvidia.employmentType == "Full Time")
        #expect(nvidia.salary == Salary(minimum: 184_000, maximum: 356_500, currency: "USD", interval: .year))
        // pubDate 1783731382: 2026-07-11T00:56:22Z (seconds, although the data dictionary says ms).
        #expect(nvidia.postedAt == Date(timeIntervalSince1970: 1_783_731_382))
        #expect(nvidia.jobURL == "https://himalayas.app/companies/nvidia/jobs/senior-system-software-engineer-nvsci")
        #expect(nvidia.applyURL == nvidia.jobURL)
        #expect(nvidia.descriptionHTML.hasPrefix("<p><a href=\"https://himalayas.app/companies/nvidia\">NVIDIA</a>"))
        #expect(nvidia.descriptionText == nil)

        let mindrift = try #require(page.postings.first { $0.company == "Mindrift" })
        #expect(mindrift.title == "Portfolio Manager - Freelance AI Trainer")
        #expect(mindrift.employmentType == "Contractor")
        #expect(mindrift.locations == ["Romania"])
        #expect(mindrift.salary == Salary(minimum: 50, maximum: 50, currency: "USD", interval: .hour))

        let ceragon = try #require(page.postings.first { $0.company == "Ceragon Networks" })
        #expect(ceragon.title == "Content & Marcom Specialist")
        #expect(ceragon.salary == nil)
        #expect(ceragon.postedAt == Date(timeIntervalSince1970: 1_783_731_532))
        #expect(ceragon.descriptionHTML.contains("<h3>About the Role</h3>"))
    }

    @Test func pagesByOffsetUntilTheTotal() throws {
        let page = try parse(fixture())
        let next = try #require(page.nextPageURL)
        let items = try #require(URLComponents(string: next)?.queryItems)
        #expect(items.contains(URLQueryItem(name: "offset", value: "5")))
        #expect(items.contains(URLQueryItem(name: "limit", value: "5")))
        #expect(next.hasPrefix("https://himalayas.app/jobs/api?"))

        let job = #"{"guid": "g", "title": "t", "companyName": "c", "description": "<p>d</p>"}"#
        let last = #"{"offset": 20, "limit": 10, "totalCount": 30, "jobs": [\#(job)]}"#
        #expect(try parse(Data(last.utf8)).nextPageURL == nil)
        let middle = #"{"offset": 10, "limit": 10, "totalCount": 30, "jobs": [\#(job)]}"#
        #expect(try parse(Data(middle.utf8), url: "https://himalayas.app/jobs/api?limit=10").nextPageURL == "https://himalayas.app/jobs/api?limit=10&offset=20")
        // A page without postings ends the paging, whatever the total claims.
        let empty = #"{"offset": 10, "limit": 10, "totalCount": 30, "jobs": []}"#
        #expect(try parse(Data(empty.utf8)).nextPageURL == nil)
    }

    @Test func acceptsMillisecondDates() throws {
        let payload = #"{"jobs": [{"guid": "g", "title": "t", "companyName": "c", "description": "<p>d</p>", "pubDate": 1783731382000}]}"#
        let posting = try #require(try parse(Data(payload.utf8)).postings.first)
        #expect(posting.postedAt == Date(timeIntervalSince1970: 1_783_731_382))
    }

    @Test func rejectsBadPostingsWithReasonsAndKeepsTheRest() throws {
        let payload = """
            {"jobs": [
              {"guid": "a", "title": "Engineer", "companyName": "Acme", "description": "<p>x</p>"},
              {"guid": "b", "companyName": "Acme", "description": "<p>No title</p>"},
              {"guid": "c", "title": "No company", "description": "<p>x</p>"},
              {"title": "No guid", "companyName": "Acme", "description": "<p>x</p>"},
              null
            ]}
            """
        let page = try parse(Data(payload.utf8))
        #expect(page.postings.map(\.externalID) == ["a"])
        #expect(page.rejected.map(\.reference) == ["b", "c", "#3", "#4"])
        #expect(page.rejected[0].reason.contains("title"))
        #expect(page.rejected[1].reason.contains("companyName"))
    }

    @Test(arguments: ["{\"jobs\": [", "", "[1, 2]", "{\"comments\": \"x\"}"])
    func aPayloadThatIsNotAPageIsUnreadable(_ payload: String) {
        let error = #expect(throws: IngestionError.self) { try parse(Data(payload.utf8)) }
        #expect(error?.kind == .unreadablePayload)
    }
}
