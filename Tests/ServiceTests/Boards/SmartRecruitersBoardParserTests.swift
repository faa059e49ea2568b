import Domain
import Foundation
import IngestionService
import Testing

/// No real SmartRecruiters payload is in the shared fixtures (see PROVENANCE.md), so the list and the
/// detail below are built here in the shape documented in `job-board-apis.md`: the Posting API's
/// `GET /v1/companies/{company}/postings` (`{limit, offset, totalFound, content[]}`) and
/// `GET .../postings/{id}` (`jobAd.sections.*.text`, `postingUrl`, `applyUrl`).
@Suite struct SmartRecruitersBoardParserTests {
    private static let listURL = "https://api.smartrecruiters.com/v1/companies/AcmeCorp/postings?limit=2&offset=0"

    private static let list = """
        {"offset": 0, "limit": 2, "totalFound": 5, "content": [
          {"id": "744000012345678", "uuid": "9f1c2d3e-0000-4000-8000-000000000001", "name": "Data Engineer",
           "refNumber": "REF123", "company": {"identifier": "AcmeCorp", "name": "Acme Corp"},
           "releasedDate": "2026-07-01T09:15:00.123Z",
           "location": {"city": "Lisbon", "region": "Lisbon", "country": "pt", "remote": false, "hybrid": true},
           "industry": {"id": "it", "label": "IT"}, "department": {"id": "1", "label": "Data"},
           "typeOfEmployment": {"id": "permanent", "label": "Full-time"},
           "ref": "https://api.smartrecruiters.com/v1/companies/AcmeCorp/postings/744000012345678"},
          {"id": "744000087654321", "name": "Support Specialist", "company": {"identifier": "AcmeCorp", "name": "Acme Corp"},
           "releasedDate": "2026-06-20T12:00:00Z", "location": {"country": "us", "remote": true},
           "ref": "https://evil.example/steal"}
        ]}
        """

    private static let detail = """
        {"id": "744000012345678", "name": "Data Engineer",
         "applyUrl": "https://jobs.smartrecruiters.com/AcmeCorp/744000012345678-data-engineer?oga=true",
         "postingUrl": "https://jobs.smartrecruiters.com/AcmeCorp/744000012345678-data-engineer",
         "jobAd": {"sections": {
           "companyDescription": {"title": "Company Description", "text": "<p>Acme makes things.</p>"},
           "jobDescription": {"title": "Job Description", "text": "<ul><li>Build pipelines</li></ul>"},
           "qualifications": {"title": "Qualifications", "text": "<ul><li>SQL &amp; Python</li></ul>"},
           "additionalInformation": {"title": "Additional Information", "text": "<p>Hybrid, 2 days a week.</p>"}}}}
        """

    private let context = BoardContext(source: "smartrecruiters-acme", board: "AcmeCorp", url: listURL)

    @Test func readsTheListWithoutDescriptions() throws {
        let page = try SmartRecruitersBoardParser().parse(Data(Self.list.utf8), context: context)
        #expect(page.postings.count == 2)
        #expect(page.rejected.isEmpty)

        let engineer = try #require(page.postings.first { $0.externalID == "744000012345678" })
        #expect(engineer.title == "Data Engineer")
        #expect(engineer.company == "Acme Corp")
        #expect(engineer.locations == ["Lisbon, Lisbon, PT"])
        #expect(engineer.isRemote == false && engineer.workplaceType == .hybrid)
        #expect(engineer.employmentType == "Full-time")
        #expect(engineer.department == "Data")
        let released = try #require(engineer.postedAt?.timeIntervalSince1970)
        #expect(abs(released - 1_782_897_300.123) < 0.001)  // 2026-07-01T09:15:00.123Z
        // The list has no description: it arrives with the detail.
        #expect(engineer.descriptionHTML.isEmpty && engineer.jobURL == nil)

        let support = try #require(page.postings.first { $0.externalID == "744000087654321" })
        #expect(support.locations == ["US"])
        #expect(support.isRemote == true && support.workplaceType == .remote)
    }

