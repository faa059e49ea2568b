/// Where ``BoardFetcher`` keeps the validators of each URL between runs.
///
/// A protocol so the service keeps them in PostgreSQL (every replica and every restart then sends
/// conditional requests) while tests and one-off tools use ``InMemoryConditionalGetStore``.
public protocol ConditionalGetStore: Sendable {
    /// The validators saved for `url`, or `nil` when none were.
    ///
    /// - Parameter url: The URL exactly as the fetcher was asked for it (not the one after redirects).
    func validators(for url: String) async throws -> Validators?

    /// Saves `validators` for `url`, replacing any saved before; empty validators clear them.
    func save(_ validators: Validators, for url: String) async throws
}
