import ConnectionPool
import Testing

@Suite struct PoolStateTests {
    typealias State = PoolState<String, String>

    @Test func opensUpToTheLimitThenQueues() {
        var state = State(maximumConnections: 2)
        #expect(isOpen(state.borrow(id: 1, waiter: "a")))
        #expect(isOpen(state.borrow(id: 2, waiter: "b")))
        #expect(state.borrow(id: 3, waiter: "c") == nil)
        #expect(state.openCount == 2)
        #expect(state.waitingCount == 1)
    }

    @Test func aReturnedConnectionGoesToTheFirstWaiter() {
        var state = State(maximumConnections: 1)
        _ = state.borrow(id: 1, waiter: "a")
        _ = state.borrow(id: 2, waiter: "b")
        _ = state.borrow(id: 3, waiter: "c")
        guard case .resume(let waiter, .reuse(let connection)) = state.release("conn", reusable: true) else {
            Issue.record("expected the first waiter to get the connection")
            return
        }
        #expect(waiter == "b")
        #expect(connection == "conn")
        #expect(state.waitingCount == 1)
    }

    @Test func aBrokenConnectionFreesItsSlotForAWaiterToOpenAnew() {
        var state = State(maximumConnections: 1)
        _ = state.borrow(id: 1, waiter: "a")
        _ = state.borrow(id: 2, waiter: "b")
        guard case .resume("b", .open) = state.release("conn", reusable: false) else {
            Issue.record("expected the waiter to be told to open a connection")
            return
        }
        #expect(state.openCount == 1)
        #expect(state.idle.isEmpty)
    }

    @Test func idleConnectionsAreReusedBeforeOpeningMore() {
        var state = State(maximumConnections: 3)
        _ = state.borrow(id: 1, waiter: "a")
        _ = state.release("conn", reusable: true)
        guard case .reuse("conn") = state.borrow(id: 2, waiter: "b") else {
            Issue.record("expected the idle connection")
            return
        }
        #expect(state.openCount == 1)
    }

    @Test func aFailedOpenReleasesTheSlot() {
        var state = State(maximumConnections: 1)
        _ = state.borrow(id: 1, waiter: "a")
        _ = state.borrow(id: 2, waiter: "b")
        guard case .resume("b", .open) = state.openFailed() else {
            Issue.record("expected the waiter to try opening")
            return
        }
    }

    @Test func cancellingRemovesOnlyThatWaiter() {
        var state = State(maximumConnections: 1)
        _ = state.borrow(id: 1, waiter: "a")
        _ = state.borrow(id: 2, waiter: "b")
        _ = state.borrow(id: 3, waiter: "c")
        #expect(state.cancelWaiting(id: 2) == "b")
        #expect(state.cancelWaiting(id: 2) == nil)
        guard case .resume("c", _) = state.release("conn", reusable: true) else {
            Issue.record("expected the remaining waiter")
            return
        }
    }

    @Test func shutDownHandsBackIdleConnectionsAndWaiters() {
        var state = State(maximumConnections: 2)
        _ = state.borrow(id: 1, waiter: "a")
        _ = state.borrow(id: 2, waiter: "b")
        _ = state.release("idle", reusable: true)
        _ = state.borrow(id: 3, waiter: "c")  // reuses idle
        _ = state.borrow(id: 4, waiter: "d")  // waits
        let (idle, waiters) = state.shutDown()
        #expect(idle.isEmpty)
        #expect(waiters == ["d"])
        #expect(state.isShutDown)
    }

    private func isOpen(_ lease: PoolLease<String>?) -> Bool {
        if case .open = lease { return true }
        return false
    }
}
