import Foundation
import Hummingbird
import Messaging
import Redis
import Runtime
import Store

/// Live progress as Server-Sent Events:
///
/// - `GET /api/events` — everything every service reports (optionally for one job);
/// - `GET /api/operations/{id}/events` — one run's full log, then its live events, ending with an
///   `end` event once the run is over.
///
/// Every event's `id` is its entry ID in the events stream. A client that reconnects with
/// `Last-Event-ID` (browsers do it by themselves) gets exactly what it missed: from PostgreSQL for a
/// run's log, from the stream for the rest. There is no line limit.
struct EventRoutes: Sendable {
    let context: ServiceContext
    let hub: EventHub

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.get("events", use: allEvents)
        api.get("operations/:id/events", use: operationEvents)
    }

    /// The JSON `data` of each event.
    struct Payload: Encodable {
        var id: String
        var at: Date
        var jobID: Int
        var operationID: String?
        var service: String
        var step: String
        var phase: String
        var message: String

        enum CodingKeys: String, CodingKey {
            case id, at, service, step, phase, message
            case jobID = "job_id"
            case operationID = "operation_id"
        }

        init(_ live: LiveEvent) {
            id = live.position.description
            at = live.at
            jobID = live.event.jobID
            operationID = live.event.operationID
            service = live.event.service.rawValue
            step = live.event.step
            phase = live.event.phase.rawValue
            message = live.event.message
        }

        init(_ entry: OperationLogEntry, jobID: Int, operationID: String) {
            id = entry.id
            at = entry.at
            self.jobID = jobID
            self.operationID = operationID
            service = entry.service
            step = entry.step
            phase = entry.phase
            message = entry.message
        }
    }

    @Sendable func allEvents(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        var onlyJob: Int?
        if let raw = request.uri.queryParameters.get("job_id") {
            guard let value = Int(raw), value > 0 else { throw APIError.badRequest("job_id must be a positive integer, got '\(raw)'") }
            onlyJob = value
        }
        let jobID = onlyJob
        let resume = try lastEventID(request)
        let live = hub.subscribe()
        let hub = self.hub
        return Self.eventStream { writer in
            var sent = resume
            if let resume {
                for event in try await hub.history(after: resume) where jobID == nil || event.event.jobID == jobID {
                    try await writer.send(Payload(event))
                    sent = event.position
                }
            }
            for await signal in live {
                switch signal {
                case .tick:
                    try await writer.keepAlive()
                case .event(let event):
                    guard sent.map({ event.position > $0 }) ?? true, jobID == nil || event.event.jobID == jobID else { continue }
                    try await writer.send(Payload(event))
                    sent = event.position
                }
            }
        }
    }

    @Sendable func operationEvents(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let raw = context.parameters.get("id") ?? ""
        guard let runID = UUID(uuidString: raw) else { throw APIError.badRequest("operation id must be a UUID, got '\(raw)'") }
        guard let run = try await self.context.store.operationRun(id: runID) else { throw APIError.notFound("no operation with id \(raw)") }
        let resume = try lastEventID(request)
        // Subscribe before reading the log, so nothing published in between is missed.
        let live = hub.subscribe()
        let (hub, store) = (self.hub, self.context.store)
        let operationID = raw.lowercased()
        return Self.eventStream { writer in
            var sent = resume
            for entry in try await store.operationLog(runID: runID, after: resume) {
                try await writer.send(Payload(entry, jobID: run.jobID, operationID: operationID))
                sent = StreamPosition(entry.id)
            }
            // Published to the stream but not yet in the log when it was read.
            if let after = sent ?? Self.position(before: run.createdAt) {
                for event in try await hub.history(after: after) where event.event.operationID == operationID {
                    try await writer.send(Payload(event))
                    sent = event.position
                    if event.event.step == "run", event.event.phase.isFinal { return try await writer.end(try await store.operationRun(id: runID)) }
                }
            }
            if let current = try await store.operationRun(id: runID), current.status.isFinal {
                return try await writer.end(current)
            }
            for await signal in live {
                switch signal {
                case .tick:
                    try await writer.keepAlive()
                    // The run may have ended on a replica whose final event this one has not seen.
                    if let current = try await store.operationRun(id: runID), current.status.isFinal { return try await writer.end(current) }
                case .event(let event):
                    guard event.event.operationID == operationID, sent.map({ event.position > $0 }) ?? true else { continue }
                    try await writer.send(Payload(event))
                    sent = event.position
                    if event.event.step == "run", event.event.phase.isFinal {
                        return try await writer.end(try await store.operationRun(id: runID))
                    }
                }
            }
        }
    }

    /// `Last-Event-ID` (sent by browsers when they reconnect) or the `last_event_id` query parameter.
    private func lastEventID(_ request: Request) throws -> StreamPosition? {
        let header = request.headers.first { $0.name.canonicalName == "last-event-id" }?.value
        guard let raw = header ?? request.uri.queryParameters.get("last_event_id"), !raw.isEmpty else { return nil }
        guard let position = StreamPosition(raw) else {
            throw APIError.badRequest("Last-Event-ID must be an event id such as 1700000000000-0, got '\(raw)'")
        }
        return position
    }

    /// The position just before anything published at `date` (a little earlier, for clock skew).
    private static func position(before date: Date) -> StreamPosition? {
        let milliseconds = Int64(date.timeIntervalSince1970 * 1000) - 5_000
        return milliseconds > 0 ? StreamPosition(milliseconds: milliseconds, sequence: 0) : nil
    }

    private static func eventStream(_ body: @escaping @Sendable (inout EventWriter) async throws -> Void) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "text/event-stream; charset=utf-8",
                .cacheControl: "no-cache",
            ],
            body: ResponseBody { bodyWriter in
                var writer = EventWriter(writer: bodyWriter)
                // Browsers wait this long before reconnecting after a dropped connection.
                try await writer.write("retry: 2000\n\n")
                try await body(&writer)
                try await bodyWriter.finish(nil)
            }
        )
    }
}

/// Writes Server-Sent Events.
struct EventWriter {
    var writer: any ResponseBodyWriter
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    mutating func write(_ text: String) async throws {
        try await writer.write(ByteBuffer(string: text))
    }

    mutating func send(_ payload: EventRoutes.Payload) async throws {
        // JSON without pretty printing has no newline, so it fits one `data:` line.
        let data = String(decoding: try Self.encoder.encode(payload), as: UTF8.self)
        try await write("id: \(payload.id)\nevent: progress\ndata: \(data)\n\n")
    }

    mutating func keepAlive() async throws {
        try await write(": keep-alive\n\n")
    }

    /// The last event of a run's stream: its final state. Clients stop reconnecting when they see it.
    mutating func end(_ run: OperationRun?) async throws {
        struct End: Encodable {
            var status: String
            var error: String?
        }
        let end = End(status: run?.status.rawValue ?? "unknown", error: run?.error)
        try await write("event: end\ndata: \(String(decoding: try Self.encoder.encode(end), as: UTF8.self))\n\n")
    }
}
