import Synchronization

/// Sends commands that many tasks issue one at a time in shared round trips.
///
/// Each caller waits for its own reply, as with a plain `send`. While a pipeline is on the wire, the
/// commands that arrive queue up and leave together in the next one — group commit, in effect: a lone
/// command goes out at once, and under load one round trip (and one trip to the thread pool) carries
/// dozens. The stream consumers' acknowledgements and the producers' `XADD`s go this way, which is
/// what lets one replica move tens of thousands of messages a second.
final class CommandCoalescer: Sendable {
    private typealias Waiter = CheckedContinuation<RedisReply, any Error>

    private struct State {
        var queue: [(command: [[UInt8]], waiter: Waiter)] = []
        var flushing = false
    }

    private let state = Mutex(State())
    private let maximumBatch: Int
    private let send: @Sendable ([[[UInt8]]]) async throws -> [RedisReply]

    /// - Parameter send: Sends a pipeline on one connection and returns its replies in order.
    init(maximumBatch: Int = 512, send: @escaping @Sendable ([[[UInt8]]]) async throws -> [RedisReply]) {
        self.maximumBatch = maximumBatch
        self.send = send
    }

    /// Queues `command` for the next round trip and returns its reply; an error reply is thrown.
    func submit(_ command: [[UInt8]]) async throws -> RedisReply {
        try await withCheckedThrowingContinuation { (waiter: Waiter) in
            let startFlushing = state.withLock { state in
                state.queue.append((command, waiter))
                guard !state.flushing else { return false }
                state.flushing = true
                return true
            }
            if startFlushing { Task { await self.flush() } }
        }
    }

    /// Sends what is queued, batch after batch, until the queue is empty.
    private func flush() async {
        while true {
            let batch = state.withLock { state in
                guard !state.queue.isEmpty else {
                    state.flushing = false
                    return [(command: [[UInt8]], waiter: Waiter)]()
                }
                let batch = Array(state.queue.prefix(maximumBatch))
                state.queue.removeFirst(batch.count)
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                let replies = try await send(batch.map(\.command))
                for (item, reply) in zip(batch, replies) {
                    if case .error(let message) = reply {
                        item.waiter.resume(throwing: RedisError.server(message))
                    } else {
                        item.waiter.resume(returning: reply)
                    }
                }
                for item in batch.dropFirst(replies.count) {
                    item.waiter.resume(throwing: RedisError.unexpectedReply("the pipeline returned \(replies.count) replies for \(batch.count) commands"))
                }
            } catch {
                for item in batch { item.waiter.resume(throwing: error) }
            }
        }
    }
}
