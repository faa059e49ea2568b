import Foundation
import Logging
import Messaging
import Redis
import Store

/// Publishes the progress of one job's work to the events stream, where the gateway picks it up
/// for live logs.
///
/// Progress is information, not state: failing to publish an event is logged and never fails the
/// work itself, which is committed to PostgreSQL either way. Events of an operation run are also kept
/// in PostgreSQL as the run's log, under the stream entry ID they were published as, so the log
/// outlives the stream's trimming and a live view resumes from the same ID whichever it reads.
///
/// Each step is a cancellation point: when the run is cancelled, the next step throws
/// `CancellationError` instead of starting.
///
/// ```swift
/// let progress = context.progress(jobID: 42, operationID: command.operationID, after: message)
/// let structure = try await progress.step("structure", "Structuring the description") {
///     try await structure(job)
/// } finished: { "\($0.sections.count) sections" }
/// ```
public struct ProgressReporter: Sendable {
    let producer: StreamProducer
    let store: JobStore
    let stream: String
    let service: ServiceName
    let correlationID: String?
    let logger: Logger
    public let jobID: Int
    public let operationID: String?

    public func report(_ step: String, _ phase: ProgressEvent.Phase, _ message: String) async {
        do {
            try await publish(step, phase, message)
        } catch {
            logger.warning("Could not record a progress event", metadata: ["job.id": "\(jobID)", "step": "\(step)", "error": "\(error)"])
        }
    }

    private func publish(_ step: String, _ phase: ProgressEvent.Phase, _ message: String) async throws {
        let event = ProgressEvent(jobID: jobID, operationID: operationID, service: service, step: step, phase: phase, message: message)
        let entryID = try await producer.publish(event, to: stream, jobID: jobID, correlationID: correlationID)
        if let runID = operationID.flatMap(UUID.init(uuidString:)), let position = StreamPosition(entryID) {
            try await store.appendOperationEvent(
                runID: runID, position: position, service: service.rawValue, step: step, phase: phase.rawValue, message: message
            )
        }
    }

    /// Runs `body`, the commit of the stage's result, as the `save` step. Unlike other steps its
    /// `finished` event is not optional: when it cannot be published the error is thrown, so the
    /// message is tried again, finds the result stored and reports it then
    /// (`reportSavedUnlessRecorded`). Each stage thus reports each result exactly once.
    public func save<Result: Sendable>(
        _ starting: String,
        _ body: () async throws -> Result,
        finished: (Result) -> String
    ) async throws -> Result {
        try Task.checkCancellation()
        await report("save", .started, starting)
        let result: Result
        do {
            result = try await body()
        } catch is CancellationError {
            await report("save", .cancelled, "Stopped: the run was cancelled")
            throw CancellationError()
        } catch {
            await report("save", .failed, "\(error)")
            throw error
        }
        try await publish("save", .finished, finished(result))
        return result
    }

    /// For a redelivered message whose result is already committed. The delivery that committed it
    /// may have stopped (a crash, a lost connection) before reporting `save` finished, so the event is
    /// published now — unless the events stream already has it, looking from the message's own entry
    /// on, since the work came after it. Either way the stage reports its result exactly once.
    ///
    /// - Throws: When Redis cannot be read or written: the caller's message is then tried again,
    ///   rather than acknowledged with its result unreported.
    public func reportSavedUnlessRecorded(after message: ReceivedMessage) async throws {
        let recorded = try await ProgressEventSearch.contains(
            jobID: jobID, service: service, step: "save", phase: .finished, since: message.entryID, in: stream, redis: producer.redis
        )
        if !recorded { try await publish("save", .finished, "Saved") }
    }

    /// Runs `body` between a `started` and a `finished` (or `failed`) event.
    public func step<Result: Sendable>(
        _ step: String,
        _ starting: String,
        _ body: () async throws -> Result,
        finished: (Result) -> String
    ) async throws -> Result {
        try Task.checkCancellation()
        await report(step, .started, starting)
        do {
            let result = try await body()
            await report(step, .finished, finished(result))
            return result
        } catch is CancellationError {
            await report(step, .cancelled, "Stopped: the run was cancelled")
            throw CancellationError()
        } catch {
            await report(step, .failed, "\(error)")
            throw error
        }
    }
}

extension ServiceContext {
    /// A reporter for work on `jobID` prompted by `message`, keeping its correlation ID.
    public func progress(jobID: Int, operationID: String?, after message: ReceivedMessage) -> ProgressReporter {
        progress(jobID: jobID, operationID: operationID, correlationID: message.envelope.correlationID)
    }

    /// A reporter for work on `jobID` that no message prompted (the gateway's own changes to a run).
    public func progress(jobID: Int, operationID: String?, correlationID: String?) -> ProgressReporter {
        ProgressReporter(
            producer: producer,
            store: store,
            stream: streams.events,
            service: configuration.service,
            correlationID: correlationID,
            logger: logger,
            jobID: jobID,
            operationID: operationID
        )
    }
}
