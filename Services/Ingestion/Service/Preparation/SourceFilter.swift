import Foundation
import Domain
import Store

/// Applies a source's keyword, location, remote-only, incremental and max-results settings.
public struct SourceFilter: Sendable {
    public let source: SourceRecord

    public init(source: SourceRecord) {
        self.source = source
    }

    /// The postings to keep, newest first when a maximum applies, and how many were left out.
    public func apply(to postings: [PreparedPosting]) -> (kept: [PreparedPosting], filteredOut: Int) {
        var kept = postings.filter(accepts)
        if let maximum = source.maxResults, kept.count > maximum {
            kept.sort { ($0.posting.postedAt ?? .distantPast) > ($1.posting.postedAt ?? .distantPast) }
            kept = Array(kept.prefix(maximum))
        }
        return (kept, postings.count - kept.count)
    }

    func accepts(_ prepared: PreparedPosting) -> Bool {
        let posting = prepared.posting
        if !source.titleKeywords.isEmpty, !Self.containsAny(posting.title, source.titleKeywords) { return false }
        if !source.descriptionKeywords.isEmpty, !Self.containsAny(prepared.cleanText, source.descriptionKeywords) { return false }
        if source.remoteOnly, posting.isRemote != true, posting.workplaceType != .remote { return false }
        if !source.locations.isEmpty {
            let remoteWanted = source.locations.contains { $0.lowercased() == "remote" }
            let isRemote = posting.isRemote == true || posting.workplaceType == .remote
            if !(remoteWanted && isRemote), !posting.locations.contains(where: { Self.containsAny($0, source.locations) }) {
                return false
            }
        }
        if source.incremental, let since = source.lastSuccessStartedAt, let posted = posting.postedAt, posted <= since {
            return false
        }
        return true
    }

    static func containsAny(_ text: String, _ needles: [String]) -> Bool {
        needles.contains { text.range(of: $0, options: [.caseInsensitive, .diacriticInsensitive]) != nil }
    }
}
