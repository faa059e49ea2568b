import Domain
import Foundation
import IngestionService
import JobsmithTesting
import Testing

@Suite struct RemotiveBoardParserTests {
    private func fixture() throws -> Data {
        try Data(contentsOf: TestEnvironment.boardFixturesDirectory.appendingPathComponent("remotive/WorkVerse_remotive.json"))
    }

    private func parse(_ data: Data) throws -> BoardPage {
        try RemotiveBoardParser().parse(data, context: BoardContext(source: "remotive", board: "remotive"))
    }

    @Test func readsAPayloadThatStartsWithAByteOrderMark() throws {
        let data = try fixture()
        #expect(data.starts(with: [0xEF, 0xBB, 0xBF]))
        let page = try parse(data)
        #expect(page.postings.count == 35)
        #expect(page.rejected.isEmpty)
        for posting in page.postings {
            #expect(posting.isRemote == true && posting.workplaceType == .remote)
            #expect(posting.descriptionHTML.contains("<p") || posting.descriptionHTML.contains("<div") || posting.descriptionHTML.contains("<br"))
            #expect(posting.jobURL?.hasPrefix("https://remotive.com/remote-jobs/") == true)
            #expect(posting.postedAt != nil)
        }
    }

    @Test func normalizesRealPostings() throws {
        let page = try parse(fixture())
        let labeling = try #require(page.postings.first { $0.externalID == "2090903" })
        #expect(labeling.title == "Data Labeling Specialists")
        #expect(labeling.company == "Workada")
        #expect(labeling.locations == ["USA"])
        #expect(labeling.employmentType == "freelance")
        #expect(labeling.salary == Salary(minimum: 18, maximum: 22, currency: "USD", interval: .hour))
        #expect(labeling.postedAt == Date(timeIntervalSince1970: 1_785_098_951))  // 2026-07-26T20:49:11Z
        #expect(labeling.jobURL == "https://remotive.com/remote-jobs/data/data-labeling-specialists-2090903")
        #expect(labeling.descriptionHTML.hasPrefix("<p><u>Who We Are</u>"))
        #expect(labeling.descriptionText == nil)

        let outsite = try #require(page.postings.first { $0.externalID == "2091075" })
        #expect(outsite.title == "Business Development Representative")
        #expect(outsite.locations == ["Northern America", "Europe", "UK", "France", "European timezones"])
        #expect(outsite.salary == Salary(minimum: 45_000, maximum: 50_000, currency: "USD"))
        #expect(outsite.postedAt == Date(timeIntervalSince1970: 1_784_821_168))  // 2026-07-23T15:39:28Z

        let saoPaulo = try #require(page.postings.first { $0.externalID == "2091055" })
        #expect(saoPaulo.title == "Staff Software Engineer, Product (São Paulo)")
        #expect(saoPaulo.salary == Salary(minimum: 80_000, maximum: 100_000, currency: "USD"))

        let assistant = try #require(page.postings.first { $0.externalID == "1680495" })
        #expect(assistant.company == "Coalition Technologies")
        #expect(assistant.salary == Salary(minimum: 31_200, maximum: 52_000, currency: "USD"))

        // "OTE $25k - $35k" is commission-dependent pay, and "" is no pay at all.
        #expect(page.postings.first { $0.externalID == "2086540" }?.salary == nil)
        let unpaid = try #require(page.postings.first { $0.externalID == "2091072" })
        #expect(unpaid.salary == nil && unpaid.employmentType == nil)
    }

    @Test(arguments: [
        ("$120k - $150k", Salary(minimum: 120_000, maximum: 150_000, currency: "USD")),
        ("USD 100,000-120,000/year", Salary(minimum: 100_000, maximum: 120_000, currency: "USD", interval: .year)),
        ("€50-60k", Salary(minimum: 50_000, maximum: 60_000, currency: "EUR")),
        ("$18 - $22/hr", Salary(minimum: 18, maximum: 22, currency: "USD", interval: .hour)),
        ("$14/hr", Salary(minimum: 14, maximum: 14, currency: "USD", interval: .hour)),
        ("$90 - $150 /hour", Salary(minimum: 90, maximum: 150, currency: "USD", interval: .hour)),
        ("£40,000 per annum", Salary(minimum: 40_000, maximum: 40_000, currency: "GBP", interval: .year)),
        ("100k - 120k EUR", Salary(minimum: 100_000, maximum: 120_000, currency: "EUR")),
        ("$100k+", Salary(minimum: 100_000, currency: "USD")),
        ("$4,500 - $6,000 monthly", Salary(minimum: 4_500, maximum: 6_000, currency: "USD", interval: .month)),
        ("$31,2k- $52k", Salary(minimum: 31_200, maximum: 52_000, currency: "USD")),
    ])
    func readsSimpleSalaryText(_ text: String, _ salary: Salary) {
        #expect(BoardValues.salary(fromText: text) == salary)
    }

    @Test(arguments: [
        "OTE $25k - $35k", "Competitive", "", "100k - 120k", "€50.000", "$150k - $120k", "$100k - €120k",
        "up to $90k", "$80k - $100k + equity", "DOE",
    ])
    func leavesAmbiguousSalaryTextUnread(_ text: String) {
        #expect(BoardValues.salary(fromText: text) == nil)
    }

    @Test func rejectsBadPostingsWithReasonsAndKeepsTheRest() throws {
        let payload = """
            {"job-count": 4, "jobs": [
              {"id": 2090001, "title": "Engineer", "company_name": "Acme", "description": "<p>x</p>", "salary": "Competitive"},
              {"id": 2090002, "company_name": "Acme", "description": "<p>No title</p>"},
              {"id": 2090003, "title": "No company", "description": "<p>x</p>"},
              {"id": 2090004, "title": "No description", "company_name": "Acme"}
            ]}
            """
        let page = try parse(Data(payload.utf8))
        #expect(page.postings.map(\.externalID) == ["2090001"])
        #expect(page.postings.first?.salary == nil)
        #expect(page.rejected.map(\.reference) == ["2090002", "2090003", "2090004"])
        #expect(page.rejected[0].reason.contains("title"))
        #expect(page.rejected[1].reason.contains("company"))
        #expect(page.rejected[2].reason.contains("description"))
    }

    @Test(arguments: ["{\"jobs\": [", "\u{FEFF}", "[]", "{\"0-legal-notice\": \"x\"}"])
    func aPayloadThatIsNotAListIsUnreadable(_ payload: String) {
        let error = #expect(throws: IngestionError.self) { try parse(Data(payload.utf8)) }
        #expect(error?.kind == .unreadablePayload)
    }
}
