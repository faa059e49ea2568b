import Messaging
import Postgres
import Redis

/// Tells failures of the infrastructure (PostgreSQL or Redis unreachable, restarting, out of
/// connections) from failures of the work itself.
///
/// An infrastructure failure says nothing about the message being handled: the consumer retries it in
/// place until the dependency is back, and an operation's step is not marked failed for it.
public enum InfrastructureFailure {
    @Sendable public static func isTransient(_ error: any Error) -> Bool {
        if let error = error as? PostgresError {
            switch error.kind {
            case .connection:
                return true
            case .server:
                // 08 connection exception, 57P01–57P03 shutdown and start-up, 53300 too many
                // connections, 40001/40P01 serialization failure and deadlock (safe to run again).
                guard let state = error.sqlState else { return false }
                return state.hasPrefix("08") || state.hasPrefix("57P") || state == "53300" || state == "40001" || state == "40P01"
            default:
                return false
            }
        }
        return StreamConsumer.isRedisUnreachable(error)
    }
}
