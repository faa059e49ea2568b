import Domain
import Foundation
import Hummingbird
import Messaging
import Redis
import Runtime
import Store
import TextAnalysis

/// `POST /api/jobs` (add a job the user found: pasted text, stored at once, or a page's URL, imported
/// by the ingestion service) and `GET /api/jobs/imports/{import_id}` (where a URL import is).
struct JobAdditionRoutes: Sendable {
    let context: ServiceContext
    let access: AccessControl
    /// Told when a pasted job was stored, so no list read that began before it is shared after it.
    let listReads: JobListCoalescer

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.post("jobs", use: create)
        api.get("jobs/imports/:import_id", use: importState)
    }

    @Sendable func create(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await access.authorizeWrite(request, context: context)
        switch try await decodeChecked(NewJob.self, from: request, limit: NewJob.maximumBodyBytes) {
        case .pasted(let pasted): return try await store(pasted, request: request, context: context)
        case .page(let url): return try await queueImport(of: url, request: request, context: context)
        }
    }

    // MARK: - Pasted text

    /// The job as the list shows it, and whether the same text had been added before.
    struct AddedJob: ResponseEncodable {
        var job: JobSummary
        var duplicate: Bool

        enum CodingKeys: String, CodingKey { case duplicate }

        /// The summary's fields with `duplicate` beside them, so the answer reads like a list item.
        func encode(to encoder: any Encoder) throws {
            try job.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(duplicate, forKey: .duplicate)
        }
    }

    /// Stores the pasted job as ingestion stores a board's posting, and sends it down the pipeline.
    /// The same title, company and description pasted again is the same job: 200 with
    /// `"duplicate": true` (and its other fields updated) instead of a second job.
    private func store(_ pasted: PastedJob, request: Request, context: ServiceRequestContext) async throws -> Response {
        let store = self.context.store
        let added = try await store.addManualJob(try pasted.prepared(), runID: UUID())
        listReads.invalidate()
        if let contentHash = try await store.unpublishedContent(jobID: added.jobID) {
            try await self.context.producer.publish(JobIngested(jobID: added.jobID), to: self.context.streams.jobsIngested, jobID: added.jobID)
            try await store.markPublished([(added.jobID, contentHash)])
        }
        guard let summary = try await store.jobSummary(id: added.jobID) else {
            throw APIError.notFound("job \(added.jobID) was deleted while it was being added")
        }
        var response = try AddedJob(job: summary, duplicate: !added.isNew).response(from: request, context: context)
        response.status = added.isNew ? .created : .ok
        if added.isNew { response.headers[.location] = "/api/jobs/\(added.jobID)" }
        return response
    }

    // MARK: - Import by URL

    struct QueuedImport: ResponseEncodable {
        var importID: String
        var url: String
        var status: IngestURLCommand.Status

        enum CodingKeys: String, CodingKey {
            case importID = "import_id"
            case url, status
        }
    }

    /// Records the import as queued, then asks the ingestion service for it: an import no replica
    /// picks up still shows as queued rather than vanishing.
    private func queueImport(of url: String, request: Request, context: ServiceRequestContext) async throws -> Response {
        let importID = UUID().uuidString.lowercased()
        let state = IngestURLCommand.State(importID: importID, url: url, status: .queued)
        let replies = try await self.context.redis.pipeline(state.writeCommands(self.context.streams))
        if let failure = replies.first(where: { if case .error(_) = $0 { true } else { false } }) {
            throw MessagingError.unexpectedReply("recording the import failed: \(failure)")
        }
        try await self.context.producer.publish(
            IngestURLCommand(importID: importID, url: url), to: self.context.streams.ingestionCommands, correlationID: importID
        )
        var response = try QueuedImport(importID: importID, url: url, status: .queued).response(from: request, context: context)
        response.status = .accepted
        response.headers[.location] = "/api/jobs/imports/\(importID)"
        return response
    }

    @Sendable func importState(_ request: Request, context: ServiceRequestContext) async throws -> IngestURLCommand.State {
        let raw = context.parameters.get("import_id") ?? ""
        guard let id = UUID(uuidString: raw) else { throw APIError.badRequest("import id must be a UUID, got '\(raw)'") }
        let importID = id.uuidString.lowercased()
        let reply = try await self.context.redis.send("HGETALL", IngestURLCommand.stateKey(self.context.streams, importID: importID))
        guard let state = IngestURLCommand.State(hash: reply) else {
            throw APIError.notFound("no import \(importID); imports are kept for a day after their last change")
        }
        return state
    }
}

extension IngestURLCommand.State: ResponseEncodable {}

// MARK: - The request

/// `POST /api/jobs`'s body: `{"url": "https://…"}` alone to import a page, or a pasted job
/// `{"title", "company", "description", "url"?, "location"?, "remote"?}`.
enum NewJob: Decodable {
    case pasted(PastedJob)
    case page(url: String)

