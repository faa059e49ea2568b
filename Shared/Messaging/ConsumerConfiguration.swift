/// How a `StreamConsumer` reads, retries and gives up.
public struct ConsumerConfiguration: Sendable, Equatable {
    public var stream: String
    public var group: String
    /// Stable per replica (`extraction-1`): Redis keeps every consumer name forever, and a replica that
    /// restarts under its old name finds its own unacknowledged entries.
    public var consumer: String
    /// Entries asked for per read. Default 32 (`CONSUMER_BATCH_SIZE`).
    public var batchSize: Int
    /// Messages handled at once. Default 4 (`CONSUMER_CONCURRENCY`).
    public var concurrency: Int
    /// How long a read waits for new entries. Default 2 s (`CONSUMER_BLOCK_MS`); shutdown waits at
    /// most this long for the read in progress.
    public var blockTime: Duration
    /// An entry pending this long on a consumer is taken over by another (or retried by the same).
    /// Default 60 s (`CONSUMER_VISIBILITY_TIMEOUT_MS`). Entries being handled are kept fresh while
    /// they run, so slow handlers are not taken over.
    public var visibilityTimeout: Duration
    /// After this many failed deliveries an entry moves to `<stream>:dead`. Default 5
    /// (`CONSUMER_MAX_DELIVERIES`).
    public var maximumDeliveries: Int
    /// Approximate cap of the dead-letter stream. Default 100,000 (`DEAD_LETTER_MAXLEN`).
    public var deadLetterMaximumLength: Int
    /// How long one delivery may run before it is cancelled and counted as failed, so a handler that
    /// hangs does not hold a worker. Default 10 min (`CONSUMER_HANDLER_TIMEOUT_MS`).
    public var handlerTimeout: Duration
    /// About how many entries the stream keeps once every group has finished with them. Entries a
    /// group has not read, or read but not acknowledged, are never trimmed. Default 1,000,000
    /// (`STREAM_MAXLEN`).
    public var retainedLength: Int
    /// The replicas' heartbeats hash: a consumer whose replica no longer beats, and that holds no
    /// pending entries, is deleted from the group. Nil leaves departed consumers alone.
    public var heartbeats: String?

    public init(
        stream: String,
        group: String,
        consumer: String,
        batchSize: Int = 32,
        concurrency: Int = 4,
        blockTime: Duration = .seconds(2),
        visibilityTimeout: Duration = .seconds(60),
        maximumDeliveries: Int = 5,
        deadLetterMaximumLength: Int = 100_000,
        handlerTimeout: Duration = .seconds(600),
        retainedLength: Int = 1_000_000,
        heartbeats: String? = nil
    ) {
        self.stream = stream
        self.group = group
        self.consumer = consumer
        self.batchSize = max(1, batchSize)
        self.concurrency = max(1, concurrency)
        self.blockTime = blockTime
        self.visibilityTimeout = visibilityTimeout
        self.maximumDeliveries = max(1, maximumDeliveries)
        self.deadLetterMaximumLength = deadLetterMaximumLength
        self.handlerTimeout = handlerTimeout
        self.retainedLength = retainedLength
        self.heartbeats = heartbeats
    }

    /// How often idle entries are reclaimed and running ones kept fresh: a third of the visibility timeout.
    var claimInterval: Duration { visibilityTimeout / 3 }

    /// How often departed consumers are deleted and the stream trimmed: once per visibility timeout,
    /// at least every 5 s and at most every minute.
    var maintenanceInterval: Duration { min(max(visibilityTimeout, .seconds(5)), .seconds(60)) }

    var visibilityTimeoutMilliseconds: Int { visibilityTimeout.wholeMilliseconds }

    var blockMilliseconds: Int { blockTime.wholeMilliseconds }
}

extension Duration {
    /// The duration in whole milliseconds, as Redis commands and JSON fields take it.
    public var wholeMilliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
