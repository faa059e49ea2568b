import Domain
import Foundation

/// A posting ready to store: normalized by its board's parser, then sanitized, reduced to clean text,
/// fingerprinted for dedupe and scored by ingestion.
public struct PreparedPosting: Sendable {
    public var posting: JobPosting
    /// The description with only allow-listed markup: the only HTML a browser is ever given.
    public var safeHTML: String
    public var cleanText: String
    /// Normalized company and title: jobs with equal keys are compared for being the same job.
    public var dedupeKey: String
    /// Hashes of the description's word shingles, for similarity between descriptions.
    public var shingles: [Int64]
    public var fitScore: Int?
    public var tier: String?
    /// Scored under the source's threshold: stored, not sent down the pipeline.
    public var belowThreshold: Bool

    public init(
        posting: JobPosting,
        safeHTML: String,
        cleanText: String,
        dedupeKey: String,
        shingles: [Int64],
        fitScore: Int? = nil,
        tier: String? = nil,
        belowThreshold: Bool = false
    ) {
        self.posting = posting
        self.safeHTML = safeHTML
        self.cleanText = cleanText
        self.dedupeKey = dedupeKey
        self.shingles = shingles
        self.fitScore = fitScore
        self.tier = tier
        self.belowThreshold = belowThreshold
    }
}

/// A stored job from another board that may be the same job as a new posting.
public struct DuplicateCandidate: Sendable {
    public var jobID: Int
    public var source: String
    public var locations: [String]
    public var isRemote: Bool?
    public var shingles: [Int64]

    public init(jobID: Int, source: String, locations: [String], isRemote: Bool?, shingles: [Int64]) {
        self.jobID = jobID
        self.source = source
        self.locations = locations
        self.isRemote = isRemote
        self.shingles = shingles
    }
}
