import Store
import Synchronization

/// Lets requests for the same job-list page that arrive while it is being read share that one read:
/// one statement and one encoding for all of them, instead of one each.
///
/// Only concurrent requests share: a request arriving after the read finished reads again, so
/// nothing is kept. A request that joins a read sees the jobs as they were when that read started,
/// a few milliseconds before the request. So that this never hides a client's own write, every write
/// through this gateway starts a new generation, and a read of an older generation is not joined.
///
/// The job list is the API's busiest read (every open browser tab polls the same first page), and
/// counting the matching jobs for its total is most of its cost in PostgreSQL.
final class JobListCoalescer: Sendable {
    private struct Key: Hashable {
        var query: JobQuery
        var generation: Int
    }

    private struct State {
        var generation = 0
        var reads: [Key: Task<[UInt8], any Error>] = [:]
    }

    private let state = Mutex(State())

    /// The page's response body: from the read of the same query already running, or from `read`.
    func body(for query: JobQuery, read: @escaping @Sendable () async throws -> [UInt8]) async throws -> [UInt8] {
        let task = state.withLock { state in
            let key = Key(query: query, generation: state.generation)
            if let running = state.reads[key] { return running }
            // The task cannot finish before it is registered: its last step waits for this lock.
            let task = Task {
                defer { self.state.withLock { _ = $0.reads.removeValue(forKey: key) } }
                return try await read()
            }
            state.reads[key] = task
            return task
        }
        return try await task.value
    }

    /// Called after every write that may change the list has committed.
    func invalidate() {
        state.withLock { $0.generation += 1 }
    }
}
