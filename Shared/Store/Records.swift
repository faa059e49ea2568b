import Domain
import Foundation

/// The kinds of source ingestion can read.
public enum SourceKind: String, Codable, Sendable, CaseIterable {
    case greenhouse, lever, ashby, himalayas, remotive, remoteok, workable, smartrecruiters
    /// An RSS 2.0 or Atom feed, by URL.
    case feed
    /// Any web page carrying schema.org `JobPosting` JSON-LD, by URL.
    case jsonld
    /// A local file or folder of files in any of the formats above, detected from each file's content.
    case file
}

/// A configured source of postings, as users manage it through `/api/sources`.
public struct SourceRecord: Codable, Sendable, Equatable {
    public var name: String
    public var kind: SourceKind
    /// The board token or slug (`catawiki`), a URL, or for `file` a path.
    public var location: String
    public var enabled: Bool
    /// Run on a schedule every so many seconds (at least 60), with jitter; nil runs only on demand.
    public var scheduleIntervalSeconds: Int?
    /// Keep only postings whose title contains one of these (case-insensitive); empty keeps all.
    public var titleKeywords: [String]
    /// Keep only postings whose description contains one of these; empty keeps all.
    public var descriptionKeywords: [String]
    /// Keep only postings with a location containing one of these; empty keeps all.
    public var locations: [String]
    public var remoteOnly: Bool
    /// Keep at most this many postings per run, newest first.
    public var maxResults: Int?
    /// Jobs scoring below this against the master CV are stored but not sent down the pipeline.
    public var scoreThreshold: Int
    /// Skip postings not newer than the last successful run's start.
    public var incremental: Bool
    /// Read-only: when the scheduler runs it next, and when the last successful run started.
    public var nextRunAt: Date?
    public var lastSuccessStartedAt: Date?

    public init(
        name: String,
        kind: SourceKind,
        location: String,
        enabled: Bool = true,
        scheduleIntervalSeconds: Int? = nil,
        titleKeywords: [String] = [],
        descriptionKeywords: [String] = [],
        locations: [String] = [],
        remoteOnly: Bool = false,
        maxResults: Int? = nil,
        scoreThreshold: Int = 0,
        incremental: Bool = false,
        nextRunAt: Date? = nil,
        lastSuccessStartedAt: Date? = nil
    ) {
        self.name = name
        self.kind = kind
        self.location = location
        self.enabled = enabled
        self.scheduleIntervalSeconds = scheduleIntervalSeconds
        self.titleKeywords = titleKeywords
        self.descriptionKeywords = descriptionKeywords
        self.locations = locations
        self.remoteOnly = remoteOnly
        self.maxResults = maxResults
        self.scoreThreshold = scoreThreshold
        self.incremental = incremental
        self.nextRunAt = nextRunAt
        self.lastSuccessStartedAt = lastSuccessStartedAt
    }

    enum CodingKeys: String, CodingKey {
        case name, kind, location, enabled, locations, incremental
        case scheduleIntervalSeconds = "schedule_interval_seconds"
        case titleKeywords = "title_keywords"
        case descriptionKeywords = "description_keywords"
        case remoteOnly = "remote_only"
        case maxResults = "max_results"
        case scoreThreshold = "score_threshold"
        case nextRunAt = "next_run_at"
        case lastSuccessStartedAt = "last_success_started_at"
    }

    /// Optional settings are written as `null` rather than left out, so clients see every field.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(kind, forKey: .kind)
        try container.encode(location, forKey: .location)
        try container.encode(enabled, forKey: .enabled)
        try container.encode(scheduleIntervalSeconds, forKey: .scheduleIntervalSeconds)
        try container.encode(titleKeywords, forKey: .titleKeywords)
        try container.encode(descriptionKeywords, forKey: .descriptionKeywords)
        try container.encode(locations, forKey: .locations)
        try container.encode(remoteOnly, forKey: .remoteOnly)
        try container.encode(maxResults, forKey: .maxResults)
        try container.encode(scoreThreshold, forKey: .scoreThreshold)
        try container.encode(incremental, forKey: .incremental)
        try container.encode(nextRunAt, forKey: .nextRunAt)
        try container.encode(lastSuccessStartedAt, forKey: .lastSuccessStartedAt)
    }

    /// Why this configuration cannot be saved, or nil when it can.
    public var problem: String? {
        if name.range(of: "^[a-z0-9][a-z0-9_-]{0,63}$", options: .regularExpression) == nil {
            return "name must be 1–64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit"
        }
        if location.trimmingCharacters(in: .whitespaces).isEmpty { return "location must not be empty" }
        if [.feed, .jsonld].contains(kind), !(location.hasPrefix("http://") || location.hasPrefix("https://")) {
            return "a \(kind.rawValue) source needs an http(s) URL as its location"
        }
        if let interval = scheduleIntervalSeconds, interval < 60 { return "schedule_interval_seconds must be at least 60" }
        if let maxResults, maxResults < 1 { return "max_results must be at least 1" }
        if !(0...100).contains(scoreThreshold) { return "score_threshold must be between 0 and 100" }
        return nil
    }
}

