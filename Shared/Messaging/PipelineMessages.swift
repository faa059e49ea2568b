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