    static let pastedFields = ["title", "company", "description", "url", "location", "remote"]
    static let maximumTitleLength = 300
    static let maximumDescriptionLength = 200_000
    /// Room for the longest description JSON can spell: 200,000 characters written as `\uXXXX`
    /// escapes (twelve bytes for a character beyond the BMP) are 2.4 MB.
    static let maximumBodyBytes = 4 << 20

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: BodyKey.self)
        let names = container.allKeys.map(\.stringValue)
        let unknown = names.filter { !Self.pastedFields.contains($0) }
        guard unknown.isEmpty else {
            throw BodyProblem(
                "unknown field \(unknown.map { "'\($0)'" }.joined(separator: ", ")); send {\"url\"} to import a page, or title, company, description and optionally url, location, remote to paste a job"
            )
        }
        // Lengths count Unicode code points, as the OpenAPI document's maxLength does.
        func string(_ name: String, limit: Int) throws -> String? {
            guard container.contains(BodyKey(name)) else { return nil }
            guard let value = try? container.decode(String.self, forKey: BodyKey(name)) else { throw BodyProblem("\(name) must be a string") }
            let length = value.unicodeScalars.count
            guard length <= limit else { throw BodyProblem("\(name) is limited to \(limit) characters, got \(length)") }
            return withoutNUL(value)
        }
        func text(_ name: String, limit: Int) throws -> String? {
            guard let value = try string(name, limit: limit) else { return nil }
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { throw BodyProblem("\(name) must not be empty") }
            return trimmed
        }
        let url = try string("url", limit: 2048).map(Self.checkedURL)
        let title = try text("title", limit: Self.maximumTitleLength)
        let company = try text("company", limit: Self.maximumTitleLength)
        let description = try text("description", limit: Self.maximumDescriptionLength)
        let location = try text("location", limit: Self.maximumTitleLength)
        var remote: Bool?
        if container.contains(BodyKey("remote")) {
            guard let value = try? container.decode(Bool.self, forKey: BodyKey("remote")) else { throw BodyProblem("remote must be true or false") }
            remote = value
        }
        if title == nil, company == nil, description == nil {
            guard let url else {
                throw BodyProblem("send {\"url\": \"https://…\"} to import a job's page, or its title, company and description to paste it")
            }
            guard location == nil, remote == nil else {
                throw BodyProblem("location and remote go with a pasted job (title, company, description); an imported page says them itself")
            }
            self = .page(url: url)
            return
        }
        guard let title, let company, let description else {
            let missing = [("title", title), ("company", company), ("description", description)].filter { $0.1 == nil }.map(\.0)
            throw BodyProblem("a pasted job needs title, company and description; missing \(missing.joined(separator: ", "))")
        }
        self = .pasted(PastedJob(title: title, company: company, description: description, url: url, location: location, remote: remote))
    }

    /// An absolute http(s) URL with a host; anything else (`javascript:`, `file:`, a path) is refused.
    static func checkedURL(_ text: String) throws -> String {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(), ["http", "https"].contains(scheme),
              components.host?.isEmpty == false, !text.contains(where: \.isWhitespace) else {
            throw BodyProblem("url must be an absolute http:// or https:// URL, got '\(text)'")
        }
        return text
    }
}

/// A job the user pasted.
struct PastedJob: Sendable {
    var title: String
    var company: String
    /// Plain text or HTML.
    var description: String
    var url: String?
    var location: String?
    var remote: Bool?

    /// The same title, company and description are the same pasted job, whatever else differs.
    var externalID: String {
        var hash = FNV1a()
        for part in [title, company, description] {
            hash.combine(part.utf8)
            hash.separate()
        }
        return "paste-\(hash.hex)"
    }

    /// What the store keeps, prepared as ingestion prepares a board's posting: the description
    /// sanitized, and its clean text derived from the sanitized copy. No fingerprint for cross-board
    /// dedupe: that lives in the ingestion service.
    func prepared() throws -> PreparedPosting {
        let html = PastedDescription.html(from: description)
        let safeHTML = HTMLSanitizer.sanitize(html)
        let cleanText = HTMLText.plainText(from: safeHTML)
        guard !cleanText.isEmpty else { throw APIError.badRequest("description has no text once its markup is removed") }
        let posting = JobPosting(
            source: JobStore.manualSource,
            externalID: externalID,
            title: title,
            company: company,
            locations: location.map { [$0] } ?? [],
            isRemote: remote,
            workplaceType: remote == true ? .remote : nil,
            jobURL: url,
            descriptionHTML: html,
            raw: raw
        )
        return PreparedPosting(posting: posting, safeHTML: safeHTML, cleanText: cleanText, dedupeKey: "", shingles: [])
    }

    /// What the user sent, kept as the posting's raw payload as a board's would be.
    private var raw: [UInt8] {
        struct Raw: Encodable {
            var title: String
            var company: String
            var description: String
            var url: String?
            var location: String?
            var remote: Bool?
        }
        let value = Raw(title: title, company: company, description: description, url: url, location: location, remote: remote)
        let encoded = Array((try? JSONEncoder().encode(value)) ?? Data("{}".utf8))
        // The store strips every `\u0000` from a raw payload (PostgreSQL refuses that escape), even
        // one that is only text after an escaped backslash, which would break the JSON. A backslash
        // written as `\u005c` cannot start one.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(encoded.count)
        var index = 0
        while index < encoded.count {
            if encoded[index] == UInt8(ascii: "\\"), index + 1 < encoded.count {
                if encoded[index + 1] == UInt8(ascii: "\\") {
                    bytes.append(contentsOf: Array("\\u005c".utf8))
                } else {
                    bytes.append(contentsOf: encoded[index...(index + 1)])
                }
                index += 2
            } else {
                bytes.append(encoded[index])
                index += 1
            }
        }
        return bytes
    }
}
