import Domain
import Foundation
import IngestionService
import JobsmithTesting
import Testing

@Suite struct AshbyBoardParserTests {
    @Test func readsEveryBoardOfTheDataset() throws {
        let folder = TestEnvironment.ashbyDatasetDirectory
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        #expect(files.count >= 100)
        var accepted = 0
        var unlisted = 0
        for file in files {
            let data = try Data(contentsOf: folder.appendingPathComponent(file))
            let result = try AshbyBoardParser().parse(data, context: BoardContext(source: "ashby", board: "x"))
            accepted += result.postings.count
            unlisted += result.rejected.filter { $0.reason.contains("unlisted") }.count
            for posting in result.postings where posting.salary != nil {
                let salary = posting.salary!
                #expect(salary.minimum != nil || salary.maximum != nil)
                #expect(salary.currency?.count == 3)
            }
            for posting in result.postings {
                #expect(!posting.externalID.isEmpty && !posting.title.isEmpty && !posting.descriptionHTML.isEmpty)
            }
        }
        #expect(accepted > 1_400)
        #expect(accepted + unlisted <= 1_578)
    }

    @Test func normalizesAPosting() throws {
        let data = try Data(contentsOf: TestEnvironment.ashbyDatasetDirectory.appendingPathComponent("docker.json"))
        let result = try AshbyBoardParser().parse(data, context: BoardContext(source: "docker", board: "docker"))
        let posting = try #require(result.postings.first { $0.externalID == "2293e0db-fcb0-4e28-b198-14cc358aa9c5" })
        #expect(posting.title == "Sales Operations Manager")
        #expect(posting.company == "Docker")
        #expect(posting.locations == ["England", "Ireland"])
        #expect(posting.isRemote == true)
        #expect(posting.employmentType == "FullTime")
        #expect(posting.department == "Sales")
        #expect(posting.jobURL == "https://jobs.ashbyhq.com/docker/2293e0db-fcb0-4e28-b198-14cc358aa9c5")
        #expect(posting.postedAt == Date(timeIntervalSince1970: 1_756_398_451.862))
        #expect(!posting.raw.isEmpty)
    }

    @Test func readsTheSalaryComponentOfCompensation() throws {
        let data = try Data(contentsOf: TestEnvironment.boardFixturesDirectory.appendingPathComponent("ashby/stapply_double.json"))
        let result = try AshbyBoardParser().parse(data, context: BoardContext(source: "double", board: "double"))
        #expect(result.postings.count == 9)
        let salaries = result.postings.compactMap(\.salary)
        #expect(salaries.count == 9)
        #expect(salaries.contains(Salary(minimum: 100_000, maximum: 150_000, currency: "USD", interval: .year)))
        #expect(result.postings.allSatisfy { $0.company == "Double" })
    }

    @Test func rejectsBadPostingsWithReasonsAndKeepsTheRest() throws {
        let payload = """
            {"jobs": [
              {"id": "a", "title": "Engineer", "descriptionHtml": "<p>Build things</p>", "isListed": true},
              {"id": "b", "descriptionHtml": "<p>No title</p>"},
              {"id": "c", "title": "Hidden", "descriptionHtml": "<p>x</p>", "isListed": false},
              {"id": "d", "title": "Empty"},
              "not an object"
            ]}
            """
        let result = try AshbyBoardParser().parse(Data(payload.utf8), context: BoardContext(source: "s", board: "acme"))
        #expect(result.postings.map(\.externalID) == ["a"])
        #expect(result.rejected.map(\.reference) == ["b", "c", "d", "#4"])
        #expect(result.rejected[0].reason.contains("title"))
        #expect(result.rejected[1].reason.contains("unlisted"))
        #expect(result.rejected[2].reason.contains("description"))
    }

    @Test func aPayloadThatIsNotABoardIsAnError() {
        #expect(throws: IngestionError.self) { try AshbyBoardParser().parse(Data("[1,2]".utf8), context: BoardContext(source: "s", board: "c")) }
        #expect(throws: IngestionError.self) { try AshbyBoardParser().parse(Data("<html>".utf8), context: BoardContext(source: "s", board: "c")) }
    }

    @Test func aChangedPostingChangesItsContentHash() {
        let original = JobPosting(source: "s", externalID: "1", title: "Engineer", company: "Acme", descriptionHTML: "<p>a</p>")
        var edited = original
        #expect(original.contentHash == edited.contentHash)
        edited.descriptionHTML = "<p>b</p>"
        #expect(original.contentHash != edited.contentHash)
    }
}

@Suite struct RawPayloadTests {
    @Test func eachPostingKeepsExactlyItsOwnBytes() throws {
        for file in ["stapply_notion.json", "ATS_Polling_ashby.json", "jobops_ashby_sample.json"] {
            let data = try Data(contentsOf: TestEnvironment.boardFixturesDirectory.appendingPathComponent("ashby/\(file)"))
            let page = try AshbyBoardParser().parse(data, context: BoardContext(source: "s", board: "b"))
            for posting in page.postings {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(posting.raw)) as? [String: Any], "\(file)")
                #expect(object["id"] as? String == posting.externalID)
                #expect((object["title"] as? String)?.trimmingCharacters(in: .whitespaces) == posting.title)
                // The bytes are a slice of the payload, not a re-serialization.
                #expect(data.range(of: Data(posting.raw)) != nil)
            }
        }
    }
}
