import Foundation

/// What research learned about a company, shared by all its jobs and cached in PostgreSQL.
public struct CompanyProfile: Sendable, Equatable, Codable {
    public enum CompanyType: String, Sendable, Codable {
        case employer
        /// A recruiter advertising a client's job: outreach goes to the agency's recruiter.
        case recruitmentAgency = "recruitment_agency"
    }

    public var name: String
    public var normalizedName: String
    public var website: String?
    public var summary: String?
    public var companyType: CompanyType
    public var industry: String?
    /// As the source states it: "500+ employees", "a team of 120".
    public var size: String?
    public var signals: [CompanySignal]
    /// People found on the company's pages and in search results, kept for contact discovery on
    /// later jobs of the same company (a cache hit must not lose them).
    public var people: [FoundPerson]
    /// 0–100: how much independent, dated evidence the profile rests on.
    public var qualityScore: Int
    /// What each provider contributed, was skipped for, or failed with.
    public var providers: [ProviderReport]
    /// `deterministic` or the LLM provider that wrote the summary and classification.
    public var summarizedBy: String

    public init(
        name: String,
        normalizedName: String,
        website: String? = nil,
        summary: String? = nil,
        companyType: CompanyType = .employer,
        industry: String? = nil,
        size: String? = nil,
        signals: [CompanySignal] = [],
        people: [FoundPerson] = [],
        qualityScore: Int = 0,
        providers: [ProviderReport] = [],
        summarizedBy: String = "deterministic"
    ) {
        self.name = name
        self.normalizedName = normalizedName
        self.website = website
        self.summary = summary
        self.companyType = companyType
        self.industry = industry
        self.size = size
        self.signals = signals
        self.people = people
        self.qualityScore = qualityScore
        self.providers = providers
        self.summarizedBy = summarizedBy
    }

    enum CodingKeys: String, CodingKey {
        case name, website, summary, industry, size, signals, people, providers
        case normalizedName = "normalized_name"
        case companyType = "company_type"
        case qualityScore = "quality_score"
        case summarizedBy = "summarized_by"
    }
}

/// One provider's part in a research run.
public struct ProviderReport: Sendable, Equatable, Codable {
    public enum Outcome: String, Sendable, Codable {
        /// It found evidence that was used.
        case used
        /// It ran and found nothing.
        case empty
        /// It was not run; `detail` says why.
        case skipped
        /// It failed; `detail` has the error.
        case failed
    }

    public var provider: String
    public var outcome: Outcome
    public var detail: String?
    public var pages: Int
    public var people: Int
    public var signals: Int

    public init(provider: String, outcome: Outcome, detail: String? = nil, pages: Int = 0, people: Int = 0, signals: Int = 0) {
        self.provider = provider
        self.outcome = outcome
        self.detail = detail
        self.pages = pages
        self.people = people
        self.signals = signals
    }

    /// "website: used (4 pages, 6 people, 3 signals)", "firecrawl: skipped (no FIRECRAWL_API_KEY configured)".
    public var sentence: String {
        switch outcome {
        case .used: "\(provider): used (\(pages) pages, \(people) people, \(signals) signals)"
        case .empty: "\(provider): found nothing" + (detail.map { " (\($0))" } ?? "")
        case .skipped, .failed: "\(provider): \(outcome.rawValue) (\(detail ?? "no reason given"))"
        }
    }
}

/// Someone to write to about a job.
public struct Contact: Sendable, Equatable, Codable {
    public enum ContactType: String, Sendable, Codable, CaseIterable {
        case hiringManager = "hiring_manager"
        case recruiter
        case vpDirector = "vp_director"
        case executive
        case peer
    }

    public enum Priority: String, Sendable, Codable {
        case primary, secondary
    }

    public var name: String
    public var role: String
    public var contactType: ContactType
    public var priority: Priority
    public var profileURL: String?
    public var email: String?
    public var whyRelevant: String
    /// Where the person was found (`posting`, a page URL), or `placeholder`.
    public var source: String
    /// A role to look for ("Hiring Manager, Engineering at Acme"), not a person that was found.
    public var isSynthetic: Bool

    public init(
        name: String,
        role: String,
        contactType: ContactType,
        priority: Priority,
        profileURL: String? = nil,
        email: String? = nil,
        whyRelevant: String,
        source: String,
        isSynthetic: Bool
    ) {
        self.name = name
        self.role = role
        self.contactType = contactType
        self.priority = priority
        self.profileURL = profileURL
        self.email = email
        self.whyRelevant = whyRelevant
        self.source = source
        self.isSynthetic = isSynthetic
    }

    enum CodingKeys: String, CodingKey {
        case name, role, priority, email, source
        case contactType = "contact_type"
        case profileURL = "profile_url"
        case whyRelevant = "why_relevant"
        case isSynthetic = "is_synthetic"
    }
}
