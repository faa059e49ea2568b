import Foundation
import Hummingbird
import Store

/// The body of `PATCH /api/jobs/{id}`: any of `status`, `notes` (at most 20,000 characters, `""`
/// clears them) and `priority` (0–5). Fields left out keep their value.
struct JobPatch: Decodable {
    static let fields = ["status", "notes", "priority"]
    static let maximumNotesLength = 20_000

    var status: JobStatus?
    var notes: String?
    var priority: Int?

    /// Checks names and values as the body is read, so each mistake gets a sentence of its own.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: BodyKey.self)
        let names = container.allKeys.map(\.stringValue)
        let unknown = names.filter { !Self.fields.contains($0) }
        guard unknown.isEmpty else {
            throw BodyProblem("unknown field \(unknown.map { "'\($0)'" }.joined(separator: ", ")); a job's editable fields are \(Self.fields.joined(separator: ", "))")
        }
        guard !names.isEmpty else { throw BodyProblem("send at least one of \(Self.fields.joined(separator: ", "))") }
        if container.contains(BodyKey("status")) {
            let text = try? container.decode(String.self, forKey: BodyKey("status"))
            guard let text, let status = JobStatus(rawValue: text) else {
                throw BodyProblem("status must be one of \(JobStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.status = status
        }
        if container.contains(BodyKey("notes")) {
            guard let notes = try? container.decode(String.self, forKey: BodyKey("notes")) else {
                throw BodyProblem("notes must be a string (send \"\" to clear them)")
            }
            // Code points, as the OpenAPI document's maxLength counts.
            guard notes.unicodeScalars.count <= Self.maximumNotesLength else {
                throw BodyProblem("notes are limited to 20,000 characters, got \(notes.unicodeScalars.count)")
            }
            self.notes = withoutNUL(notes)
        }
        if container.contains(BodyKey("priority")) {
            guard let priority = try? container.decode(Int.self, forKey: BodyKey("priority")), (0...5).contains(priority) else {
                throw BodyProblem("priority must be a whole number from 0 to 5")
            }
            self.priority = priority
        }
    }
}

/// The body of `POST /api/jobs/bulk`: `{"job_ids": [...], "action": "set_status", "status": "discarded"}`
/// or `{"job_ids": [...], "action": "delete"}`.
struct BulkJobAction: Decodable {
    static let maximumJobs = 1000
    static let actions = ["set_status", "delete"]

    enum Action {
        case setStatus(JobStatus)
        case delete

        var name: String {
            switch self {
            case .setStatus: "set_status"
            case .delete: "delete"
            }
        }
    }

    /// Each job once, in the order given.
    var jobIDs: [Int]
    var action: Action

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: BodyKey.self)
        let known = ["job_ids", "action", "status"]
        let unknown = container.allKeys.map(\.stringValue).filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw BodyProblem("unknown field \(unknown.map { "'\($0)'" }.joined(separator: ", ")); a bulk action takes \(known.joined(separator: ", "))")
        }
        guard let ids = try? container.decode([Int].self, forKey: BodyKey("job_ids")) else {
            throw BodyProblem("job_ids must be an array of job ids")
        }
        guard (1...Self.maximumJobs).contains(ids.count) else {
            throw BodyProblem("job_ids must hold 1 to \(Self.maximumJobs) ids, got \(ids.count)")
        }
        if let bad = ids.first(where: { $0 < 1 }) { throw BodyProblem("job ids are positive whole numbers, got \(bad)") }
        var seen = Set<Int>()
        jobIDs = ids.filter { seen.insert($0).inserted }
        switch try? container.decode(String.self, forKey: BodyKey("action")) {
        case "set_status":
            let text = try? container.decode(String.self, forKey: BodyKey("status"))
            guard let text, let status = JobStatus(rawValue: text) else {
                throw BodyProblem("set_status needs a status, one of \(JobStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            action = .setStatus(status)
        case "delete":
            guard !container.contains(BodyKey("status")) else { throw BodyProblem("delete takes no status") }
            action = .delete
        default:
            throw BodyProblem("action must be one of \(Self.actions.joined(separator: ", "))")
        }
    }
}

/// `text` without NUL characters, which PostgreSQL text cannot hold (a parameter would be cut short at
/// the first, and a JSON batch refused) and which carry nothing a person typed.
func withoutNUL(_ text: String) -> String {
    guard text.utf8.contains(0) else { return text }
    return String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.value != 0 }))
}

/// Any key of a JSON object, so a body's unknown fields can be named.
struct BodyKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// A body that is JSON but not what the endpoint takes, said in a sentence for the API user.
struct BodyProblem: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// Decodes a JSON object body whose type checks its own fields and values as it reads them: a
/// `BodyProblem` becomes a 400 with its sentence.
///
/// - Parameter limit: The most body bytes read (a 413 beyond), by default the API's usual limit.
func decodeChecked<Value: Decodable>(_ type: Value.Type, from request: Request, limit: Int = maximumBodyBytes) async throws -> Value {
    let body = try await request.body.collect(upTo: limit)
    guard body.readableBytes > 0 else { throw APIError.badRequest("the request needs a JSON body") }
    do {
        return try JSONDecoder().decode(type, from: Data(body.readableBytesView))
    } catch let problem as BodyProblem {
        throw APIError.badRequest(problem.message)
    } catch DecodingError.typeMismatch {
        throw APIError.badRequest("the body must be a JSON object")
    } catch {
        throw APIError.badRequest("invalid JSON body: it does not parse as JSON")
    }
}
