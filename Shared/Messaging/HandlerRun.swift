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

/// Runs `work` in a task of its own and waits for it, at most `timeout`.
///
/// Cancellation is cooperative: a handler stuck in a blocking call may go on for a while after it
/// was cancelled. Waiting in a separate task frees the consumer's slot regardless, so a hanging
/// handler cannot hold a worker forever (and a stop does not wait for it).
func runHandler(timeout: Duration, _ work: @escaping @Sendable () async throws -> Void) async -> HandlerOutcome {
    let outcome = FirstOutcome()
    let task = Task {
        do {
            try await work()
            outcome.settle(.finished)
        } catch {
            outcome.settle(.failed(error))
        }
    }
    let timer = Task {
        try await Task.sleep(for: timeout)
        outcome.settle(.timedOut)
    }
    let result = await withTaskCancellationHandler {
        await outcome.value
    } onCancel: {
        outcome.settle(.abandoned)
    }
    timer.cancel()
    if case .finished = result {} else if case .failed = result {} else { task.cancel() }
    return result
}

/// The first of several racing outcomes; later ones are ignored.
private final class FirstOutcome: Sendable {
    private struct State {
        var outcome: HandlerOutcome?
        var waiter: CheckedContinuation<HandlerOutcome, Never>?
    }

    private let state = Mutex(State())

    func settle(_ outcome: HandlerOutcome) {
        let waiter = state.withLock { state -> CheckedContinuation<HandlerOutcome, Never>? in
            guard state.outcome == nil else { return nil }
            state.outcome = outcome
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: outcome)
    }

    var value: HandlerOutcome {
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
