import Logging
import Messaging
import NIOPosix
import Postgres
import Redis
import Store

/// The shared parts a service's handlers and routes work with: configuration, the thread pool, the
/// Redis and PostgreSQL pools, the store and the stream producer.
public struct ServiceContext: Sendable {
    public let configuration: ServiceConfiguration
    public let logger: Logger
    /// Where every blocking C call of this service runs.
    public let threadPool: NIOThreadPool
    public let redis: RedisClient
    public let database: PostgresClient
    public let store: JobStore
    public let producer: StreamProducer
    public let streams: StreamNames
    /// Running or draining: shared by the consumers, the heartbeat and `/readyz`.
    public let lifecycle: ReplicaLifecycle

    public init(configuration: ServiceConfiguration, logger: Logger, threadPool: NIOThreadPool) throws {
        self.configuration = configuration
        self.logger = logger
        self.threadPool = threadPool
        redis = RedisClient(
            configuration: try RedisConfiguration(url: configuration.redisURL),
            maximumConnections: configuration.redisConnections,
            threadPool: threadPool
        )
        database = PostgresClient(
            configuration: PostgresConfiguration(url: configuration.databaseURL, applicationName: configuration.instance),
            maximumConnections: configuration.databaseConnections,
            threadPool: threadPool
        )
        store = JobStore(database: database)
        streams = StreamNames(prefix: configuration.streamPrefix)
        producer = StreamProducer(
            redis: redis,
            producer: configuration.instance,
            maximumLength: configuration.streamMaximumLength,
            consumedStreams: Set(streams.subscriptions.map(\.stream))
        )
        lifecycle = ReplicaLifecycle(shutdownDeadline: configuration.shutdownDeadline)
    }

    /// Closes the Redis and PostgreSQL pools.
    public func close() async {
        await redis.shutDown()
        await database.shutDown()
    }

    /// Publishes the next stage's message for the job `received` was about, keeping its correlation.
    public func forward<Message: PipelineMessage>(_ message: Message, to stream: String, jobID: Int, after received: ReceivedMessage) async throws {
        try await producer.publish(message, to: stream, jobID: jobID, correlationID: received.envelope.correlationID)
    }

    /// A consumer of `subscription` that hands each message to `handler`, configured from the environment.
    public func consumer(of subscription: StreamNames.Subscription, handler: any MessageHandler) -> StreamConsumer {
        StreamConsumer(
            configuration: ConsumerConfiguration(
                stream: subscription.stream,
                group: subscription.group,
                consumer: configuration.instance,
                batchSize: configuration.consumerBatchSize,
                concurrency: configuration.consumerConcurrency,
                blockTime: configuration.consumerBlockTime,
                visibilityTimeout: configuration.consumerVisibilityTimeout,
                maximumDeliveries: configuration.consumerMaximumDeliveries,
                deadLetterMaximumLength: configuration.deadLetterMaximumLength,
                handlerTimeout: configuration.consumerHandlerTimeout,
                retainedLength: configuration.streamMaximumLength,
                heartbeats: streams.heartbeats
            ),
            redis: redis,
            threadPool: threadPool,
            handler: handler,
            lifecycle: lifecycle,
            isTransient: InfrastructureFailure.isTransient,
            logger: logger
        )
    }
}
