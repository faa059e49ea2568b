import Synchronization

/// Validators kept in memory: for tests, and for tools that fetch within one process.
///
/// Nothing survives the process, so the first request of each run is unconditional.
public final class InMemoryConditionalGetStore: ConditionalGetStore {
    private let entries = Mutex<[String: Validators]>([:])

    public init() {}

    public func validators(for url: String) async throws -> Validators? {
        entries.withLock { $0[url] }
    }

    public func save(_ validators: Validators, for url: String) async throws {
        entries.withLock { entries in
            entries[url] = validators.isEmpty ? nil : validators
        }
    }
}
