import Foundation

/// A source as written in a seed file or a `POST /api/sources` body: only `name`, `kind` and
/// `location` are required, everything else takes its default.
public struct SourceEntry: Decodable, Sendable {
    public let record: SourceRecord

    /// The same field names as the API writes; the read-only ones are ignored when given.
    typealias CodingKeys = SourceRecord.CodingKeys

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        record = SourceRecord(
            name: try container.decode(String.self, forKey: .name),
            kind: try container.decode(SourceKind.self, forKey: .kind),
            location: try container.decode(String.self, forKey: .location),
            enabled: try container.decodeIfPresent(Bool.self, forKey: .enabled) ?? true,
            scheduleIntervalSeconds: try container.decodeIfPresent(Int.self, forKey: .scheduleIntervalSeconds),
            titleKeywords: try container.decodeIfPresent([String].self, forKey: .titleKeywords) ?? [],
            descriptionKeywords: try container.decodeIfPresent([String].self, forKey: .descriptionKeywords) ?? [],
            locations: try container.decodeIfPresent([String].self, forKey: .locations) ?? [],
            remoteOnly: try container.decodeIfPresent(Bool.self, forKey: .remoteOnly) ?? false,
            maxResults: try container.decodeIfPresent(Int.self, forKey: .maxResults),
            scoreThreshold: try container.decodeIfPresent(Int.self, forKey: .scoreThreshold) ?? 0,
            incremental: try container.decodeIfPresent(Bool.self, forKey: .incremental) ?? false
        )
    }
}

/// A partial update of a source (`PATCH /api/sources/{name}`): only the fields present change, and
/// `null` clears the nullable ones (`schedule_interval_seconds`, `max_results`).
public struct SourcePatch: Decodable, Sendable {
    private let apply: @Sendable (inout SourceRecord) -> Void

    typealias CodingKeys = SourceRecord.CodingKeys

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.name) {
            throw DecodingError.dataCorruptedError(forKey: .name, in: container, debugDescription: "a source cannot be renamed")
        }
        let kind = try container.decodeIfPresent(SourceKind.self, forKey: .kind)
        let location = try container.decodeIfPresent(String.self, forKey: .location)
        let enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled)
        let hasInterval = container.contains(.scheduleIntervalSeconds)
        let interval = try container.decodeIfPresent(Int.self, forKey: .scheduleIntervalSeconds)
        let titleKeywords = try container.decodeIfPresent([String].self, forKey: .titleKeywords)
        let descriptionKeywords = try container.decodeIfPresent([String].self, forKey: .descriptionKeywords)
        let locations = try container.decodeIfPresent([String].self, forKey: .locations)
        let remoteOnly = try container.decodeIfPresent(Bool.self, forKey: .remoteOnly)
        let hasMaximum = container.contains(.maxResults)
        let maximum = try container.decodeIfPresent(Int.self, forKey: .maxResults)
        let threshold = try container.decodeIfPresent(Int.self, forKey: .scoreThreshold)
        let incremental = try container.decodeIfPresent(Bool.self, forKey: .incremental)
        apply = { source in
            if let kind { source.kind = kind }
            if let location { source.location = location }
            if let enabled { source.enabled = enabled }
            if hasInterval { source.scheduleIntervalSeconds = interval }
            if let titleKeywords { source.titleKeywords = titleKeywords }
            if let descriptionKeywords { source.descriptionKeywords = descriptionKeywords }
            if let locations { source.locations = locations }
            if let remoteOnly { source.remoteOnly = remoteOnly }
            if hasMaximum { source.maxResults = maximum }
            if let threshold { source.scoreThreshold = threshold }
            if let incremental { source.incremental = incremental }
        }
    }

    /// The source with this patch applied.
    public func applied(to source: SourceRecord) -> SourceRecord {
        var patched = source
        apply(&patched)
        return patched
    }
}
