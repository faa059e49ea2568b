import Synchronization

/// Whether a replica is taking work or draining before it exits, shared by its consumers, its
/// heartbeat and its `/readyz`.
///
/// Draining starts once, at the first shutdown signal: every consumer of the replica stops reading at
/// the same moment (rather than one after the other, as the service group stops them) and all of them
/// share one deadline for what they are still handling.
public final class ReplicaLifecycle: Sendable {
    /// How long in-flight messages may run after draining starts; the rest is handed back.
    public let shutdownDeadline: Duration
    private let drainDeadline = Mutex<ContinuousClock.Instant?>(nil)

    public init(shutdownDeadline: Duration = .seconds(20)) {
        self.shutdownDeadline = shutdownDeadline
    }

    public var isDraining: Bool { drainDeadline.withLock { $0 != nil } }

    /// Starts draining, if it has not started yet.
    ///
    /// - Returns: The instant by which in-flight messages must be finished or handed back.
    @discardableResult
    public func beginDraining() -> ContinuousClock.Instant {
        drainDeadline.withLock { deadline in
            if let deadline { return deadline }
            let new = ContinuousClock.now + shutdownDeadline
            deadline = new
            return new
        }
    }
}
