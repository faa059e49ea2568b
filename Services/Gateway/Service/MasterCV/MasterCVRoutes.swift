import Domain
import Foundation
import Hummingbird
import Postgres
import Runtime
import Store

/// `/api/master-cv`: the candidate's master CV, edited through the API and kept in versions.
///
/// Every save is a new version (an identical save is not), so an edit can always be undone with a
/// rollback, which itself saves the old version again as the newest.
struct MasterCVRoutes: Sendable {
    let store: JobStore
    let source: MasterCVSource
    let access: AccessControl

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.get("master-cv", use: current)
        api.put("master-cv", use: replace)
        api.get("master-cv/history", use: history)
        api.post("master-cv/rollback/:version", use: rollback)
        api.post("master-cv/import", use: importJSONResume)
        api.get("master-cv/export", use: exportJSONResume)
    }

    @Sendable func current(_ request: Request, context: ServiceRequestContext) async throws -> MasterCVVersion {
        _ = try await source.current()  // seeds from the configured file on first use
        guard let current = try await store.currentMasterCV() else {
            throw APIError.notFound("no master CV yet: PUT one to /api/master-cv or POST a JSON Resume to /api/master-cv/import")
        }
        return current
    }

    /// Replaces the master CV with the body, checked as a file would be: the master CV JSON format, or
    /// the Markdown format (docs/master-cv-markdown.md) when sent as `text/markdown`.
    @Sendable func replace(_ request: Request, context: ServiceRequestContext) async throws -> MasterCVVersion {
        try await access.authorizeWrite(request, context: context)
        if request.headers[.contentType]?.hasPrefix("text/markdown") == true {
            let master = try await Self.decode(request) { data in
                try MasterCV.importMarkdown(String(decoding: data, as: UTF8.self), file: "request body")
            }
            return try await save(master, source: "markdown")
        }
        let master = try await Self.decode(request) { data in try MasterCV.decode(data, file: "request body") }
        return try await save(master, source: "api")
    }

    /// Imports a JSON Resume (jsonresume.org) as the new master CV.
    @Sendable func importJSONResume(_ request: Request, context: ServiceRequestContext) async throws -> MasterCVVersion {
        try await access.authorizeWrite(request, context: context)
        let master = try await Self.decode(request) { data in try MasterCV.importJSONResume(data, file: "request body") }
        return try await save(master, source: "json-resume", note: "imported from JSON Resume")
    }

    /// The current master CV as JSON Resume, or in the Markdown format with `?format=markdown`.
    @Sendable func exportJSONResume(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let format = request.uri.queryParameters.get("format") ?? "json-resume"
        guard format == "json-resume" || format == "markdown" else {
            throw APIError.badRequest("format must be json-resume or markdown, got '\(format)'")
        }
        guard let current = try await source.current() else { throw APIError.notFound("no master CV yet") }
        if format == "markdown" {
            return Response(
                status: .ok,
                headers: [.contentType: "text/markdown; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: current.master.markdown))
            )
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(current.master.jsonResume)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    struct History: ResponseEncodable {
        var items: [MasterCVVersion]
    }

    @Sendable func history(_ request: Request, context: ServiceRequestContext) async throws -> History {
        History(items: try await store.masterCVHistory())
    }

    @Sendable func rollback(_ request: Request, context: ServiceRequestContext) async throws -> MasterCVVersion {
        try await access.authorizeWrite(request, context: context)
        // Versions are a PostgreSQL `serial`: anything past its range names no version.
        guard let version = context.parameters.get("version").flatMap(Int.init), (1...Int(Int32.max)).contains(version) else {
            throw APIError.badRequest("the version must be a whole number from 1 to \(Int32.max)")
        }
        guard let saved = try await store.rollbackMasterCV(to: version) else { throw APIError.notFound("no master CV version \(version)") }
        guard let current = try await store.masterCV(version: saved) else { throw APIError.internalError }
        return current
    }

    private func save(_ master: MasterCV, source: String, note: String? = nil) async throws -> MasterCVVersion {
        let version = try await store.saveMasterCV(try PostgresJSON(master), fingerprint: master.fingerprint, source: source, note: note)
        guard let saved = try await store.masterCV(version: version) else { throw APIError.internalError }
        return saved
    }

    /// Reads the body and parses it, turning the master CV's own errors (which name the place and the
    /// problem) into a 400.
    private static func decode(_ request: Request, _ parse: (Data) throws -> MasterCV) async throws -> MasterCV {
        let body = try await request.body.collect(upTo: 2 << 20)
        guard body.readableBytes > 0 else { throw APIError.badRequest("the request needs a JSON body") }
        do {
            return try parse(Data(body.readableBytesView))
        } catch let error as MasterCV.LoadingError {
            throw APIError.badRequest("\(error)")
        }
    }
}

extension MasterCVVersion: ResponseEncodable {}
