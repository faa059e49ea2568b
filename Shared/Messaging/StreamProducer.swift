import Redis

/// Appends envelopes to streams, trimming each stream to about `maximumLength` entries.
///
/// Trimming is approximate (`MAXLEN ~`), which lets Redis drop whole radix-tree nodes cheaply. It does
/// not know whether a group has read an entry, so the limit must sit far above any backlog; the
/// gateway's status shows group lag to catch a stage that falls that far behind.
public struct StreamProducer: Sendable {
    public let redis: RedisClient
    /// The replica name written into every envelope's `producer`.
    public let producer: String
    public let maximumLength: Int

    public init(redis: RedisClient, producer: String, maximumLength: Int = 1_000_000) {
        self.redis = redis
        self.producer = producer
        self.maximumLength = maximumLength
    }

    /// Publishes a typed message and returns the new entry's ID.
    @discardableResult
    public func publish<Message: PipelineMessage>(
        _ message: Message,
        to stream: String,
        jobID: Int? = nil,
        correlationID: String? = nil
    ) async throws -> String {
        let envelope = try Envelope(message, producer: producer, jobID: jobID, correlationID: correlationID)
        return try await publish(envelope, to: stream)
    }

    /// Publishes one envelope and returns the new entry's ID.
    @discardableResult
    public func publish(_ envelope: Envelope, to stream: String) async throws -> String {
        let reply = try await redis.withConnection { [command = xadd(envelope, to: stream)] connection in
            try connection.send(arguments: command)
        }
        guard let id = reply.string else { throw MessagingError.unexpectedReply("XADD returned \(reply)") }
        return id
    }

    /// Publishes many envelopes in one round trip and returns their entry IDs in order.
    @discardableResult
    public func publish(_ envelopes: [Envelope], to stream: String) async throws -> [String] {
        guard !envelopes.isEmpty else { return [] }
        let commands = envelopes.map { xadd($0, to: stream) }
        let replies = try await redis.withConnection { try $0.pipeline(commands) }
        return try replies.map { reply in
            if case .error(let message) = reply { throw RedisError.server(message) }
            guard let id = reply.string else { throw MessagingError.unexpectedReply("XADD returned \(reply)") }
            return id
        }
    }

    private func xadd(_ envelope: Envelope, to stream: String) -> [[UInt8]] {
        ["XADD", stream, "MAXLEN", "~", String(maximumLength), "*"].map { Array($0.utf8) } + envelope.fields
    }
}
