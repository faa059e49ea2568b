import Foundation
import Hummingbird
import Logging
import Messaging
import Metrics
import NIOPosix
import Postgres
import Prometheus
import Redis
import ServiceLifecycle
import Store
import UnixSignals

/// What a service adds to the common runtime: the handler of the stream it consumes, extra routes,
/// extra long-running services.
public struct ServiceParts: Sendable {
    public var handler: (any MessageHandler)?
    public var routes: (@Sendable (Router<ServiceRequestContext>) -> Void)?
    public var services: [any Service]

    public init(
        handler: (any MessageHandler)? = nil,
        routes: (@Sendable (Router<ServiceRequestContext>) -> Void)? = nil,
        services: [any Service] = []
    ) {
        self.handler = handler
        self.routes = routes
        self.services = services
    }
}

/// Starts a Jobsmith service: reads its configuration, sets up logging and metrics, opens the thread
/// pool and the Redis and PostgreSQL pools, applies migrations, then runs the HTTP server, the
/// heartbeat and the stream consumer until SIGTERM or SIGINT.
///
/// Shutdown (SIGTERM or SIGINT) runs in reverse order: the replica starts draining — every consumer
/// stops reading, `/readyz` answers 503 and the heartbeat says `draining` — and what is being handled
/// may finish until `SHUTDOWN_DEADLINE_MS`, after which it is handed back to other replicas; then the
/// heartbeat removes itself, the HTTP server stops, the pools and threads close, and the process exits
/// with status 0. A second signal exits at once.
///
/// ```swift
/// @main struct ExtractionMain {
///     static func main() async {
///         await ServiceRunner.main(.extraction) { context in
///             ServiceParts(handler: try ExtractionHandler(context: context))
///         }
///     }
/// }
/// ```
public enum ServiceRunner {
    /// The release this source tree builds, shown per replica by the gateway's status unless
    /// `JOBSMITH_VERSION` names another.
    public static let version = "0.1.0"

    /// Runs the service and exits the process with status 1 on a start-up error (after logging it).
    public static func main(
        _ service: ServiceName,
        build: @escaping @Sendable (ServiceContext) async throws -> ServiceParts
    ) async {
        do {
            try await run(service, build: build)
        } catch {
            // Bootstrap may not have happened yet: write plainly so the reason is never lost.
            FileHandle.standardError.write(Data("\(service.rawValue): fatal: \(error)\n".utf8))
            exit(1)
        }
    }

    public static func run(
        _ service: ServiceName,
        build: @escaping @Sendable (ServiceContext) async throws -> ServiceParts
    ) async throws {
        let configuration = try ServiceConfiguration(service: service)
        let format = configuration.logFormat
        let level = configuration.logLevel
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = format == .json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: service.rawValue)
        logger[metadataKey: "service.instance"] = "\(configuration.instance)"
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))

        // Each stream reader spends most of its life in a blocking XREADGROUP on a pool thread; one
        // extra thread per reader keeps `JOBSMITH_THREADS` threads free for the work itself.
        let readers = StreamNames(prefix: configuration.streamPrefix).subscriptions(of: service).count
        let threadPool = NIOThreadPool(numberOfThreads: configuration.threads + readers)
        threadPool.start()
        let context = try ServiceContext(configuration: configuration, logger: logger, threadPool: threadPool)
        do {
            try await run(context, registry: registry, build: build)
        } catch {
            await context.close()
            throw error
        }
        await context.close()
        try await threadPool.shutdownGracefully()
        logger.info("Service stopped")
    }

    private static func run(
        _ context: ServiceContext,
        registry: PrometheusCollectorRegistry,
        build: @escaping @Sendable (ServiceContext) async throws -> ServiceParts
    ) async throws {
        let configuration = context.configuration
        let service = configuration.service
        let logger = context.logger
        try await migrate(context)
        let parts = try await build(context)

        let router = Router(context: ServiceRequestContext.self)
        OperationalRoutes.add(to: router, context: context, registry: registry)
        parts.routes?(router)
        let application = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.httpHost, port: configuration.httpPort), serverName: service.rawValue),
            logger: logger
        )
        // One consumer per stream the service reads; the handler tells messages apart by type, and
        // operation commands keep their runs in PostgreSQL up to date.
        let handler: (any MessageHandler)? = switch configuration.handlerMode {
        case .real: parts.handler
        case .noop: parts.handler.map { _ in ForwardingHandler(context: context) }
        }
        let consumers: [StreamConsumer] = handler.map { handler in
            let tracked = OperationTracking(wrapping: handler, context: context)
            return context.streams.subscriptions(of: service).map { context.consumer(of: $0, handler: tracked) }
        } ?? []
        let startedAt = Date()
        let pid = ProcessInfo.processInfo.processIdentifier
        let host = ProcessInfo.processInfo.hostName
        // A deployment stamps its own release (an image tag, a commit); a plain build reports the constant.
        let version = configuration.environment.string("JOBSMITH_VERSION", default: ServiceRunner.version)
        let heartbeat = HeartbeatPublisher(
            key: context.streams.heartbeats,
            interval: configuration.heartbeatInterval,
            redis: context.redis,
            logger: logger
        ) { state in
            ReplicaHeartbeat(
                service: service.rawValue,
                instance: configuration.instance,
                host: host,
                pid: pid,
                startedAt: startedAt,
                lastSeen: Date(),
                intervalMilliseconds: configuration.heartbeatInterval.wholeMilliseconds,
                state: context.lifecycle.isDraining ? "draining" : state,
                httpPort: configuration.httpPort,
                consumers: consumers.map(\.statistics.snapshot),
                version: version
            )
        }
        // Started first, stopped last: the HTTP server, then the heartbeat, then the work.
        var services: [any Service] = [application, heartbeat]
        services += parts.services
        services += consumers as [any Service]
        var groupConfiguration = ServiceGroupConfiguration(
            services: services.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        // A backstop past the drain deadline: whatever still runs then is cancelled.
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownDeadline + .seconds(10)
        let group = ServiceGroup(configuration: groupConfiguration)
        try await ReplicaIdentity.claim(configuration.instance, context: context)
        logger.info(
            "Service starting",
            metadata: ["http.port": "\(configuration.httpPort)", "threads": "\(configuration.threads)"]
        )
        let impatience = Task { await exitOnSecondSignal(logger: logger) }
        defer { impatience.cancel() }
        try await group.run()
    }

    /// The service group handles the first SIGTERM or SIGINT (draining); an operator who sends another
    /// wants the process gone now, without waiting for the drain deadline.
    private static func exitOnSecondSignal(logger: Logger) async {
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        var received = 0
        for await signal in signals {
            received += 1
            guard received > 1 else { continue }
            logger.warning("Second shutdown signal: exiting without finishing the drain", metadata: ["signal": "\(signal)"])
            exit(128 + signal.rawValue)
        }
    }

    /// Applies migrations, waiting for PostgreSQL while it starts (up to about 30 s).
    private static func migrate(_ context: ServiceContext) async throws {
        var attempt = 0
        while true {
            attempt += 1
            do {
                let applied = try await context.database.withConnection { try Migrations.migrator.migrate(on: $0) }
                if !applied.isEmpty {
                    context.logger.info("Applied migrations", metadata: ["db.migrations": "\(applied)"])
                }
                return
            } catch let error as PostgresError where error.kind == .connection && attempt < 30 {
                context.logger.notice("PostgreSQL is not reachable yet; retrying", metadata: ["error": "\(error)"])
                try await Task.sleep(for: .seconds(1))
            }
        }
    }
}
