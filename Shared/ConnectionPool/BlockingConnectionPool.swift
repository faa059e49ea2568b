import NIOPosix
import Synchronization

/// A bounded pool of blocking connections whose work runs on the service's own thread pool.
///
/// Borrowers never hold a thread while they wait for a connection: waiting is a suspended task. Once a
/// connection is free, the borrower's closure — which may block in C — runs on the `NIOThreadPool`,
/// never on Swift's cooperative pool. Check-out/check-in (rather than a fixed connection per thread)
/// keeps pool threads from queueing behind one busy connection.
///
/// ```swift
/// let pool = BlockingConnectionPool(maximumConnections: 4, threadPool: threads) {
///     try PostgresConnection(configuration: configuration)
/// }
/// let count = try await pool.withConnection { try $0.query("SELECT count(*) FROM jobs").rows.count }
/// ```
public final class BlockingConnectionPool<Connection: PoolableConnection>: Sendable {
    private typealias Waiter = CheckedContinuation<PoolLease<Connection>, any Error>
    private typealias State = PoolState<Connection, Waiter>

    private let state: Mutex<State>
    private let nextWaiterID = Atomic<Int>(0)
    private let threadPool: NIOThreadPool
    private let openConnection: @Sendable () throws -> Connection

    /// - Parameters:
    ///   - maximumConnections: the most connections open at once.
    ///   - threadPool: where connections are opened and used.
    ///   - openConnection: opens one connection; called on the thread pool.
    public init(
        maximumConnections: Int,
        threadPool: NIOThreadPool,
        openConnection: @escaping @Sendable () throws -> Connection
    ) {
        self.state = Mutex(State(maximumConnections: maximumConnections))
        self.threadPool = threadPool
        self.openConnection = openConnection
    }

    /// Borrows a connection and runs `body` with it on the thread pool.
    ///
    /// - Throws: `ConnectionPoolError.shutDown` after `shutDown()`, `CancellationError` when the task is
    ///   cancelled while waiting, or whatever opening the connection or `body` throws.
    public func withConnection<Result: Sendable>(
        _ body: @escaping @Sendable (Connection) throws -> Result
    ) async throws -> Result {
        let lease = try await borrow()
        let openConnection = self.openConnection
        let outcome: (result: Swift.Result<Result, any Error>, connection: Connection?)
        do {
            outcome = try await threadPool.runIfActive { () -> (Swift.Result<Result, any Error>, Connection?) in
                let connection: Connection
                switch lease {
                case .reuse(let existing): connection = existing
                case .open:
                    do { connection = try openConnection() } catch { return (.failure(error), nil) }
                }
                let result = Swift.Result { try body(connection) }
                // Closing talks to the server, so a broken connection is closed here, on the pool.
                if !connection.isReusable {
                    connection.close()
                    return (result, nil)
                }
                return (result, connection)
            }
        } catch {
            // The thread pool refused the work (it is shutting down): give the lease back.
            switch lease {
            case .reuse(let connection): perform(state.withLock { $0.release(connection, reusable: false) }, closing: connection)
            case .open: perform(state.withLock { $0.openFailed() })
            }
            throw error
        }
        if let connection = outcome.connection {
            let (action, isShutDown) = state.withLock { state in (state.release(connection, reusable: true), state.isShutDown) }
            perform(action, closing: isShutDown ? connection : nil)
        } else {
            perform(state.withLock { $0.openFailed() })
        }
        return try outcome.result.get()
    }

    /// Closes idle connections (on the thread pool) and fails waiting borrowers; connections in use
    /// are closed when they come back.
    public func shutDown() async {
        let (idle, waiters) = state.withLock { $0.shutDown() }
        for waiter in waiters { waiter.resume(throwing: ConnectionPoolError.shutDown) }
        await close(idle)
    }

    /// Connections open right now, idle or in use (for status and tests).
    public var openConnections: Int { state.withLock { $0.openCount } }

    private func borrow() async throws -> State.Lease {
        let id = nextWaiterID.add(1, ordering: .relaxed).newValue
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: Waiter) in
                let immediate: Swift.Result<State.Lease?, ConnectionPoolError> = state.withLock { state -> Swift.Result<State.Lease?, ConnectionPoolError> in
                    if state.isShutDown { return .failure(.shutDown) }
                    if Task.isCancelled { return .failure(.cancelled) }
                    return .success(state.borrow(id: id, waiter: continuation))
                }
                switch immediate {
                case .failure(.cancelled): continuation.resume(throwing: CancellationError())
                case .failure(let error): continuation.resume(throwing: error)
                case .success(let lease?): continuation.resume(returning: lease)
                case .success(nil): break  // queued; resumed by a release
                }
            }
        } onCancel: {
            if let waiter = state.withLock({ $0.cancelWaiting(id: id) }) {
                waiter.resume(throwing: CancellationError())
            }
        }
    }

    /// Closes connections on the thread pool, or right here when the pool no longer runs (at exit).
    private func close(_ connections: [Connection]) async {
        guard !connections.isEmpty else { return }
        do {
            try await threadPool.runIfActive { connections.forEach { $0.close() } }
        } catch {
            connections.forEach { $0.close() }
        }
    }

    private func perform(_ action: State.Action, closing connection: Connection?) {
        perform(action)
        guard let connection else { return }
        // A connection returned after shutdown: close it off the caller's thread.
        let threadPool = self.threadPool
        threadPool.submit { _ in connection.close() }
    }

    private func perform(_ action: State.Action) {
        switch action {
        case .none: break
        case .resume(let waiter, let lease): waiter.resume(returning: lease)
        }
    }
}

/// Why the pool could not lend a connection.
public enum ConnectionPoolError: Error, CustomStringConvertible, Equatable {
    case shutDown
    case cancelled

    public var description: String {
        switch self {
        case .shutDown: "the connection pool is shut down"
        case .cancelled: "the request for a connection was cancelled"
        }
    }
}
