import Foundation
import JobsmithTesting

/// Loads the real job-board payloads the tests run over, decoding only the description fields.
enum BoardFixtures {
    struct Posting: Sendable {
        var source: String
        var title: String
        var html: String
        var plain: String?
    }

    /// Every posting in `shared/datasets/ashby` (120 boards, 1,578 postings).
    ///
    /// Loaded once per test process: the files are 20 MB and several suites read them.
    static let ashby: Result<[Posting], any Error> = Result {
        let directory = TestEnvironment.ashbyDatasetDirectory
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") }
            .sorted()
        var postings: [Posting] = []
        for file in files {
            let board = try JSONDecoder().decode(AshbyBoard.self, from: Data(contentsOf: directory.appendingPathComponent(file)))
            for job in board.jobs {
                postings.append(Posting(source: file, title: job.title, html: job.descriptionHtml, plain: job.descriptionPlain))
            }
        }
        return postings
    }

    /// Greenhouse Job Board API postings, whose `content` is entity-escaped HTML.
    static func greenhouse(_ file: String) throws -> [Posting] {
        let url = TestEnvironment.boardFixturesDirectory.appendingPathComponent("greenhouse/\(file)")
        let board = try JSONDecoder().decode(GreenhouseBoard.self, from: Data(contentsOf: url))
        return board.jobs.map { Posting(source: file, title: $0.title, html: $0.content, plain: nil) }
    }

    private struct AshbyBoard: Decodable {
        struct Job: Decodable {
            var title: String
            var descriptionHtml: String
            var descriptionPlain: String?
        }

        var jobs: [Job]
    }

    private struct GreenhouseBoard: Decodable {
        struct Job: Decodable {
            var title: String
            var content: String
        }

        var jobs: [Job]
    }
}
