import Domain
import Foundation
import Hummingbird
import Runtime
import Postgres
import Store

/// `/api/jobs/{id}/documents` (every version of a job's CV, cover letter and outreach) and
/// `PUT /api/jobs/{id}/cv` (the user's own edit of the CV, kept as a new version).
struct DocumentRoutes: Sendable {
    let store: JobStore
    let access: AccessControl

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.get("jobs/:id/documents", use: list)
        api.put("jobs/:id/cv", use: editCV)
    }

    struct DocumentList: ResponseEncodable {
        var items: [JobDocument]
    }

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> DocumentList {
        let id = try await existingJob(context)
        var kind: JobDocument.Kind?
        if let raw = request.uri.queryParameters.get("kind") {
            guard let parsed = JobDocument.Kind(rawValue: raw) else {
                throw APIError.badRequest("kind must be one of \(JobDocument.Kind.allCases.map(\.rawValue).joined(separator: ", ")), got '\(raw)'")
            }
            kind = parsed
        }
        return DocumentList(items: try await store.documents(jobID: id, kind: kind))
    }

    struct CVEdit: Decodable {
        var markdown: String
    }

    /// Stores the user's CV as the newest version and the job's current CV. The user's text is theirs:
    /// it is not checked against the master CV, and the version says it was edited by hand.
    @Sendable func editCV(_ request: Request, context: ServiceRequestContext) async throws -> EditedResponse<JobDocument> {
        try await access.authorizeWrite(request, context: context)
        let id = try await existingJob(context)
        let edit = try await decode(CVEdit.self, from: request, context: context)
        let markdown = edit.markdown.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !markdown.isEmpty else { throw APIError.badRequest("markdown must not be empty") }
        guard markdown.utf8.count <= 200_000 else { throw APIError.badRequest("markdown is limited to 200,000 bytes") }
        var hash = FNV1a()
        hash.combine(markdown.utf8)
        let note = try PostgresJSON(["edited_by": "user"])
        try await store.saveDocuments(
            jobID: id,
            [.init(kind: .cv, source: "user", markdown: markdown, html: nil, details: note, ready: true, fingerprint: hash.hex)],
            cv: ([], nil, note, nil)
        )
        guard let saved = try await store.documents(jobID: id, kind: .cv, limit: 1).first else { throw APIError.internalError }
        return EditedResponse(status: .ok, response: saved)
    }

    private func existingJob(_ context: ServiceRequestContext) async throws -> Int {
        let raw = context.parameters.get("id") ?? ""
        guard let id = Int(raw), id > 0 else { throw APIError.badRequest("job id must be a positive integer, got '\(raw)'") }
        guard try await store.jobDetail(id: id) != nil else { throw APIError.notFound("no job with id \(id)") }
        return id
    }
}

extension JobDocument: ResponseEncodable {}
