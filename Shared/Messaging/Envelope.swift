import Foundation
import Redis

/// A message's payload type: a `Codable` value with a stable type name.
public protocol PipelineMessage: Codable, Sendable {
    /// The `type` field of its envelopes, e.g. `job.ingested`.
    static var type: String { get }
}

/// The one shape of every stream entry: who sent what, when, about which job, and the JSON payload.
///
/// Each part is its own stream field, so tools such as `redis-cli XRANGE` show them readably and the
/// payload stays opaque bytes.
public struct Envelope: Sendable, Equatable {
    /// What the payload is (`PipelineMessage.type`).
    public var type: String
    /// Unique per message; stays the same when the message is redelivered.
    public var id: UUID
    /// Ties messages of one piece of work together (an ingestion run, an operation).
    public var correlationID: String?
    /// The job the message is about, when there is one.
    public var jobID: Int?
    /// How many times this work was deliberately re-sent (a user's retry); Redis counts redeliveries.
    public var attempt: Int
    public var producedAt: Date
    /// The replica that sent it (`extraction-1`).
    public var producer: String
    /// The payload, JSON.
    public var payload: [UInt8]

    public init(
        type: String,
        id: UUID = UUID(),
        correlationID: String? = nil,
        jobID: Int? = nil,
        attempt: Int = 1,
        producedAt: Date = Date(),
        producer: String,
        payload: [UInt8]
    ) {
        self.type = type
        self.id = id
        self.correlationID = correlationID
        self.jobID = jobID
        self.attempt = attempt
        self.producedAt = producedAt
        self.producer = producer
        self.payload = payload
    }

    /// Wraps a typed message.
    public init<Message: PipelineMessage>(
        _ message: Message,
        producer: String,
        jobID: Int? = nil,
        correlationID: String? = nil,
        attempt: Int = 1
    ) throws {
        self.init(
            type: Message.type,
            correlationID: correlationID,
            jobID: jobID,
            attempt: attempt,
            producer: producer,
            payload: Array(try JSONEncoder().encode(message))
        )
    }

    /// Reads the payload as `Message`.
    ///
    /// - Throws: `MessagingError.malformed` when the type does not match or the JSON does not decode.
    public func decode<Message: PipelineMessage>(_: Message.Type) throws -> Message {
        guard type == Message.type else {
            throw MessagingError.malformed("expected a \(Message.type) message, got \(type)")
        }
        do {
            return try JSONDecoder().decode(Message.self, from: Data(payload))
        } catch {
            throw MessagingError.malformed("\(type) payload does not decode: \(error)")
        }
    }

    // MARK: - Stream fields

    enum Field {
        static let type = "type"
        static let id = "id"
        static let correlationID = "correlation_id"
        static let jobID = "job_id"
        static let attempt = "attempt"
        static let producedAt = "produced_at"
        static let producer = "producer"
        static let payload = "payload"
    }

    /// The entry's fields, alternating name and value, as `XADD` takes them.
    public var fields: [[UInt8]] {
        var fields: [[UInt8]] = [
            Array(Field.type.utf8), Array(type.utf8),
            Array(Field.id.utf8), Array(id.uuidString.lowercased().utf8),
            Array(Field.attempt.utf8), Array(String(attempt).utf8),
            Array(Field.producedAt.utf8), Array(String(Int64(producedAt.timeIntervalSince1970 * 1000)).utf8),
            Array(Field.producer.utf8), Array(producer.utf8),
        ]
        if let correlationID { fields += [Array(Field.correlationID.utf8), Array(correlationID.utf8)] }
        if let jobID { fields += [Array(Field.jobID.utf8), Array(String(jobID).utf8)] }
        fields += [Array(Field.payload.utf8), payload]
        return fields
    }

    /// Reads an entry's fields.
    ///
    /// - Throws: `MessagingError.malformed` naming the missing or bad field.
    public init(fields: [(key: String, value: RedisReply)]) throws {
        var values: [String: RedisReply] = [:]
        for (key, value) in fields { values[key] = value }
        func text(_ name: String) throws -> String {
            guard let value = values[name]?.string else { throw MessagingError.malformed("the entry has no '\(name)' field") }
            return value
        }
        guard let id = UUID(uuidString: try text(Field.id)) else { throw MessagingError.malformed("'id' is not a UUID") }
        guard let attempt = Int(try text(Field.attempt)) else { throw MessagingError.malformed("'attempt' is not a number") }
        guard let millis = Int64(try text(Field.producedAt)) else { throw MessagingError.malformed("'produced_at' is not a number") }
        guard let payload = values[Field.payload]?.bytes else { throw MessagingError.malformed("the entry has no 'payload' field") }
        var jobID: Int?
        if let raw = values[Field.jobID]?.string {
            guard let value = Int(raw) else { throw MessagingError.malformed("'job_id' is not a number") }
            jobID = value
        }
        self.init(
            type: try text(Field.type),
            id: id,
            correlationID: values[Field.correlationID]?.string,
            jobID: jobID,
            attempt: attempt,
            producedAt: Date(timeIntervalSince1970: Double(millis) / 1000),
            producer: try text(Field.producer),
            payload: payload
        )
    }
}
