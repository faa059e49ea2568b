import Foundation
import IngestionService
import JobsmithTesting
import Testing

@Suite struct BoardFormatTests {
    /// The fixtures' folder names, for the folders whose name is not the format's own.
    static let formatOfFolder: [String: BoardFormat] = ["rss": .feed]

    @Test func detectsEveryRealFixtureByItsFolder() throws {
        let root = TestEnvironment.boardFixturesDirectory
        let folders = try FileManager.default.contentsOfDirectory(atPath: root.path).filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: root.appendingPathComponent($0).path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
        #expect(folders.count >= 7)
        var checked = 0
        for folder in folders.sorted() {
            let expected = try #require(Self.formatOfFolder[folder] ?? BoardFormat(rawValue: folder), "no format for fixtures folder \(folder)")
            let directory = root.appendingPathComponent(folder)
            for file in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() where !file.hasPrefix(".") {
                let data = try Data(contentsOf: directory.appendingPathComponent(file))
                #expect(BoardFormat.detect(data, fileName: file) == expected, "\(folder)/\(file)")
                // The name is only a hint for empty boards: the content alone must decide.
                #expect(BoardFormat.detect(data, fileName: nil) == expected, "\(folder)/\(file) without its name")
                checked += 1
            }
        }
        #expect(checked >= 15)
    }

    @Test func detectsAshbyBoardsOfTheDataset() throws {
        let directory = TestEnvironment.ashbyDatasetDirectory
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(files.count >= 100)
        for file in files.prefix(6) {
            let data = try Data(contentsOf: directory.appendingPathComponent(file))
            #expect(BoardFormat.detect(data, fileName: file) == .ashby, "\(file)")
        }
    }

    @Test(arguments: [
        // Workable's widget endpoint with details=true.
        (#"{"name": "Acme", "description": "<p>We make things</p>", "jobs": [{"title": "Engineer", "shortcode": "AB12CD34", "code": "", "employment_type": "Full-time", "telecommuting": true, "department": "R&D", "url": "https://apply.workable.com/j/AB12CD34", "published_on": "2026-07-01", "country": "Greece", "city": "Athens", "state": "Attica"}]}"#, BoardFormat.workable),
        // SmartRecruiters' posting list.
        (#"{"offset": 0, "limit": 100, "totalFound": 1, "content": [{"id": "744000012345678", "name": "Data Analyst", "uuid": "3f0e…", "refNumber": "REF123", "company": {"identifier": "Acme", "name": "Acme"}, "releasedDate": "2026-07-01T10:00:00.000Z", "location": {"city": "Warsaw", "country": "pl", "remote": false}, "ref": "https://api.smartrecruiters.com/v1/companies/Acme/postings/744000012345678"}]}"#, .smartrecruiters),
        (#"{"offset": 100, "limit": 100, "totalFound": 100, "content": []}"#, .smartrecruiters),
        // A careers page with JSON-LD, with the script tag in capitals.
        (#"<!doctype html><html><head><SCRIPT TYPE="application/ld+json">{"@type": "JobPosting"}</SCRIPT></head></html>"#, .jsonld),
        // JSON-LD saved on its own.
        (#"{"@context": "https://schema.org", "@graph": [{"@type": "JobPosting", "title": "x"}]}"#, .jsonld),
        // Feeds, with a declaration, a comment and a prefixed Atom root.
        ("<?xml version=\"1.0\"?>\n<!-- generated -->\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>x</title></feed>", .feed),
        (#"<atom:feed xmlns:atom="http://www.w3.org/2005/Atom"></atom:feed>"#, .feed),
        (#"<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><item/></rdf:RDF>"#, .feed),
        // Empty boards, which only their envelope tells apart.
        (#"{"jobs": [], "meta": {"total": 0}}"#, .greenhouse),
        (#"{"jobs": [], "apiVersion": "1"}"#, .ashby),
        // RemoteOK with its legal notice cut off.
        (#"[{"slug": "x", "id": "1", "epoch": 1773000000, "position": "Dev", "company": "Y"}]"#, .remoteok),
    ])
    func detectsConstructedSamples(payload: String, expected: BoardFormat) {
        #expect(BoardFormat.detect(Data(payload.utf8), fileName: nil) == expected)
    }

    @Test(arguments: [
        "",
        "   \n",
        "# Jobs\n\nA Markdown file.",
        "id,title\n1,Engineer\n",
        "{not json",
        #"{"jobs": [{"id": 1, "name": "Mystery"}]}"#,
        #"{"data": [1, 2, 3]}"#,
        "[1, 2, 3]",
        "\"just a string\"",
        "<html><body><h1>Careers</h1><p>See our <a href=\"/rss\">feed</a>.</p></body></html>",
        "<?xml version=\"1.0\"?><urlset><url><loc>https://x.example</loc></url></urlset>",
    ])
    func junkIsNoFormat(payload: String) {
        #expect(BoardFormat.detect(Data(payload.utf8), fileName: "board.json") == nil)
    }

    @Test func aFileNameOnlySettlesAnEmptyBoard() {
        #expect(BoardFormat.detect(Data("[]".utf8), fileName: "ATS_Polling_lever.json") == .lever)
        #expect(BoardFormat.detect(Data("[]".utf8), fileName: "export.json") == nil)
        #expect(BoardFormat.detect(Data(#"{"name": "Acme", "jobs": []}"#.utf8), fileName: "acme-workable.json") == .workable)
        // Content wins over the name.
        #expect(BoardFormat.detect(Data(#"{"jobs": [], "apiVersion": "1"}"#.utf8), fileName: "greenhouse.json") == .ashby)
        #expect(BoardFormat.detect(Data(#"{"jobs": [{"id": 1}]}"#.utf8), fileName: "greenhouse.json") == nil)
    }

    @Test func readsPastAByteOrderMark() {
        let data = Data([0xEF, 0xBB, 0xBF]) + Data(#"{"jobs": [{"company_name": "A", "candidate_required_location": "Worldwide"}]}"#.utf8)
        #expect(BoardFormat.detect(data, fileName: nil) == .remotive)
    }

    @Test func everyFormatHasAParserName() {
        #expect(BoardFormat.allCases.count == 10)
        #expect(Set(BoardFormat.allCases.map(\.rawValue)).count == 10)
    }
}
