import Redis

/// Appends envelopes to streams.
///
/// A stream no group consumes (the events, finished CVs) is trimmed on every `XADD` to about
/// `maximumLength` entries; approximate trimming (`MAXLEN ~`) lets Redis drop whole radix-tree nodes
/// cheaply. A stream groups consume is not: `MAXLEN` cannot tell whether a group has read an entry,
/// and would silently drop a slow stage's backlog. Its consumers trim it instead, only past entries
/// every group has acknowledged (`ConsumerGroupMaintenance`).
public struct StreamProducer: Sendable {
    public let redis: RedisClient
    /// The replica name written into every envelope's `producer`.
    public let producer: String
    public let maximumLength: Int
    /// The streams consumer groups read, which are never trimmed when written to.
    public let consumedStreams: Set<String>

    public init(redis: RedisClient, producer: String, maximumLength: Int = 1_000_000, consumedStreams: Set<String> = []) {
        self.redis = redis
        self.producer = producer
        self.maximumLength = maximumLength
        self.consumedStreams = consumedStreams
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
        let reply = try await redis.sendCoalesced(arguments: xadd(envelope, to: stream))
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
        let command = consumedStreams.contains(stream) ? ["XADD", stream, "*"] : ["XADD", stream, "MAXLEN", "~", String(maximumLength), "*"]
        return command.map { Array($0.utf8) } + envelope.fields
    }
}