/// The outcome of one ingestion run.
public struct RunCounts: Codable, Sendable, Equatable {
    /// Postings the source delivered, accepted or not.
    public var fetched = 0
    public var new = 0
    public var updated = 0
    /// Postings already known: seen before unchanged, or the same job found on another board.
    public var duplicates = 0
    /// Left out by the source's keyword, location, remote-only, incremental or max-results settings.
    public var filteredOut = 0
    /// Stored but scored under the source's threshold, so not sent down the pipeline.
    public var belowThreshold = 0
    public var rejected = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case fetched, new, updated, duplicates, rejected
        case filteredOut = "filtered_out"
        case belowThreshold = "below_threshold"
    }
}

/// One ingestion run as its history shows it.
public struct RunRecord: Codable, Sendable, Equatable {
    public var id: UUID
    public var source: String
    /// `user` or `schedule`.
    public var trigger: String
    /// queued, running, succeeded, partial, failed or skipped.
    public var status: String
    public var queuedAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    public var durationMilliseconds: Int?
    public var counts: RunCounts
    public var rejections: [RejectedPosting]
    public var errors: [String]

    enum CodingKeys: String, CodingKey {
        case id, source, trigger, status, counts, rejections, errors
        case queuedAt = "queued_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case durationMilliseconds = "duration_ms"
    }

    /// The run id in lower case, as it travels in commands and logs; unfinished runs show `null` times.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.uuidString.lowercased(), forKey: .id)
        try container.encode(source, forKey: .source)
        try container.encode(trigger, forKey: .trigger)
        try container.encode(status, forKey: .status)
        try container.encode(queuedAt, forKey: .queuedAt)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(finishedAt, forKey: .finishedAt)
        try container.encode(durationMilliseconds, forKey: .durationMilliseconds)
        try container.encode(counts, forKey: .counts)
        try container.encode(rejections, forKey: .rejections)
        try container.encode(errors, forKey: .errors)
    }
}

/// A job as the job list shows it: the posting's key facts, the user's status, notes and priority,
/// the fit, and which stages are done. No description: the list stays small and fast.
public struct JobSummary: Codable, Sendable, Equatable {
    public var id: Int
    public var title: String
    public var company: String
    public var locations: [String]
    public var isRemote: Bool?
    public var workplaceType: String?
    public var source: String
    public var jobURL: String?
    public var status: JobStatus
    /// 0 (none) to 5.
    public var priority: Int
    /// The user's notes, whole (they are limited to 20,000 characters).
    public var notes: String
    /// The fit score against the master CV (0–100) and its tier (A–D): the quick score from ingestion
    /// until extraction replaces it with the full fit, which also sets the category.
    public var fitScore: Int?
    public var tier: String?
    public var fitCategory: String?
    public var postedAt: Date?
    public var createdAt: Date
    public var updatedAt: Date
    public var stages: Stages

    public init(
        id: Int, title: String, company: String, locations: [String], isRemote: Bool?, workplaceType: String?, source: String,
        jobURL: String?, status: JobStatus, priority: Int, notes: String, fitScore: Int?, tier: String?, fitCategory: String?,
        postedAt: Date?, createdAt: Date, updatedAt: Date, stages: Stages
    ) {
        self.id = id
        self.title = title
        self.company = company
        self.locations = locations
        self.isRemote = isRemote
        self.workplaceType = workplaceType
        self.source = source
        self.jobURL = jobURL
        self.status = status
        self.priority = priority
        self.notes = notes
        self.fitScore = fitScore
        self.tier = tier
        self.fitCategory = fitCategory
        self.postedAt = postedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.stages = stages
    }

    /// Which pipeline stages have stored their result for this job.
    public struct Stages: Codable, Sendable, Equatable {
        public var extracted: Bool
        public var researched: Bool
        public var cv: Bool

        public init(extracted: Bool, researched: Bool, cv: Bool) {
            self.extracted = extracted
            self.researched = researched
            self.cv = cv
        }
    }

    public enum CodingKeys: String, CodingKey {
        case id, title, company, locations, source, status, priority, notes, tier, stages
        case isRemote = "is_remote"
        case workplaceType = "workplace_type"
        case jobURL = "job_url"
        case fitScore = "fit_score"
        case fitCategory = "fit_category"
        case postedAt = "posted_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    /// Fields without a value are written as `null` rather than left out, so clients see every field.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(title, forKey: .title)
        try container.encode(company, forKey: .company)
        try container.encode(locations, forKey: .locations)
        try container.encode(isRemote, forKey: .isRemote)
        try container.encode(workplaceType, forKey: .workplaceType)
        try container.encode(source, forKey: .source)
        try container.encode(jobURL, forKey: .jobURL)
        try container.encode(status, forKey: .status)
        try container.encode(priority, forKey: .priority)
        try container.encode(notes, forKey: .notes)
        try container.encode(fitScore, forKey: .fitScore)
        try container.encode(tier, forKey: .tier)
        try container.encode(fitCategory, forKey: .fitCategory)
        try container.encode(postedAt, forKey: .postedAt)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(stages, forKey: .stages)
    }
}

