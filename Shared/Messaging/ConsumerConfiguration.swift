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
    /// Approximate cap of the dead-letter stream. Default 100,000.
    public var deadLetterMaximumLength: Int

    public init(
        stream: String,
        group: String,
        consumer: String,
        batchSize: Int = 32,
        concurrency: Int = 4,
        blockTime: Duration = .seconds(2),
        visibilityTimeout: Duration = .seconds(60),
        maximumDeliveries: Int = 5,
        deadLetterMaximumLength: Int = 100_000
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
    }

    /// How often idle entries are reclaimed and running ones kept fresh: a third of the visibility timeout.
    var claimInterval: Duration { visibilityTimeout / 3 }

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
