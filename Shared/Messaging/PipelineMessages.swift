import Foundation
import Redis

/// The messages that flow through the pipeline. Each names its job (or run) and nothing more: the
/// data itself lives in PostgreSQL, committed before the message is sent.

/// Asks the ingestion service to run one source now.
public struct IngestRunCommand: PipelineMessage, Equatable {
    public static let type = "ingest.run"
    public var runID: String
    public var source: String
    /// `user` (from the API) or `schedule`.
    public var trigger: String

    public init(runID: String, source: String, trigger: String) {
        self.runID = runID
        self.source = source
        self.trigger = trigger
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", source, trigger
    }
}

/// Asks the ingestion service to import one job from a page's URL (its schema.org `JobPosting`).
///
/// The import's state lives in a Redis hash (`stateKey`), written as `queued` by the gateway and then
/// by the ingestion replica that works on it, so every gateway replica can answer for it. The hash
/// expires a day after its last change.
public struct IngestURLCommand: PipelineMessage, Equatable {
    public static let type = "ingest.url"
    public var importID: String
    public var url: String

    public init(importID: String, url: String) {
        self.importID = importID
        self.url = url
    }

    enum CodingKeys: String, CodingKey {
        case importID = "import_id", url
    }

    /// Where an import's state is kept: `<prefix>:imports:<import id>`.
    public static func stateKey(_ streams: StreamNames, importID: String) -> String {
        "\(streams.prefix):imports:\(importID)"
    }

    /// How long an import's state is kept after its last change.
    public static let stateLifetimeSeconds = 86_400

    /// Where an import is.
    public enum Status: String, Codable, Sendable, CaseIterable {
        case queued, running, succeeded, failed
    }

    /// An import's state as its Redis hash holds it and the API shows it.
    public struct State: Codable, Sendable, Equatable {
        public var importID: String
        public var url: String
        public var status: Status
        /// The job the page was stored as, once the import succeeded.
        public var jobID: Int?
        /// Whether that job was stored before (the same URL imported again, or the same job from a board).
        public var duplicate: Bool?
        /// Why the import failed.
        public var error: String?
        public var updatedAt: Date

        public init(importID: String, url: String, status: Status, jobID: Int? = nil, duplicate: Bool? = nil, error: String? = nil, updatedAt: Date = Date()) {
            self.importID = importID
            self.url = url
            self.status = status
            self.jobID = jobID
            self.duplicate = duplicate
            self.error = error
            self.updatedAt = updatedAt
        }

        enum CodingKeys: String, CodingKey {
            case importID = "import_id"
            case url, status, duplicate, error
            case jobID = "job_id"
            case updatedAt = "updated_at"
        }

        /// Commands (for `RedisClient.pipeline`) that replace the stored state with this one in one
        /// transaction, so a reader never sees half of it, and keep it for another day.
        public func writeCommands(_ streams: StreamNames) -> [[any RedisArgument]] {
            let key = IngestURLCommand.stateKey(streams, importID: importID)
            var fields: [any RedisArgument] = [
                "HSET", key, CodingKeys.importID.rawValue, importID, CodingKeys.url.rawValue, url, CodingKeys.status.rawValue, status.rawValue,
                CodingKeys.updatedAt.rawValue, String(updatedAt.timeIntervalSince1970),
            ]
            if let jobID { fields += [CodingKeys.jobID.rawValue, jobID] }
            if let duplicate { fields += [CodingKeys.duplicate.rawValue, duplicate ? "true" : "false"] }
            if let error { fields += [CodingKeys.error.rawValue, error] }
            return [["MULTI"], ["DEL", key], fields, ["EXPIRE", key, IngestURLCommand.stateLifetimeSeconds], ["EXEC"]]
        }

        /// Reads the hash (`HGETALL`'s reply); nil when it is empty or not an import's state.
        public init?(hash reply: RedisReply) {
            guard let pairs = reply.pairs, !pairs.isEmpty else { return nil }
            var values: [String: String] = [:]
            for (key, value) in pairs { values[key] = value.string }
            guard let importID = values[CodingKeys.importID.rawValue], let url = values[CodingKeys.url.rawValue],
                  let status = values[CodingKeys.status.rawValue].flatMap(Status.init(rawValue:)) else { return nil }
            self.init(
                importID: importID,
                url: url,
                status: status,
                jobID: values[CodingKeys.jobID.rawValue].flatMap { Int($0) },
                duplicate: values[CodingKeys.duplicate.rawValue].map { $0 == "true" },
                error: values[CodingKeys.error.rawValue],
                updatedAt: Date(timeIntervalSince1970: values[CodingKeys.updatedAt.rawValue].flatMap { Double($0) } ?? 0)
            )
        }
    }
}

