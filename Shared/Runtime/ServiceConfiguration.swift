import Foundation
import Logging
import Messaging

/// Everything a service reads from its environment, with the defaults that apply when a variable is
/// not set. `docs/operations.md` lists the same variables for operators.
public struct ServiceConfiguration: Sendable {
    public var service: ServiceName
    /// `JOBSMITH_INSTANCE`: the replica's name, used as its consumer name in Redis. Set it to keep a
    /// replica's identity across restarts (it then finds its own unacknowledged entries at once).
    /// Default `<service>-<hostname>-<pid>`, unique on a host; in a container, where the service is
    /// process 1, `<service>-<hostname>`, stable across restarts of the container.
    public var instance: String
    /// `REDIS_URL`, default `redis://127.0.0.1:6379/0`.
    public var redisURL: String
    /// `DATABASE_URL`, default `postgresql://postgres@127.0.0.1:5432/jobsmith`.
    public var databaseURL: String
    /// `JOBSMITH_STREAM_PREFIX`, default `jobsmith`.
    public var streamPrefix: String
    /// `JOBSMITH_THREADS`, default 4: the thread pool where every blocking C call runs.
    public var threads: Int
    /// `DATABASE_POOL_SIZE`, default = threads.
    public var databaseConnections: Int
    /// `REDIS_POOL_SIZE`, default = threads.
    public var redisConnections: Int
    /// `HTTP_HOST`, default `127.0.0.1`.
    public var httpHost: String
    /// `HTTP_PORT`, default 8080 for the gateway, 8081–8084 for the others.
    public var httpPort: Int
    /// `LOG_LEVEL`, default `info`.
    public var logLevel: Logger.Level
    /// `LOG_FORMAT`: `text` (default) or `json`, one object per line.
    public var logFormat: LogFormat
    /// `HEARTBEAT_INTERVAL_MS`, default 2000.
    public var heartbeatInterval: Duration
    /// `STREAM_MAXLEN`, default 1,000,000: about how many entries a stream keeps. A stream that groups
    /// consume is trimmed only past entries every group has acknowledged.
    public var streamMaximumLength: Int
    /// `DEAD_LETTER_MAXLEN`, default 100,000: approximate cap of each dead-letter stream.
    public var deadLetterMaximumLength: Int
    /// `SHUTDOWN_DEADLINE_MS`, default 20000: after SIGTERM, how long messages being handled may run
    /// before they are handed back to other replicas. Keep it below the orchestrator's stop timeout
    /// (Compose's `stop_grace_period` is 30 s here).
    public var shutdownDeadline: Duration
    /// `CONSUMER_HANDLER_TIMEOUT_MS`, default 600000: one delivery's deadline.
    public var consumerHandlerTimeout: Duration
    /// `JOBSMITH_HANDLER`: `real` (default), or `noop` to only consume, forward to the next stream and
    /// acknowledge — for measuring the messaging alone (`scripts/bench stage`).
    public var handlerMode: HandlerMode
    /// `CONSUMER_BATCH_SIZE` (32), `CONSUMER_CONCURRENCY` (= threads: more in hand at once suits
    /// handlers with little CPU work, but made ingestion's runs contend in PostgreSQL), `CONSUMER_BLOCK_MS` (2000),
    /// `CONSUMER_VISIBILITY_TIMEOUT_MS` (60000), `CONSUMER_MAX_DELIVERIES` (5).
    public var consumerBatchSize: Int
    public var consumerConcurrency: Int
    public var consumerBlockTime: Duration
    public var consumerVisibilityTimeout: Duration
    public var consumerMaximumDeliveries: Int
    /// The variables no shared setting covers (`INGESTION_SOURCES_FILE`, `MASTER_CV_PATH`, …).
    public var environment: EnvironmentReader

    public enum HandlerMode: String, Sendable {
        case real
        case noop
    }

    public enum LogFormat: String, Sendable {
        case text
        case json
    }