    @Test func namesEachPostingsDetailOnTheListsHost() throws {
        let page = try SmartRecruitersBoardParser().parse(Data(Self.list.utf8), context: context)
        #expect(page.detailURLs == [
            "744000012345678": "https://api.smartrecruiters.com/v1/companies/AcmeCorp/postings/744000012345678",
            // A `ref` on another host is not followed: the URL is built from the list's instead.
            "744000087654321": "https://api.smartrecruiters.com/v1/companies/AcmeCorp/postings/744000087654321",
        ])
    }

    @Test func mergesTheDetailsJobAd() throws {
        let parser = SmartRecruitersBoardParser()
        let page = try parser.parse(Data(Self.list.utf8), context: context)
        let listed = try #require(page.postings.first { $0.externalID == "744000012345678" })
        let merged = try parser.merge(detail: Data(Self.detail.utf8), into: listed, context: context)
        #expect(merged.descriptionHTML == """
            <h3>Company Description</h3><p>Acme makes things.</p>
            <h3>Job Description</h3><ul><li>Build pipelines</li></ul>
            <h3>Qualifications</h3><ul><li>SQL &amp; Python</li></ul>
            <h3>Additional Information</h3><p>Hybrid, 2 days a week.</p>
            """)
        #expect(merged.jobURL == "https://jobs.smartrecruiters.com/AcmeCorp/744000012345678-data-engineer")
        #expect(merged.applyURL == "https://jobs.smartrecruiters.com/AcmeCorp/744000012345678-data-engineer?oga=true")
        #expect(merged.title == listed.title && merged.postedAt == listed.postedAt && merged.locations == listed.locations)
        #expect(String(decoding: merged.raw, as: UTF8.self).contains("jobAd"))
    }

    @Test func refusesADetailThatDoesNotCompleteThePosting() throws {
        let parser = SmartRecruitersBoardParser()
        let page = try parser.parse(Data(Self.list.utf8), context: context)
        let listed = try #require(page.postings.first { $0.externalID == "744000087654321" })
        let empty = #"{"id": "744000087654321", "jobAd": {"sections": {"jobDescription": {"title": "Job", "text": ""}}}}"#
        // Another posting's detail, one without job ad text, and ones that are not a posting at all.
        for detail in [Self.detail, empty, "[]", "{"] {
            let error = #expect(throws: IngestionError.self) { try parser.merge(detail: Data(detail.utf8), into: listed, context: context) }
            #expect(error?.kind == .unreadablePayload, "\(detail)")
        }
    }

    @Test func pagesByOffsetUntilTotalFound() throws {
        let page = try SmartRecruitersBoardParser().parse(Data(Self.list.utf8), context: context)
        #expect(page.nextPageURL == "https://api.smartrecruiters.com/v1/companies/AcmeCorp/postings?limit=2&offset=2")

        let last = Self.list.replacingOccurrences(of: #""offset": 0"#, with: #""offset": 4"#)
        let lastContext = BoardContext(source: "s", board: "AcmeCorp", url: "https://api.smartrecruiters.com/v1/companies/AcmeCorp/postings?limit=2&offset=4")
        #expect(try SmartRecruitersBoardParser().parse(Data(last.utf8), context: lastContext).nextPageURL == nil)

        // Without the list's URL, the detail path is the public API's and there is no next page to build.
        let bare = try SmartRecruitersBoardParser().parse(Data(Self.list.utf8), context: BoardContext(source: "s", board: "AcmeCorp"))
        #expect(bare.nextPageURL == nil)
        #expect(bare.detailURLs["744000012345678"] == "https://api.smartrecruiters.com/v1/companies/AcmeCorp/postings/744000012345678")
        #expect(bare.detailURLs["744000087654321"] == "https://api.smartrecruiters.com/v1/companies/AcmeCorp/postings/744000087654321")
    }

    @Test func otherBoardsKeepTheirPostingsOnMerge() throws {
        let posting = JobPosting(source: "s", externalID: "1", title: "Engineer", company: "Acme", descriptionHTML: "<p>a</p>")
        let merged = try GreenhouseBoardParser().merge(detail: Data("{}".utf8), into: posting, context: context)
        #expect(merged == posting)
        #expect(try GreenhouseBoardParser().parse(Data(#"{"jobs": []}"#.utf8), context: context).detailURLs.isEmpty)
    }

    @Test func rejectsBadPostingsWithReasonsAndKeepsTheRest() throws {
        let payload = """
            {"offset": 0, "limit": 100, "totalFound": 4, "content": [
              {"id": "1", "name": "Engineer", "company": {"name": "Acme"}},
              {"id": "2", "company": {"name": "Acme"}},
              {"name": "No id"},
              "not an object"
            ]}
            """
        let page = try SmartRecruitersBoardParser().parse(Data(payload.utf8), context: context)
        #expect(page.postings.map(\.externalID) == ["1"])
        #expect(page.rejected.map(\.reference) == ["2", "#2", "#3"])
        #expect(page.rejected[0].reason.contains("title"))
        #expect(page.rejected[1].reason.contains("id"))
        #expect(Array(page.detailURLs.keys) == ["1"])
    }

    @Test(arguments: ["{\"content\": [", "<html>", "[]", "{\"totalFound\": 0}", "{\"content\": \"x\"}"])
    func aPayloadThatIsNotAListIsUnreadable(_ payload: String) {
        let error = #expect(throws: IngestionError.self) { try SmartRecruitersBoardParser().parse(Data(payload.utf8), context: context) }
        #expect(error?.kind == .unreadablePayload)
    }
}
