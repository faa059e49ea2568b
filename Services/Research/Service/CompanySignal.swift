/// Something that happened to a company that a cover letter or outreach can mention: a funding round,
/// an acquisition, a new leader, a launch, a partnership, growth.
public struct CompanySignal: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case funding, acquisition
        case leadershipChange = "leadership_change"
        case productLaunch = "product_launch"
        case partnership, growth
    }

    public var kind: Kind
    /// One sentence, quoted or closely cut from the source.
    public var summary: String
    /// When it happened, as precisely as the source says: `2025`, `2025-03` or `2025-03-14`.
    public var date: String?
    /// The page it was read from.
    public var sourceURL: String?

    public init(kind: Kind, summary: String, date: String? = nil, sourceURL: String? = nil) {
        self.kind = kind
        self.summary = summary
        self.date = date
        self.sourceURL = sourceURL
    }

    enum CodingKeys: String, CodingKey {
        case kind, summary, date
        case sourceURL = "source_url"
    }
}
