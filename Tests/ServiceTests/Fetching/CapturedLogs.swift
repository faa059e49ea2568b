import Logging
import Synchronization

/// A log handler that keeps every message in memory, so tests can read what was logged without
/// bootstrapping the process-wide logging system.
struct CapturedLogs: LogHandler {
    /// One logged message with its metadata rendered as text.
    struct Entry: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: [String: String]

        /// The message and every metadata key and value on one line, for "never contains" checks.
        var text: String {
            ([message] + metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
        }
    }

    /// Shared by the logger and the test that reads it.
    final class Storage: Sendable {
        private let entries = Mutex<[Entry]>([])

        var all: [Entry] { entries.withLock { $0 } }

        func append(_ entry: Entry) { entries.withLock { $0.append(entry) } }
    }

    let storage: Storage
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    /// A logger writing into a new storage, and that storage.
    static func logger() -> (Logger, Storage) {
        let storage = Storage()
        return (Logger(label: "captured") { _ in CapturedLogs(storage: storage) }, storage)
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        storage.append(
            Entry(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" })
        )
    }
}