    public static func defaultPort(of service: ServiceName) -> Int {
        switch service {
        case .gateway: 8080
        case .ingestion: 8081
        case .extraction: 8082
        case .research: 8083
        case .cvGenerator: 8084
        }
    }

    /// Reads the configuration of `service`.
    ///
    /// - Throws: `ConfigurationError` naming the first variable with an unusable value.
    public init(service: ServiceName, environment: EnvironmentReader = EnvironmentReader()) throws {
        self.service = service
        self.environment = environment
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "local"
        let pid = ProcessInfo.processInfo.processIdentifier
        instance = environment.string("JOBSMITH_INSTANCE", default: pid == 1 ? "\(service.rawValue)-\(host)" : "\(service.rawValue)-\(host)-\(pid)")
        redisURL = environment.string("REDIS_URL", default: "redis://127.0.0.1:6379/0")
        databaseURL = environment.string("DATABASE_URL", default: "postgresql://postgres@127.0.0.1:5432/jobsmith")
        streamPrefix = environment.string("JOBSMITH_STREAM_PREFIX", default: "jobsmith")
        threads = try environment.int("JOBSMITH_THREADS", default: 4, range: 1...256)
        databaseConnections = try environment.int("DATABASE_POOL_SIZE", default: threads, range: 1...256)
        redisConnections = try environment.int("REDIS_POOL_SIZE", default: threads, range: 1...256)
        httpHost = environment.string("HTTP_HOST", default: "127.0.0.1")
        httpPort = try environment.int("HTTP_PORT", default: Self.defaultPort(of: service), range: 0...65535)
        let level = environment.string("LOG_LEVEL", default: "info").lowercased()
        guard let logLevel = Logger.Level(rawValue: level) else {
            throw ConfigurationError(variable: "LOG_LEVEL", problem: "'\(level)' is not one of trace, debug, info, notice, warning, error, critical")
        }
        self.logLevel = logLevel
        let format = environment.string("LOG_FORMAT", default: "text").lowercased()
        guard let logFormat = LogFormat(rawValue: format) else {
            throw ConfigurationError(variable: "LOG_FORMAT", problem: "'\(format)' is not text or json")
        }
        self.logFormat = logFormat
        heartbeatInterval = try environment.milliseconds("HEARTBEAT_INTERVAL_MS", default: .seconds(2), range: 100...600_000)
        streamMaximumLength = try environment.int("STREAM_MAXLEN", default: 1_000_000, range: 1000...Int.max)
        deadLetterMaximumLength = try environment.int("DEAD_LETTER_MAXLEN", default: 100_000, range: 100...Int.max)
        shutdownDeadline = try environment.milliseconds("SHUTDOWN_DEADLINE_MS", default: .seconds(20), range: 0...3_600_000)
        consumerHandlerTimeout = try environment.milliseconds("CONSUMER_HANDLER_TIMEOUT_MS", default: .seconds(600), range: 100...86_400_000)
        let mode = environment.string("JOBSMITH_HANDLER", default: "real").lowercased()
        guard let handlerMode = HandlerMode(rawValue: mode) else {
            throw ConfigurationError(variable: "JOBSMITH_HANDLER", problem: "'\(mode)' is not real or noop")
        }
        self.handlerMode = handlerMode
        consumerBatchSize = try environment.int("CONSUMER_BATCH_SIZE", default: 32, range: 1...10_000)
        consumerConcurrency = try environment.int("CONSUMER_CONCURRENCY", default: threads, range: 1...4096)
        consumerBlockTime = try environment.milliseconds("CONSUMER_BLOCK_MS", default: .seconds(2), range: 10...60_000)
        consumerVisibilityTimeout = try environment.milliseconds("CONSUMER_VISIBILITY_TIMEOUT_MS", default: .seconds(60), range: 100...86_400_000)
        consumerMaximumDeliveries = try environment.int("CONSUMER_MAX_DELIVERIES", default: 5, range: 1...1000)
    }
}
