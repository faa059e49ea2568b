import Foundation

/// A configured source of postings.
public struct SourceRecord: Codable, Sendable, Equatable {
    public var name: String
    /// `ashby-file`: an Ashby board JSON file, or a folder of them.
    public var kind: String
    /// A path (for file kinds) or URL.
    public var location: String
    public var enabled: Bool

    public init(name: String, kind: String, location: String, enabled: Bool = true) {
        self.name = name
        self.kind = kind
        self.location = location
        self.enabled = enabled
    }
}

/// The outcome of one ingestion run.
public struct RunCounts: Codable, Sendable, Equatable {
    public var fetched = 0
    public var new = 0
    public var updated = 0
    public var unchanged = 0
    public var rejected = 0

    public init() {}
}

/// A job as the job list shows it.
public struct JobSummary: Codable, Sendable, Equatable {
    public var id: Int
    public var title: String
    public var company: String
    public var locations: [String]
    public var isRemote: Bool?
    public var source: String
    public var postedAt: Date?
    public var createdAt: Date
    public var stages: Stages

    /// Which pipeline stages have stored their result for this job.
    public struct Stages: Codable, Sendable, Equatable {
        public var extracted: Bool
        public var researched: Bool
        public var cv: Bool
    }

    enum CodingKeys: String, CodingKey {
        case id, title, company, locations, source, stages
        case isRemote = "is_remote"
        case postedAt = "posted_at"
        case createdAt = "created_at"
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
        public var postedAt: Date?
        public var jobURL: String?
        public var applyURL: String?
        public var descriptionText: String?
        public var createdAt: Date
        public var updatedAt: Date

        enum CodingKeys: String, CodingKey {
            case id, source, title, company, locations, department, team
            case externalID = "external_id"
            case isRemote = "is_remote"
            case employmentType = "employment_type"
            case postedAt = "posted_at"
            case jobURL = "job_url"
            case applyURL = "apply_url"
            case descriptionText = "description_text"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
        }
    }

    public struct Extraction: Codable, Sendable {
        public var cleanText: String
        /// The sections as the extraction service stored them (JSON).
        public var sections: JSONFragment
        public var engine: String
        public var extractedAt: Date

        enum CodingKeys: String, CodingKey {
            case sections, engine
            case cleanText = "clean_text"
            case extractedAt = "extracted_at"
        }
    }

    public struct Research: Codable, Sendable {
        public var company: String
        public var normalizedName: String
        public var domain: String?
        public var careersHost: String?
        public var researchedAt: Date

        enum CodingKeys: String, CodingKey {
            case company, domain
            case normalizedName = "normalized_name"
            case careersHost = "careers_host"
            case researchedAt = "researched_at"
        }
    }

    public struct CV: Codable, Sendable {
        public var markdown: String
        public var matchedKeywords: [String]
        public var masterCVVersion: String?
        public var generatedAt: Date

        enum CodingKeys: String, CodingKey {
            case markdown
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
