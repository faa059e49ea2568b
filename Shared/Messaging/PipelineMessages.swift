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
