import Foundation
import Logging
import Synchronization

/// Writes one JSON object per log event to standard error, for log collectors.
///
/// `{"ts":"…","level":"info","message":"Consumer started","logger":"extraction","stream.name":"…"}`
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String
    private static let output = Mutex<Void>(())

    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var object: [String: String] = [:]
        for (key, value) in metadata { object[key] = "\(value)" }
        for (key, value) in event.metadata ?? [:] { object[key] = "\(value)" }
        object["ts"] = Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        object["level"] = event.level.rawValue
        object["message"] = "\(event.message)"
        object["logger"] = label
        guard var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        line.append(0x0A)
        // One write per line, serialized, so lines from different threads never interleave.
        Self.output.withLock { _ in FileHandle.standardError.write(line) }
    }
}
