import Foundation
import Store

/// Loads sources from a JSON file (`INGESTION_SOURCES_FILE`) into the database at start-up:
/// `[{"name": "sample", "kind": "ashby-file", "location": "postings"}]`. Relative locations are
/// resolved against the file's folder, so the file can travel with its data.
public enum SourceSeeder {
    struct Entry: Decodable {
        var name: String
        var kind: String
        var location: String
        var enabled: Bool?
    }

    /// - Throws: a descriptive error naming the file when it cannot be read.
    public static func sources(fromFile path: String) throws -> [SourceRecord] {
        let url = URL(fileURLWithPath: path)
        let entries: [Entry]
        do {
            entries = try JSONDecoder().decode([Entry].self, from: Data(contentsOf: url))
        } catch {
            throw IngestionError.sourceUnavailable("cannot read the sources file \(path): \(error)")
        }
        let folder = url.deletingLastPathComponent()
        return entries.map { entry in
            var location = entry.location
            if entry.kind.hasSuffix("-file"), !location.hasPrefix("/") {
                location = folder.appendingPathComponent(location).standardizedFileURL.path
            }
            return SourceRecord(name: entry.name, kind: entry.kind, location: location, enabled: entry.enabled ?? true)
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
