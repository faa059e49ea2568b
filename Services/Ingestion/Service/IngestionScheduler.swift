import Foundation
import Logging
import Messaging
import ServiceLifecycle
import Store

/// Starts scheduled runs: every tick it claims the sources whose run is due and sends a run command
/// for each. Claiming moves the source's next run forward in the same statement, so with several
/// ingestion replicas each due run is sent once.
public struct IngestionScheduler: Service {
    let store: JobStore
    let producer: StreamProducer
    let streams: StreamNames
    let tick: Duration
    let logger: Logger

    public init(store: JobStore, producer: StreamProducer, streams: StreamNames, tick: Duration, logger: Logger) {
        self.store = store
        self.producer = producer
        self.streams = streams
        self.tick = tick
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await runDueSources()
            } catch {
                logger.warning("Scheduling failed; trying again next tick", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: tick) }
        }
    }

    /// Sends a run command for each due source; returns their names.
    @discardableResult
    public func runDueSources() async throws -> [String] {
        let due = try await store.claimDueSources()
        for source in due {
            let runID = UUID()
            try await store.queueRun(id: runID, source: source, trigger: "schedule")
            try await producer.publish(
                IngestRunCommand(runID: runID.uuidString.lowercased(), source: source, trigger: "schedule"),
                to: streams.ingestionCommands,
                correlationID: runID.uuidString.lowercased()
            )
            logger.info("Scheduled run sent", metadata: ["ingestion.source": "\(source)"])
        }
        return due
    }
}
