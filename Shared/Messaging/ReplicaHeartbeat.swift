import Foundation

/// What a replica says about itself every few seconds, in the heartbeats hash.
public struct ReplicaHeartbeat: Codable, Sendable, Equatable {
    public var service: String
    public var instance: String
    public var host: String
    public var pid: Int32
    public var startedAt: Date
    public var lastSeen: Date
    /// How often the replica writes; readers call it stale after three missed beats.
    public var intervalMilliseconds: Int
    /// `running`, or `draining` while the replica shuts down.
    public var state: String
    /// The port of its `/healthz`, `/readyz` and `/metrics`.
    public var httpPort: Int?
    public var consumers: [ConsumerStatistics.Snapshot]
    /// The release the replica runs (`JOBSMITH_VERSION`); nil in heartbeats written before replicas
    /// reported it, which still decode.
    public var version: String?

    public init(
        service: String,
        instance: String,
        host: String,
        pid: Int32,
        startedAt: Date,
        lastSeen: Date,
        intervalMilliseconds: Int,
        state: String,
        httpPort: Int?,
        consumers: [ConsumerStatistics.Snapshot],
        version: String? = nil
    ) {
        self.service = service
        self.instance = instance
        self.host = host
        self.pid = pid
        self.startedAt = startedAt
        self.lastSeen = lastSeen
        self.intervalMilliseconds = intervalMilliseconds
        self.state = state
        self.httpPort = httpPort
        self.consumers = consumers
        self.version = version
    }

    enum CodingKeys: String, CodingKey {
        case service, instance, host, pid, state, consumers, version
        case startedAt = "started_at"
        case lastSeen = "last_seen"
        case intervalMilliseconds = "interval_ms"
        case httpPort = "http_port"
    }

    /// Whether the replica beat recently enough to count as alive at `now`.
    public func isFresh(at now: Date) -> Bool {
        now.timeIntervalSince(lastSeen) * 1000 < Double(intervalMilliseconds * 3)
    }

    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return encoder
    }()

    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }()
}
