import Foundation
import JobAnalysis
import JobsmithTesting
import Postgres
import Runtime
import Store
import Testing
import TextAnalysis

/// Nango's "Senior Backend Engineer" posting from the dataset, structured and analysed, stored as
/// extraction leaves it; returns the job's id.
func storeNangoBackendJob(_ context: ServiceContext) async throws -> Int {
    struct Board: Decodable {
        struct Job: Decodable {
            var title: String
            var descriptionHtml: String?
        }
        var jobs: [Job]
    }
    let data = try Data(contentsOf: TestEnvironment.ashbyDatasetDirectory.appendingPathComponent("Nango.json"))
    let posting = try #require(try JSONDecoder().decode(Board.self, from: data).jobs.first { $0.title.hasPrefix("Senior Backend Engineer") })
    let structure = DescriptionStructurer.structure(html: posting.descriptionHtml ?? "")
    let analysis = JobDescriptionAnalyzer().analyze(.init(title: posting.title, company: "Nango"), structure: structure)
    let id = try #require(try await context.database.query(
        "INSERT INTO jobs (source, external_id, title, company, description_html, raw, content_hash) VALUES ('test', 'nango-1', $1, 'Nango', $2, '{}', 'h') RETURNING id",
        [posting.title, posting.descriptionHtml ?? ""]
    ).first?.decode("id", as: Int.self))
    try await context.store.saveExtraction(jobID: id, .init(
        contentHash: "h", cleanText: structure.text, sections: try PostgresJSON(structure.sections), engine: "test",
        analysis: try PostgresJSON(analysis), attempts: try PostgresJSON([String]())
    ))
    return id
}
