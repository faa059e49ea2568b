import Synchronization

/// How one run of a handler ended, as the consumer sees it.
enum HandlerOutcome: Sendable {
    case finished
    case failed(any Error)
    /// Still running when its per-message deadline passed; it was cancelled and left behind.
    case timedOut
    /// The consumer stopped waiting (its shutdown deadline passed); the handler was cancelled.
    case abandoned
}

/// One run of a handler: the first outcome to arrive — the handler's own, its deadline passing, or the
/// consumer giving up — settles it; later ones are ignored.
///
/// The deadline is enforced by the consumer's watchdog (`expire(at:)`), one timer for all runs: a
/// timer per message would cost a system call and a thread wake-up each.
final class HandlerRun: Sendable {
    let deadline: ContinuousClock.Instant
    private struct State {
        var outcome: HandlerOutcome?
        var waiter: CheckedContinuation<HandlerOutcome, Never>?
    }

    private let state = Mutex(State())

    init(deadline: ContinuousClock.Instant) {
        self.deadline = deadline
    }

    /// Runs `work` in a task of its own and waits for it to settle this run.
    ///
    /// Cancellation is cooperative: a handler stuck in a blocking call may go on for a while after it
    /// was cancelled. Waiting in a separate task frees the consumer's slot regardless, so a hanging
    /// handler cannot hold a worker forever (and a stop does not wait for it).
    func run(_ work: @escaping @Sendable () async throws -> Void) async -> HandlerOutcome {
        let task = Task {
            do {
                try await work()
                self.settle(.finished)
            } catch {
                self.settle(.failed(error))
            }
        }
        let outcome = await withTaskCancellationHandler {
            await value
        } onCancel: {
            settle(.abandoned)
        }
        switch outcome {
        case .finished, .failed: break
        case .timedOut, .abandoned: task.cancel()
        }
        return outcome
    }

    /// Settles the run as timed out when its deadline is past `now`.
    func expire(at now: ContinuousClock.Instant) {
        if now >= deadline { settle(.timedOut) }
    }

    func settle(_ outcome: HandlerOutcome) {
        let waiter = state.withLock { state -> CheckedContinuation<HandlerOutcome, Never>? in
            guard state.outcome == nil else { return nil }
            state.outcome = outcome
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: outcome)
    }

    private var value: HandlerOutcome {
        get async {
            await withCheckedContinuation { continuation in
                let settled = state.withLock { state -> HandlerOutcome? in
                    if let outcome = state.outcome { return outcome }
                    state.waiter = continuation
                    return nil
                }
                if let settled { continuation.resume(returning: settled) }
            }
        }
    }
}
