/// One source of evidence about a company: the posting itself, the company's website, FireCrawl.
///
/// Providers only gather evidence — pages of text and the people they name. Reading that evidence
/// (a summary, signals with dates, the company's type) is the research engine's job, so every provider
/// is read the same way and each one's contribution can be reported.
public protocol CompanyResearchProvider: Sendable {
    /// How reports name it: `posting`, `website`, `firecrawl`.
    var name: String { get }

    /// Why the provider cannot be used right now (not configured, offline, its circuit is open), or
    /// nil when it can. A provider that is unavailable is skipped and the reason recorded.
    func unavailableReason() async -> String?

    /// Gathers what the provider can find about the request's company.
    ///
    /// - Throws: When the provider failed (after its own retries); the engine records the error and
    ///   moves on to the next provider.
    func gather(_ request: CompanyResearchRequest) async throws -> ProviderFindings
}

/// What is known about the company before research starts.
public struct CompanyResearchRequest: Sendable, Equatable {
    /// The company's name as the posting gives it.
    public var companyName: String
    /// Other spellings to try when a lookup by the name finds nothing ("Acme", "Acme Inc.", "ACME").
    public var nameVariants: [String]
    /// The company's website when already known (from the posting's links or an earlier provider),
    /// e.g. `https://acme.com`.
    public var website: String?
    public var jobTitle: String
    public var department: String?

    public init(companyName: String, nameVariants: [String] = [], website: String? = nil, jobTitle: String, department: String? = nil) {
        self.companyName = companyName
        self.nameVariants = nameVariants
        self.website = website
        self.jobTitle = jobTitle
        self.department = department
    }
}

/// The evidence one provider found.
public struct ProviderFindings: Sendable, Equatable {
    /// The company's website, if the provider established it.
    public var website: String?
    /// Pages read, already past the content-quality gate.
    public var pages: [ResearchPage]
    /// People named as working at the company.
    public var people: [FoundPerson]
    /// Short notes for the run's report ("rejected /about: cookie wall", "3 search results").
    public var notes: [String]

    public init(website: String? = nil, pages: [ResearchPage] = [], people: [FoundPerson] = [], notes: [String] = []) {
        self.website = website
        self.pages = pages
        self.people = people
        self.notes = notes
    }
}

/// One page of text about the company.
public struct ResearchPage: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case posting, home, about, team, careers, news, searchResult = "search_result"
    }

    public var url: String
    public var title: String?
    /// Plain text (HTML already reduced to text; markdown kept as it is).
    public var text: String
    public var kind: Kind

    public init(url: String, title: String? = nil, text: String, kind: Kind) {
        self.url = url
        self.title = title
        self.text = text
        self.kind = kind
    }
}

/// A person a provider found, before the engine decides whether and how to contact them.
public struct FoundPerson: Sendable, Equatable, Codable {
    public var name: String
    /// Their job title as the source states it ("Head of Engineering", "Technical Recruiter").
    public var role: String?
    public var profileURL: String?
    public var email: String?
    /// Where they were found: a page URL, or `posting`.
    public var source: String

    public init(name: String, role: String? = nil, profileURL: String? = nil, email: String? = nil, source: String) {
        self.name = name
        self.role = role
        self.profileURL = profileURL
        self.email = email
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case name, role, email, source
        case profileURL = "profile_url"
    }
}
