import Synchronization

/// Set when the task awaiting a transfer is cancelled; read by libcurl's progress callback.
///
/// The transfer runs on a thread-pool thread where task cancellation is invisible, so the
/// cancellation handler sets this flag and the callback aborts the transfer within about a second
/// (libcurl calls it at least that often), freeing the thread promptly on shutdown.
final class CancellationFlag: Sendable {
    private let cancelled = Atomic<Bool>(false)

    var isCancelled: Bool {
        cancelled.load(ordering: .relaxed)
    }

    func cancel() {
        cancelled.store(true, ordering: .relaxed)
    }
}
