import Foundation
import Store

/// Loads sources from a JSON file (`INGESTION_SOURCES_FILE`) into the database at start-up:
/// `[{"name": "sample", "kind": "file", "location": "postings"}]` (every field of `/api/sources`, with
/// the same defaults). Relative locations are
/// resolved against the file's folder, so the file can travel with its data.
public enum SourceSeeder {

    /// - Throws: a descriptive error naming the file when it cannot be read.
    public static func sources(fromFile path: String) throws -> [SourceRecord] {
        let url = URL(fileURLWithPath: path)
        let entries: [SourceRecord]
        do {
            entries = try JSONDecoder().decode([SourceEntry].self, from: Data(contentsOf: url)).map(\.record)
        } catch {
            throw IngestionError.sourceUnavailable("cannot read the sources file \(path): \(error)")
        }
        let folder = url.deletingLastPathComponent()
        return try entries.map { entry in
            var source = entry
            if source.kind == .file, !source.location.hasPrefix("/") {
                source.location = folder.appendingPathComponent(source.location).standardizedFileURL.path
            }
            if let problem = source.problem {
                throw IngestionError.sourceUnavailable("source '\(source.name)' in \(path): \(problem)")
            }
            return source
        }
    }
}

extension SourceSeeder {
    /// Creates or updates every source listed in the file.
    public static func seed(fromFile path: String, into store: JobStore) async throws {
        for source in try sources(fromFile: path) {
            try await store.upsertSource(source)
        }
    }
}
