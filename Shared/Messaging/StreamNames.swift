/// The Redis keys of Jobsmith's pipeline, under one prefix so that several deployments (or test runs)
/// can share a Redis server.
///
/// ```
/// commands:ingestion ─► ingestion ─► jobs:ingested ─► extraction ─► jobs:extracted ─► research
///     ─► jobs:researched ─► cv-generator ─► jobs:cv-generated
/// ```
///
/// Besides the pipeline stream, each working service reads its own `commands:<service>` stream of
/// operations a user asked for (re-run extraction on one job, say), and every service writes what it
/// is doing to `events`, which the gateway streams to browsers.
public struct StreamNames: Sendable, Equatable {
    /// A stream and the consumer group (named for the service) that works through it.
    public struct Subscription: Sendable, Equatable {
        public let stream: String
        public let group: String

        public init(stream: String, group: String) {
            self.stream = stream
            self.group = group
        }
    }

    public let prefix: String

    public init(prefix: String = "jobsmith") {
        self.prefix = prefix
    }

    /// Commands for the ingestion service (`ingest.run`).
    public var ingestionCommands: String { commands(for: .ingestion) }
    /// Operations a user asked a service to run (`operation.requested`).
    public func commands(for service: ServiceName) -> String { "\(prefix):commands:\(service.rawValue)" }
    /// Progress of every operation and pipeline step, for live views.
    public var events: String { "\(prefix):events" }
    /// Postings stored by ingestion, for extraction.
    public var jobsIngested: String { "\(prefix):jobs:ingested" }
    /// Structured descriptions, for research.
    public var jobsExtracted: String { "\(prefix):jobs:extracted" }
    /// Researched jobs, for the CV generator.
    public var jobsResearched: String { "\(prefix):jobs:researched" }
    /// Finished CVs: the pipeline's output, kept as an activity record (no group consumes it yet).
    public var cvGenerated: String { "\(prefix):jobs:cv-generated" }
    /// The hash where every replica writes its heartbeat.
    public var heartbeats: String { "\(prefix):heartbeats" }

    /// Where entries that failed too often, or could not be read, are moved: `<stream>:dead`.
    public static func deadLetters(of stream: String) -> String { "\(stream):dead" }

    /// Every stream a service group consumes, in pipeline order.
    public var subscriptions: [Subscription] {
        [
            Subscription(stream: ingestionCommands, group: ServiceName.ingestion.rawValue),
            Subscription(stream: jobsIngested, group: ServiceName.extraction.rawValue),
            Subscription(stream: commands(for: .extraction), group: ServiceName.extraction.rawValue),
            Subscription(stream: jobsExtracted, group: ServiceName.research.rawValue),
            Subscription(stream: commands(for: .research), group: ServiceName.research.rawValue),
            Subscription(stream: jobsResearched, group: ServiceName.cvGenerator.rawValue),
            Subscription(stream: commands(for: .cvGenerator), group: ServiceName.cvGenerator.rawValue),
        ]
    }

    /// The streams a service consumes: its pipeline input and its commands (none for the gateway).
    public func subscriptions(of service: ServiceName) -> [Subscription] {
        subscriptions.filter { $0.group == service.rawValue }
    }
}

/// The five services, named as their executables are.
public enum ServiceName: String, Sendable, CaseIterable, Codable {
    case ingestion
    case extraction
    case research
    case cvGenerator = "cv-generator"
    case gateway
}
