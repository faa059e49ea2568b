import Foundation

/// Writes a job's documents as files under `<root>/applications/<company>/<role>/`, so a user can
/// attach them without the UI.
struct ApplicationFolder: Sendable {
    let root: URL

    /// The job's folder, with names reduced to safe slugs ("Acme, Inc." → `acme-inc`).
    func folder(company: String, role: String) -> URL {
        root.appendingPathComponent("applications")
            .appendingPathComponent(Self.slug(company))
            .appendingPathComponent(Self.slug(role))
    }

    /// Writes the files (blocking: call it on the thread pool); returns their paths.
    func write(company: String, role: String, files: [(name: String, contents: Data)]) throws -> [String] {
        let folder = folder(company: company, role: role)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try files.map { file in
            let url = folder.appendingPathComponent(file.name)
            try file.contents.write(to: url, options: .atomic)
            return url.path
        }
    }

    static func slug(_ text: String) -> String {
        let words = text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }).prefix(8)
        let slug = words.joined(separator: "-")
        return slug.isEmpty ? "untitled" : String(slug.prefix(80))
    }
}
