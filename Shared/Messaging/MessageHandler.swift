/// The work a service does for each message of the stream it consumes.
///
/// A handler must commit its results (to PostgreSQL) before returning: the consumer acknowledges the
/// entry as soon as `handle` returns. It must also be idempotent, because delivery is at-least-once: a
/// replica that crashes after committing but before acknowledging gets the message delivered again.
public protocol MessageHandler: Sendable {
    /// - Throws: anything to have the message retried after the visibility timeout (and dead-lettered
    ///   after the configured number of deliveries), or `MessagingError.unprocessable` to dead-letter it
    ///   at once.
    func handle(_ message: ReceivedMessage) async throws
}

/// A delivered message.
public struct ReceivedMessage: Sendable {
    public let stream: String
    /// The stream entry ID (`1700000000000-0`).
    public let entryID: String
    public let envelope: Envelope
    /// How many times Redis has delivered this entry, this delivery included.
    public let deliveryCount: Int
    /// How many times this delivery was handed to the handler again after PostgreSQL or Redis was
    /// unreachable.
    public var retries: Int

    public init(stream: String, entryID: String, envelope: Envelope, deliveryCount: Int, retries: Int = 0) {
        self.stream = stream
        self.entryID = entryID
        self.envelope = envelope
        self.deliveryCount = deliveryCount
        self.retries = retries
    }

    /// Whether an earlier attempt may have done (part of) the work: a redelivery, or a retry after an
    /// outage. A handler that finds its result already stored then makes sure it was reported.
    public var mayHaveRunBefore: Bool { deliveryCount > 1 || retries > 0 }
}
