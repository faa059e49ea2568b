import Domain
import Foundation
import Store

/// Reads the postings of a configured source.
///
/// File sources are read on the caller's thread: call it from the service's thread pool.
public enum SourceReader {
    public struct Fetch: Sendable {
        public var postings: [JobPosting] = []
        public var rejected: [RejectedPosting] = []
        /// Files or pages that could not be read at all, while the others were.
        public var errors: [String] = []
    }

    /// - Throws: `IngestionError` when the source as a whole cannot be read (unknown kind, missing path).
    public static func read(_ source: SourceRecord) throws -> Fetch {
        switch source.kind {
        case "ashby-file": return try readAshbyFiles(at: source.location, source: source.name)
        default: throw IngestionError.unsupportedSource(source.kind)
        }
    }

    /// An Ashby board JSON file, or a folder of them; each file's name is the board (company) name.
    static func readAshbyFiles(at path: String, source: String) throws -> Fetch {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw IngestionError.sourceUnavailable("no file or folder at \(path)")
        }
        let files: [URL]
        if isDirectory.boolValue {
            let names = try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".json") }.sorted()
            files = names.map { URL(fileURLWithPath: path).appendingPathComponent($0) }
        } else {
            files = [URL(fileURLWithPath: path)]
        }
        var fetch = Fetch()
        for file in files {
            do {
                let data = try Data(contentsOf: file)
                let board = file.deletingPathExtension().lastPathComponent
                let result = try AshbyBoardParser.parse(data, source: source, company: companyName(fromBoard: board))
                fetch.postings += result.postings
                fetch.rejected += result.rejected.map {
                    RejectedPosting(reference: "\(file.lastPathComponent) \($0.reference)", reason: $0.reason)
                }
            } catch {
                fetch.errors.append("\(file.lastPathComponent): \(error)")
            }
        }
        return fetch
    }

    /// `double-the-donation` → `Double The Donation`, `Synergy%20Pet%20Group` → `Synergy Pet Group`;
    /// names that already carry capitals are kept as written.
    static func companyName(fromBoard board: String) -> String {
        let decoded = board.removingPercentEncoding ?? board
        guard decoded == decoded.lowercased() else { return decoded }
        return decoded
            .split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == " " })
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined(separator: " ")
    }
}