/// A job with every stage's result.
public struct JobDetail: Codable, Sendable {
    public var job: Posting
    public var extraction: Extraction?
    public var research: Research?
    public var cv: CV?

    public struct Posting: Codable, Sendable {
        public var id: Int
        public var source: String
        public var externalID: String
        public var title: String
        public var company: String
        public var locations: [String]
        public var isRemote: Bool?
        public var employmentType: String?
        public var department: String?
        public var team: String?
        public var workplaceType: String?
        public var salary: Salary?
        public var postedAt: Date?
        public var jobURL: String?
        public var applyURL: String?
        /// The sanitized description: the only form of the board's HTML the API hands out.
        public var descriptionHTML: String
        public var descriptionText: String
        public var fitScore: Int?
        public var tier: String?
        public var belowThreshold: Bool
        /// The user's status of the job, notes and priority (0–5).
        public var status: JobStatus
        public var notes: String
        public var priority: Int
        /// Every board the job was found on.
        public var sources: [Sighting]
        public var createdAt: Date
        public var updatedAt: Date

        public struct Sighting: Codable, Sendable {
            public var source: String
            public var externalID: String
            public var jobURL: String?
            public var firstSeenAt: Date
            public var lastSeenAt: Date

            enum CodingKeys: String, CodingKey {
                case source
                case externalID = "external_id"
                case jobURL = "job_url"
                case firstSeenAt = "first_seen_at"
                case lastSeenAt = "last_seen_at"
            }
        }

        enum CodingKeys: String, CodingKey {
            case id, source, title, company, locations, department, team
            case externalID = "external_id"
            case isRemote = "is_remote"
            case employmentType = "employment_type"
            case workplaceType = "workplace_type"
            case salary, tier, sources, status, notes, priority
            case postedAt = "posted_at"
            case jobURL = "job_url"
            case applyURL = "apply_url"
            case descriptionHTML = "description_html"
            case descriptionText = "description_text"
            case fitScore = "fit_score"
            case belowThreshold = "below_threshold"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
        }
    }

    public struct Extraction: Codable, Sendable {
        public var cleanText: String
        /// The sections as the extraction service stored them (JSON).
        public var sections: JSONFragment
        /// The extracted JD (JSON); absent after a structure-only run.
        public var analysis: JSONFragment?
        /// The fit against the master CV (JSON); absent when no master CV was configured.
        public var fit: JSONFragment?
        public var engine: String
        /// `deterministic` or the LLM provider whose answer was merged.
        public var producer: String
        public var extractedAt: Date

        enum CodingKeys: String, CodingKey {
            case sections, analysis, fit, engine, producer
            case cleanText = "clean_text"
            case extractedAt = "extracted_at"
        }
    }

    public struct Research: Codable, Sendable {
        public var company: String
        public var normalizedName: String
        public var domain: String?
        public var careersHost: String?
        /// The company's profile (JSON): summary, type, signals, providers' report.
        public var profile: JSONFragment?
        /// The job's contacts (JSON array).
        public var contacts: JSONFragment
        /// What each provider did on the run that produced the contacts (JSON array).
        public var providers: JSONFragment
        /// Whether the company's profile came from the cache.
        public var cacheHit: Bool
        public var researchedAt: Date

        enum CodingKeys: String, CodingKey {
            case company, domain, profile, contacts, providers
            case normalizedName = "normalized_name"
            case careersHost = "careers_host"
            case cacheHit = "cache_hit"
            case researchedAt = "researched_at"
        }
    }

    public struct CV: Codable, Sendable {
        public var markdown: String
        public var matchedKeywords: [String]
        public var masterCVVersion: String?
        /// Every claim of the CV and its source in the master CV (JSON).
        public var integrity: JSONFragment?
        /// Coverage of the job's required and preferred skills (JSON).
        public var ats: JSONFragment?
        /// Whether every claim is grounded.
        public var ready: Bool
        public var generatedAt: Date

        enum CodingKeys: String, CodingKey {
            case markdown, integrity, ats, ready
            case matchedKeywords = "matched_keywords"
            case masterCVVersion = "master_cv_version"
            case generatedAt = "generated_at"
        }
    }
}

/// A JSON value stored in PostgreSQL and passed through to API clients unchanged.
public struct JSONFragment: Codable, Sendable, Equatable {
    public let value: JSONValue

    public init(bytes: [UInt8]) throws {
        self.value = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    public init(from decoder: any Decoder) throws {
        self.value = try JSONValue(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try value.encode(to: encoder)
    }
}

/// Any JSON value.
public indirect enum JSONValue: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 { try container.encode(Int64(value)) } else { try container.encode(value) }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
