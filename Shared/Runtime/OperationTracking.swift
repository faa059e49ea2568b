import Foundation
import Logging
import Messaging
import Postgres
import Redis
import Store

/// Keeps operation runs in PostgreSQL in step with the work a service does for them: wraps a service's
/// handler, and for each `operation.requested` command
///
/// 1. starts the run's step, or skips the command when the run was cancelled, retried since (an
///    older attempt) or deleted, or when the step already succeeded (a redelivery);
/// 2. runs the handler while watching for a cancel request, and cancels the handler's task when one
///    comes (progress steps are the cancellation points);
/// 3. records how the step ended — which may end the run, or queue its next stage — and publishes the
///    commands of the steps that became due, then the run's final event when it ended.
///
/// A handler failure ends the step as failed (the user retries it from the API): an operation is not
/// retried behind the user's back. Only a failure to reach PostgreSQL or Redis, which says nothing
/// about the work, is thrown so that the message is delivered again.
public struct OperationTracking: MessageHandler {
    let handler: any MessageHandler
    let context: ServiceContext
    /// How often a running step checks whether its run was cancelled.
    let cancelCheckInterval: Duration

    public init(wrapping handler: any MessageHandler, context: ServiceContext, cancelCheckInterval: Duration = .seconds(1)) {
        self.handler = handler
        self.context = context
        self.cancelCheckInterval = cancelCheckInterval
    }

    public func handle(_ message: ReceivedMessage) async throws {
        guard message.envelope.type == OperationCommand.type else { return try await handler.handle(message) }
        let command = try message.envelope.decode(OperationCommand.self)
        // Commands sent without a run (by tools or older gateways) are simply handled.
        guard let runID = UUID(uuidString: command.operationID) else { return try await handler.handle(message) }
        let store = context.store
        let step = command.operation.rawValue
        let progress = context.progress(jobID: command.jobID, operationID: command.operationID, after: message)

        switch try await store.startStep(runID: runID, operation: step, attempt: command.attempt) {
        case .obsolete:
            context.logger.info("Skipping a command of an earlier attempt or a deleted run", metadata: ["operation.id": "\(runID)"])
            return
        case .cancelled:
            await progress.report(step, .cancelled, "Not started: the run was cancelled")
            return
        case .alreadyDone(let due):
            try await context.publishCommands(for: due, correlationID: message.envelope.correlationID)
            return
        case .proceed:
            break
        }

        await progress.report(step, .started, "Started \(step)")
        let end: JobStore.StepEnd
        do {
            end = try await runWatchingForCancel(runID: runID) { try await handler.handle(message) }
        } catch let error where InfrastructureFailure.isTransient(error) {
            throw error
        } catch is CancellationError {
            // The service is shutting down: leave the step running; the redelivered message resumes it.
            throw CancellationError()
        } catch {
            end = .failed("\(error)")
        }
        switch end {
        case .succeeded: await progress.report(step, .finished, "Finished \(step)")
        case .failed(let reason): await progress.report(step, .failed, reason)
        case .cancelled: await progress.report(step, .cancelled, "Cancelled while running")
        }
        guard let outcome = try await store.finishStep(runID: runID, operation: step, attempt: command.attempt, end) else { return }
        try await context.publishCommands(for: outcome.due, correlationID: message.envelope.correlationID)
        if outcome.endedRun {
            await progress.report("run", Self.phase(of: outcome.runStatus), Self.summary(of: outcome))
        }
    }

    /// Runs `work`; returns `.cancelled` as soon as the run is cancelled (cancelling `work`), else how
    /// the work ended.
    private func runWatchingForCancel(runID: UUID, _ work: @escaping @Sendable () async throws -> Void) async throws -> JobStore.StepEnd {
        try await withThrowingTaskGroup(of: JobStore.StepEnd?.self) { group in
            group.addTask {
                do {
                    try await work()
                    return .succeeded
                } catch is CancellationError where !Task.isCancelled {
                    // The work gave up by itself (a cancellation point saw the run cancelled).
                    return .cancelled
                }
            }
            group.addTask {
                while true {
                    try await Task.sleep(for: cancelCheckInterval)
                    if try await context.store.isCancelRequested(runID: runID) { return .cancelled }
                }
            }
            defer { group.cancelAll() }
            while let first = try await group.next() {
                if let first {
                    if first == .cancelled {
                        // Let the work reach its next cancellation point (or finish) before the
                        // step is recorded, so nothing of it is still writing afterwards.
                        group.cancelAll()
                        while let rest = try? await group.next() {
                            if rest == .succeeded { return .succeeded }
                        }
                    }
                    return first
                }
            }
            return .cancelled
        }
    }

    static func phase(of status: OperationStatus) -> ProgressEvent.Phase {
        switch status {
        case .succeeded: .finished
        case .cancelled: .cancelled
        default: .failed
        }
    }

    static func summary(of outcome: JobStore.StepOutcome) -> String {
        switch outcome.runStatus {
        case .succeeded: "Run succeeded"
        case .cancelled: "Run cancelled"
        default: "Run failed: \(outcome.error ?? "unknown error")"
        }
    }
}

extension ServiceContext {
    /// Publishes the command of each step that became due (a new run, a retry, or the next stage of
    /// `all-ops`) to the commands stream of the service that runs it, one round trip per stream.
    ///
    /// - Parameter correlationID: Carried by every command; nil uses each step's run ID.
    public func publishCommands(for due: [JobStore.DueStep], correlationID: String? = nil) async throws {
        var byStream: [String: [Envelope]] = [:]
        for step in due {
            guard let operation = JobOperation(rawValue: step.operation) else { continue }
            let runID = step.runID.uuidString.lowercased()
            let command = OperationCommand(operationID: runID, jobID: step.jobID, operation: operation, force: step.force, attempt: step.attempt)
            let envelope = try Envelope(command, producer: configuration.instance, jobID: step.jobID, correlationID: correlationID ?? runID)
            byStream[streams.commands(for: operation.service), default: []].append(envelope)
        }
        for (stream, envelopes) in byStream {
            try await producer.publish(envelopes, to: stream)
        }
    }
}
