import Logging
import Messaging

/// Publishes the progress of one job's work to the events stream, where the gateway picks it up
/// for live logs.
///
/// Progress is information, not state: failing to publish an event is logged and never fails the
/// work itself, which is committed to PostgreSQL either way.
///
/// ```swift
/// let progress = context.progress(jobID: 42, operationID: command.operationID, after: message)
/// let structure = try await progress.step("structure", "Structuring the description") {
///     try await structure(job)
/// } finished: { "\($0.sections.count) sections" }
/// ```
public struct ProgressReporter: Sendable {
    let producer: StreamProducer
    let stream: String
    let service: ServiceName
    let correlationID: String?
    let logger: Logger
    public let jobID: Int
    public let operationID: String?

    public func report(_ step: String, _ phase: ProgressEvent.Phase, _ message: String) async {
        let event = ProgressEvent(jobID: jobID, operationID: operationID, service: service, step: step, phase: phase, message: message)
        do {
            try await producer.publish(event, to: stream, jobID: jobID, correlationID: correlationID)
        } catch {
            logger.warning("Could not publish a progress event", metadata: ["job.id": "\(jobID)", "step": "\(step)", "error": "\(error)"])
        }
    }

    /// Runs `body` between a `started` and a `finished` (or `failed`) event.
    public func step<Result: Sendable>(
        _ step: String,
        _ starting: String,
        _ body: () async throws -> Result,
        finished: (Result) -> String
    ) async throws -> Result {
        await report(step, .started, starting)
        do {
            let result = try await body()
            await report(step, .finished, finished(result))
            return result
        } catch {
            await report(step, .failed, "\(error)")
            throw error
        }
    }
}

extension ServiceContext {
    /// A reporter for work on `jobID` prompted by `message`, keeping its correlation ID.
    public func progress(jobID: Int, operationID: String?, after message: ReceivedMessage) -> ProgressReporter {
        ProgressReporter(
            producer: producer,
            stream: streams.events,
            service: configuration.service,
            correlationID: message.envelope.correlationID,
            logger: logger,
            jobID: jobID,
            operationID: operationID
        )
    }
}
