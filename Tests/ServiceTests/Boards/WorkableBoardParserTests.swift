import Domain
import Foundation
import IngestionService
import Testing

/// No real Workable payload is in the shared fixtures (see PROVENANCE.md), so these payloads are
/// built here in the shape documented in `job-board-apis.md`: the public widget endpoint
/// `apply.workable.com/api/v1/widget/accounts/{account}?details=true`, `{name, description, jobs[]}`.
@Suite struct WorkableBoardParserTests {
    private static let account = """
        {"name": "Acme Robotics", "description": "<p>We build robots.</p>", "jobs": [
          {"title": "Senior Backend Engineer", "shortcode": "7A1B2C3D4E", "code": "", "employment_type": "Full-time",
           "telecommuting": true, "department": "Engineering", "url": "https://apply.workable.com/j/7A1B2C3D4E",
           "shortlink": "https://apply.workable.com/j/7A1B2C3D4E", "application_url": "https://apply.workable.com/j/7A1B2C3D4E/apply",
           "published_on": "2026-07-10", "created_at": "2026-07-08", "country": "Greece", "city": "Athens", "state": "Attica",
           "education": "", "experience": "Mid-Senior level",
           "locations": [{"country": "Greece", "countryCode": "GR", "city": "Athens", "region": "Attica", "hidden": false},
                         {"country": "Portugal", "countryCode": "PT", "city": "Lisbon", "region": "Lisbon", "hidden": false},
                         {"country": "Spain", "countryCode": "ES", "city": "Madrid", "region": "Madrid", "hidden": true}],
           "description": "<p>Own our <strong>order</strong> service.</p><ul><li>Go</li><li>PostgreSQL</li></ul>"},
          {"title": "Warehouse Lead", "shortcode": "F00BA12345", "employment_type": "Part-time", "telecommuting": false,
           "url": "https://apply.workable.com/j/F00BA12345", "application_url": "https://apply.workable.com/j/F00BA12345/apply",
           "created_at": "2026-06-30", "country": "Germany", "city": "Berlin", "state": "",
           "description": "<p>Short</p>", "full_description": "<p>Short</p><h3>Requirements</h3><ul><li>Forklift licence</li></ul>"}
        ]}
        """

    private func parse(_ payload: String, board: String = "acme-robotics") throws -> BoardPage {
        try WorkableBoardParser().parse(Data(payload.utf8), context: BoardContext(source: "workable-acme", board: board))
    }

    @Test func normalizesAnAccountsJobs() throws {
        let page = try parse(Self.account)
        #expect(page.postings.count == 2)
        #expect(page.rejected.isEmpty)

        let backend = try #require(page.postings.first { $0.externalID == "7A1B2C3D4E" })
        #expect(backend.title == "Senior Backend Engineer")
        #expect(backend.company == "Acme Robotics")
        #expect(backend.locations == ["Athens, Attica, Greece", "Lisbon, Lisbon, Portugal"])
        #expect(backend.isRemote == true && backend.workplaceType == .remote)
        #expect(backend.employmentType == "Full-time")
        #expect(backend.department == "Engineering")
        #expect(backend.postedAt == Date(timeIntervalSince1970: 1_783_641_600))  // 2026-07-10T00:00:00Z
        #expect(backend.jobURL == "https://apply.workable.com/j/7A1B2C3D4E")
        #expect(backend.applyURL == "https://apply.workable.com/j/7A1B2C3D4E/apply")
        #expect(backend.descriptionHTML.contains("<li>Go</li>"))
        #expect(backend.salary == nil && backend.descriptionText == nil)
        #expect(!backend.raw.isEmpty)

        let warehouse = try #require(page.postings.first { $0.externalID == "F00BA12345" })
        #expect(warehouse.locations == ["Berlin, Germany"])
        #expect(warehouse.isRemote == false && warehouse.workplaceType == nil)
        // No published_on: created_at, 2026-06-30T00:00:00Z.
        #expect(warehouse.postedAt == Date(timeIntervalSince1970: 1_782_777_600))
        // The full description (with requirements) wins over the short one.
        #expect(warehouse.descriptionHTML.contains("<li>Forklift licence</li>"))
    }

    @Test func namesTheCompanyFromTheAccountWhenThePayloadDoesNot() throws {
        let payload = #"{"jobs": [{"title": "T", "shortcode": "S", "description": "<p>d</p>"}]}"#
        #expect(try parse(payload, board: "acme-robotics").postings.first?.company == "Acme Robotics")
    }

    @Test func rejectsBadPostingsWithReasonsAndKeepsTheRest() throws {
        let payload = """
            {"name": "Acme", "jobs": [
              {"title": "Engineer", "shortcode": "A1", "description": "<p>x</p>"},
              {"shortcode": "B2", "description": "<p>No title</p>"},
              {"title": "Fetched without details=true", "shortcode": "C3"},
              {"title": "No shortcode", "description": "<p>x</p>"},
              []
            ]}
            """
        let page = try parse(payload)
        #expect(page.postings.map(\.externalID) == ["A1"])
        #expect(page.rejected.map(\.reference) == ["B2", "C3", "#3", "#4"])
        #expect(page.rejected[0].reason.contains("title"))
        #expect(page.rejected[1].reason.contains("details=true"))
        #expect(page.rejected[2].reason.contains("shortcode"))
    }

    @Test(arguments: ["{\"name\": \"Acme\", \"jobs\": [", "<html></html>", "[]", "{\"name\": \"Acme\"}"])
    func aPayloadThatIsNotAnAccountIsUnreadable(_ payload: String) {
        let error = #expect(throws: IngestionError.self) { try parse(payload) }
        #expect(error?.kind == .unreadablePayload)
    }
}
