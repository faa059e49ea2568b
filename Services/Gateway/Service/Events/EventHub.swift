import Foundation
import Logging
import Messaging
import Redis
import ServiceLifecycle
import Store
import Synchronization

/// One progress event read from the events stream, with the entry ID it lives under.
struct LiveEvent: Sendable {
    var position: StreamPosition
    var at: Date
    var event: ProgressEvent
}

/// What a subscriber of the hub receives.
enum HubSignal: Sendable {
    case event(LiveEvent)
    /// Sent every `tickInterval`: live connections write a keep-alive and re-check their run.
    case tick
}

/// Tails the events stream once per gateway replica and fans each event out to every live
/// connection (Server-Sent Events), so a hundred open browser tabs cost one Redis reader, not a hundred.
///
/// The hub polls only while someone listens. It reads with `XREAD` without `BLOCK`: a blocking read
/// would hold one of the gateway's pool threads for good, and a live log is well served by a read
/// every quarter second when the stream is quiet (at once again when a read came back full).
final class EventHub: Service, Sendable {
    let redis: RedisClient
    let stream: String
    let logger: Logger
    let pollInterval: Duration
    let tickInterval: Duration
    private let subscribers = Mutex<[UUID: AsyncStream<HubSignal>.Continuation]>([:])
    private static let batchSize = 500

    init(redis: RedisClient, stream: String, logger: Logger, pollInterval: Duration = .milliseconds(250), tickInterval: Duration = .seconds(15)) {
        self.redis = redis
        self.stream = stream
        self.logger = logger
        self.pollInterval = pollInterval
        self.tickInterval = tickInterval
    }

    /// A live feed of events published from now on; it ends when the returned stream is dropped.
    ///
    /// Up to 10,000 events wait for a slow reader; beyond that the oldest are dropped, and the
    /// reader's next resume (with `Last-Event-ID`) fills the gap from the stream.
    func subscribe() -> AsyncStream<HubSignal> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<HubSignal>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        subscribers.withLock { $0[id] = continuation }
        return stream
    }

    var subscriberCount: Int { subscribers.withLock { $0.count } }

    func run() async throws {
        var last: String?
        var sinceTick = ContinuousClock.now
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            if ContinuousClock.now - sinceTick >= tickInterval {
                broadcast(.tick)
                sinceTick = .now
            }
            guard subscriberCount > 0 else {
                // Nobody listens: forget the position, so the next listener starts at the present.
                last = nil
                try? await Task.sleep(for: pollInterval)
                continue
            }
            do {
                if last == nil { last = try await latestEntryID() }
                let events = try await read(after: last ?? "0-0")
                if let newest = events.last { last = newest.position.description }
                for event in events { broadcast(.event(event)) }
                if events.count < Self.batchSize { try? await Task.sleep(for: pollInterval) }
            } catch {
                logger.warning("Could not read the events stream; retrying", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
        let all = subscribers.withLock { subscribers in
            defer { subscribers.removeAll() }
            return Array(subscribers.values)
        }
        for continuation in all { continuation.finish() }
    }

    private func broadcast(_ signal: HubSignal) {
        let all = subscribers.withLock { Array($0.values) }
        for continuation in all { continuation.yield(signal) }
    }

    private func latestEntryID() async throws -> String {
        let reply = try await redis.send("XREVRANGE", stream, "+", "-", "COUNT", 1)
        return reply.array?.first?.array?.first?.string ?? "0-0"
    }

    private func read(after id: String) async throws -> [LiveEvent] {
        let reply = try await redis.send("XREAD", "COUNT", Self.batchSize, "STREAMS", stream, id)
        let entries = reply.array?.first?.array?.last?.array ?? []
        return entries.compactMap(LiveEvent.init(entry:))
    }

    /// Events after `position` (exclusive) up to now, oldest first: what a resuming reader missed.
    func history(after position: StreamPosition, limit: Int = 10_000) async throws -> [LiveEvent] {
        var events: [LiveEvent] = []
        var cursor = "(\(position)"
        while events.count < limit {
            let reply = try await redis.send("XRANGE", stream, cursor, "+", "COUNT", Self.batchSize)
            let entries = reply.array ?? []
            let page = entries.compactMap(LiveEvent.init(entry:))
            guard let lastID = entries.last?.array?.first?.string else { break }
            events += page
            cursor = "(\(lastID)"
            if entries.count < Self.batchSize { break }
        }
        return events
    }
}

extension LiveEvent {
    /// Reads one `[id, [field, value, …]]` entry; nil for entries that are not progress events.
    init?(entry: RedisReply) {
        guard let parts = entry.array, parts.count == 2, let id = parts[0].string, let position = StreamPosition(id),
              let fields = parts[1].pairs,
              let envelope = try? Envelope(fields: fields), envelope.type == ProgressEvent.type,
              let event = try? envelope.decode(ProgressEvent.self)
        else { return nil }
        self.init(position: position, at: Date(timeIntervalSince1970: Double(position.milliseconds) / 1000), event: event)
    }
}
