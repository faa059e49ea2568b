import NIOCore

/// What a borrower gets from a pool.
public enum PoolLease<Connection> {
    /// An idle connection, ready to use.
    case reuse(Connection)
    /// A free slot: the borrower opens a new connection (its slot is already counted).
    case open
}

/// The bookkeeping of a bounded pool, free of I/O so that it can be tested on its own.
///
/// Every event (a borrower arrives, a connection comes back, a connection could not be opened) returns
/// the action the pool must carry out. `Waiter` is whatever the pool uses to resume a suspended
/// borrower; the state never calls it.
public struct PoolState<Connection, Waiter> {
    public typealias Lease = PoolLease<Connection>

    /// What the pool does after an event.
    public enum Action {
        case none
        case resume(Waiter, Lease)
    }

    public let maximumConnections: Int
    public private(set) var idle: [Connection] = []
    /// Connections handed out or being opened, plus the idle ones.
    public private(set) var openCount = 0
    public private(set) var isShutDown = false
    private var waiters = CircularBuffer<(id: Int, waiter: Waiter)>()

    public init(maximumConnections: Int) {
        precondition(maximumConnections > 0, "a pool needs at least one connection")
        self.maximumConnections = maximumConnections
    }

    public var waitingCount: Int { waiters.count }

    /// A borrower arrives: it gets a lease at once, or `nil` when it must wait (it is then queued).
    public mutating func borrow(id: Int, waiter: Waiter) -> Lease? {
        if let connection = idle.popLast() { return .reuse(connection) }
        if openCount < maximumConnections {
            openCount += 1
            return .open
        }
        waiters.append((id, waiter))
        return nil
    }

    /// A waiting borrower gave up (its task was cancelled); returns its waiter if it was still queued.
    public mutating func cancelWaiting(id: Int) -> Waiter? {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
        return waiters.remove(at: index).waiter
    }

    /// A borrower is done with a connection. A connection that is not reusable is closed by the caller
    /// (`reusable: false`) and its slot goes to the next waiter, who opens a fresh one.
    public mutating func release(_ connection: Connection, reusable: Bool) -> Action {
        if !reusable || isShutDown {
            openCount -= 1
            return slotFreed()
        }
        if let next = waiters.popFirst() { return .resume(next.waiter, .reuse(connection)) }
        idle.append(connection)
        return .none
    }

    /// A borrower holding `.open` failed to open its connection.
    public mutating func openFailed() -> Action {
        openCount -= 1
        return slotFreed()
    }

    /// Stops lending: returns the idle connections to close and the waiters to fail.
    public mutating func shutDown() -> (idle: [Connection], waiters: [Waiter]) {
        isShutDown = true
        let closing = idle
        openCount -= idle.count
        idle = []
        let failing = waiters.map(\.waiter)
        waiters = []
        return (closing, failing)
    }

    private mutating func slotFreed() -> Action {
        guard !isShutDown, let next = waiters.popFirst() else { return .none }
        openCount += 1
        return .resume(next.waiter, .open)
    }
}

extension PoolLease: Sendable where Connection: Sendable {}
