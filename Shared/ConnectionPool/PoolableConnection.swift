/// A connection to a server whose calls block the calling thread (hiredis, libpq).
///
/// Such a connection is used by one thread at a time: the pool hands it out to one borrower and takes
/// it back before anyone else can use it.
public protocol PoolableConnection: AnyObject, Sendable {
    /// Whether the connection can serve the next borrower. A connection whose socket failed, or that
    /// was left inside a transaction, answers `false` and the pool closes it instead of reusing it.
    var isReusable: Bool { get }

    /// Releases the C handle. Called once, by the pool.
    func close()
}