/// A posting was stored (new or changed) and is ready for extraction.
public struct JobIngested: PipelineMessage, Equatable {
    public static let type = "job.ingested"
    public var jobID: Int
    public init(jobID: Int) { self.jobID = jobID }
    enum CodingKeys: String, CodingKey { case jobID = "job_id" }
}

/// A job's description was structured.
public struct JobExtracted: PipelineMessage, Equatable {
    public static let type = "job.extracted"
    public var jobID: Int
    public init(jobID: Int) { self.jobID = jobID }
    enum CodingKeys: String, CodingKey { case jobID = "job_id" }
}

/// A job's company was researched.
public struct JobResearched: PipelineMessage, Equatable {
    public static let type = "job.researched"
    public var jobID: Int
    public init(jobID: Int) { self.jobID = jobID }
    enum CodingKeys: String, CodingKey { case jobID = "job_id" }
}

/// A tailored CV was written for a job.
public struct CVGenerated: PipelineMessage, Equatable {
    public static let type = "cv.generated"
    public var jobID: Int
    public init(jobID: Int) { self.jobID = jobID }
    enum CodingKeys: String, CodingKey { case jobID = "job_id" }
}

/// A user asked for an operation on one job (from the API or the UI), sent to the service that runs it.
public struct OperationCommand: PipelineMessage, Equatable {
    public static let type = "operation.requested"
    /// The operation run this command belongs to, so progress events can be shown under it.
    public var operationID: String
    public var jobID: Int
    public var operation: JobOperation
    /// Recompute even when a result for the same inputs is already stored.
    public var force: Bool
    /// Hand the job on to the next stage afterwards, as the pipeline would.
    public var continuePipeline: Bool
    /// Which attempt of the run this command belongs to: a retry raises it, so a late delivery of an
    /// earlier attempt cannot overwrite the newer attempt's state.
    public var attempt: Int

    public init(operationID: String, jobID: Int, operation: JobOperation, force: Bool = false, continuePipeline: Bool = false, attempt: Int = 1) {
        self.operationID = operationID
        self.jobID = jobID
        self.operation = operation
        self.force = force
        self.continuePipeline = continuePipeline
        self.attempt = attempt
    }

    enum CodingKeys: String, CodingKey {
        case operationID = "operation_id"
        case jobID = "job_id"
        case operation, force, attempt
        case continuePipeline = "continue_pipeline"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        operationID = try container.decode(String.self, forKey: .operationID)
        jobID = try container.decode(Int.self, forKey: .jobID)
        operation = try container.decode(JobOperation.self, forKey: .operation)
        force = try container.decodeIfPresent(Bool.self, forKey: .force) ?? false
        continuePipeline = try container.decodeIfPresent(Bool.self, forKey: .continuePipeline) ?? false
        attempt = try container.decodeIfPresent(Int.self, forKey: .attempt) ?? 1
    }
}

/// The operations a user can run on a job, named as the API names them.
public enum JobOperation: String, Codable, Sendable, CaseIterable {
    case fullExtraction = "full-extraction"
    case structureJD = "structure-jd"
    case researchCompany = "research-company"
    case discoverContacts = "discover-contacts"
    case generateCV = "generate-cv"
    case generateCoverLetter = "generate-cover-letter"
    case generateOutreach = "generate-outreach"

    /// The service that runs it.
    public var service: ServiceName {
        switch self {
        case .fullExtraction, .structureJD: .extraction
        case .researchCompany, .discoverContacts: .research
        case .generateCV, .generateCoverLetter, .generateOutreach: .cvGenerator
        }
    }
}

/// One step of work starting, finishing or failing: what a live log shows.
public struct ProgressEvent: PipelineMessage, Equatable {
    public static let type = "progress"

    public enum Phase: String, Codable, Sendable {
        case started, finished, failed, skipped, cancelled

        /// Whether the phase ends what it is about.
        public var isFinal: Bool { self != .started }
    }

    public var jobID: Int
    /// Set when the work was asked for as an operation; pipeline work has none.
    public var operationID: String?
    public var service: ServiceName
    /// What is being done, e.g. `structure`, `analyze`, `fit`, `llm`, `save`; an operation's own start
    /// and end are reported as its name (`full-extraction`), and the end of a whole run as `run`.
    public var step: String
    public var phase: Phase
    /// A sentence for people: "Found 14 skills, 9 required".
    public var message: String

    public init(jobID: Int, operationID: String?, service: ServiceName, step: String, phase: Phase, message: String) {
        self.jobID = jobID
        self.operationID = operationID
        self.service = service
        self.step = step
        self.phase = phase
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case jobID = "job_id"
        case operationID = "operation_id"
        case service, step, phase, message
    }
}
