import Foundation
import HTTPClient
import Logging

/// FireCrawl as a research provider: web search and scraping for a company's overview, its recent
/// news, and people who hire there, with the queries the old system used.
///
/// `gather` makes, in order (each a FireCrawl search unless said otherwise):
/// 1. **overview** — `{company} company about`, results scraped to markdown. When it finds nothing,
///    the request's `nameVariants` are tried one by one ("Acme Robotics GmbH" → "Acme Robotics"), and
///    the first name that finds something is used for the rest;
/// 2. **scrape** — the best result on the company's own site (its about page, else its home page) when
///    the search returned no markdown for it;
/// 3. **news** — `{company} funding OR acquisition OR launch OR partnership`, results scraped;
/// 4. **people** — `site:linkedin.com/in "{company}" recruiter OR "talent acquisition" OR
///    "hiring manager" OR "head of {department or job family}"`, snippets only: LinkedIn's result
///    titles ("Jane Doe - Technical Recruiter - Acme | LinkedIn") are all that is read.
///
/// A failure of the overview search fails the provider (the engine records it and moves to the next
/// provider); a failure of a later step is noted and the findings so far are returned.
///
/// One instance is shared by every research job of the process: it owns the ``RateLimiter`` (10 calls a
/// minute and 600 a day by default) and the ``CircuitBreaker`` (open after 5 consecutive failures, for
/// 60 s), and both only work when every call goes through them.
///
/// ```swift
/// let provider = FireCrawlProvider(
///     configuration: try .init(environment: ProcessInfo.processInfo.environment),
///     httpClient: httpClient,
///     logger: logger
/// )
/// if let reason = await provider.unavailableReason() { skip(reason) }
/// let findings = try await provider.gather(request)
/// ```
public struct FireCrawlProvider: CompanyResearchProvider {
    public let name = "firecrawl"
    public let configuration: Configuration
    /// The shared per-minute and per-day limits.
    public let rateLimiter: RateLimiter
    /// The shared breaker.
    public let circuitBreaker: CircuitBreaker
    /// Nil when no API key is configured.
    private let client: FireCrawlClient?
    private let logger: Logger

    /// Results asked of the overview and news searches.
    static let pageResultLimit = 5
    /// Results asked of the people search: titles are cheap (no scraping), and several are not people.
    static let peopleResultLimit = 10
    /// The most characters of one page's text kept: enough for any about page, while a huge scraped
    /// page cannot bloat the research record.
    static let maximumPageCharacters = 20_000

    /// - Parameters:
    ///   - clock: Time for the rate limiter, the breaker and retry pauses; tests pass a manual one.
    ///   - logger: Steps and retries are logged at `info` and below, without the key.
    public init(
        configuration: Configuration,
        httpClient: HTTPClient,
        clock: any ResilienceClock = SystemResilienceClock(),
        logger: Logger = Logger(label: "jobsmith.research.firecrawl", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.configuration = configuration
        self.logger = logger
        let rateLimiter = RateLimiter(
            perMinute: configuration.ratePerMinute,
            perDay: configuration.ratePerDay,
            maximumWait: configuration.rateMaximumWait,
            clock: clock
        )
        let circuitBreaker = CircuitBreaker(
            failureThreshold: configuration.breakerFailures,
            coolDown: configuration.breakerCoolDown,
            clock: clock
        )
        self.rateLimiter = rateLimiter
        self.circuitBreaker = circuitBreaker
        client = configuration.apiKey.map { key in
            FireCrawlClient(
                configuration: .init(
                    apiKey: key,
                    baseURL: configuration.baseURL,
                    timeout: configuration.timeout,
                    maximumAttempts: configuration.maximumAttempts,
                    baseDelay: configuration.retryBaseDelay,
                    maximumDelay: configuration.retryMaximumDelay
                ),
                httpClient: httpClient,
                rateLimiter: rateLimiter,
                circuitBreaker: circuitBreaker,
                clock: clock,
                logger: logger
            )
        }
    }

    /// "no FIRECRAWL_API_KEY configured", the open circuit ("circuit open until …"), the spent daily
    /// quota, or nil.
    public func unavailableReason() async -> String? {
        guard client != nil else { return "no FIRECRAWL_API_KEY configured" }
        if let reason = await circuitBreaker.unavailableReason() { return reason }
        if let reason = await rateLimiter.unavailableReason() { return reason }
        return nil
    }

    /// Searches for the company's overview, news and people, and scrapes its site when needed.
    ///
    /// - Throws: ``FireCrawlError`` when no key is configured or the overview search failed (after
    ///   retries, or refused by the breaker or the limiter); `CancellationError`.
    public func gather(_ request: CompanyResearchRequest) async throws -> ProviderFindings {
        guard let client else { throw FireCrawlError.notConfigured }
        var run = GatherRun(request: request)

        // 1. Overview, under the name and then its variants.
        var overview: [FireCrawlClient.SearchResult] = []
        for name in run.names {
            overview = try await client.search(Self.overviewQuery(name), limit: Self.pageResultLimit, includeMarkdown: true)
            run.searches += 1
            if !overview.isEmpty {
                run.usedName = name
                break
            }
        }
        guard let usedName = run.usedName else {
            let quoted = run.names.map { "'\($0)'" }
            let tried = quoted.count > 1 ? quoted.dropLast().joined(separator: ", ") + " or " + (quoted.last ?? "") : quoted.joined()
            run.notes.append("no search results for \(tried)")
            return run.findings(website: request.website)
        }
        let companyNames = [usedName] + run.names.filter { $0 != usedName }
        let site = CompanySite(known: request.website, results: overview, companyNames: companyNames)
        for result in overview {
            run.addPage(result, kind: site.kind(of: result.url))
            run.addPerson(from: result, companyNames: companyNames)
        }

        // 2. The company's own page, when the search did not bring its content.
        if let best = site.bestResult(in: overview), best.markdown == nil {
            do {
                let page = try await client.scrape(best.url)
                run.scrapes += 1
                run.addScraped(page, replacing: best.url, kind: site.kind(of: best.url))
            } catch {
                try run.noteFailure(error, step: "scrape of \(best.url)")
            }
        }

        // 3. News signals.
        do {
            let news = try await client.search(Self.newsQuery(usedName), limit: Self.pageResultLimit, includeMarkdown: true)
            run.searches += 1
            for result in news {
                run.addPage(result, kind: .news)
            }
        } catch {
            try run.noteFailure(error, step: "news search")
        }

        // 4. People on LinkedIn.
        let focus = Self.hiringFocus(department: request.department, jobTitle: request.jobTitle)
        do {
            let people = try await client.search(Self.peopleQuery(usedName, focus: focus), limit: Self.peopleResultLimit, includeMarkdown: false)
            run.searches += 1
            for result in people {
                run.addPerson(from: result, companyNames: companyNames)
            }
        } catch {
            try run.noteFailure(error, step: "people search")
        }

        let findings = run.findings(website: site.website)
        logger.info(
            "FireCrawl research finished",
            metadata: [
                "research.company": "\(request.companyName)",
                "firecrawl.searches": "\(run.searches)",
                "firecrawl.scrapes": "\(run.scrapes)",
                "research.pages": "\(findings.pages.count)",
                "research.people": "\(findings.people.count)",
            ]
        )
        return findings
    }

    // MARK: Queries

    /// The old system's overview query.
    static func overviewQuery(_ company: String) -> String {
        "\(company) company about"
    }

    /// The old system's news-signal query.
    static func newsQuery(_ company: String) -> String {
        "\(company) funding OR acquisition OR launch OR partnership"
    }

    /// The old system's people query: LinkedIn profiles naming the company and a hiring role.
    static func peopleQuery(_ company: String, focus: String) -> String {
        #"site:linkedin.com/in "\#(company)" recruiter OR "talent acquisition" OR "hiring manager" OR "head of \#(focus)""#
    }

    /// What the hiring manager would be head of: the department when the posting names one, else the
    /// job family the title belongs to ("Senior Backend Engineer" → "Engineering").
    static func hiringFocus(department: String?, jobTitle: String) -> String {
        if let department = department?.trimmingCharacters(in: .whitespacesAndNewlines), !department.isEmpty {
            return department
        }
        let words = Set(
            jobTitle.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
        )
        let title = " " + jobTitle.lowercased() + " "
        for family in jobFamilies where family.words.contains(where: { words.contains($0) }) || family.phrases.contains(where: { title.contains($0) }) {
            return family.name
        }
        // An unknown family: the title without its seniority words ("Senior Actuary" → "Actuary").
        let seniority: Set<String> = ["senior", "sr", "junior", "jr", "lead", "principal", "staff", "head", "of", "chief", "director", "manager", "vp", "intern", "i", "ii", "iii", "iv"]
        let core = jobTitle.split { $0 == " " || $0 == "," || $0 == "/" || $0 == "-" }
            .filter { !seniority.contains($0.lowercased()) && !$0.isEmpty }
            .joined(separator: " ")
        return core.isEmpty ? jobTitle : core
    }

    /// Job families, most specific first: a "Data Engineer" is in Data, a "Product Designer" in Design.
    private static let jobFamilies: [(name: String, words: Set<String>, phrases: [String])] = [
        ("Talent Acquisition", ["recruiter", "recruiting", "sourcer"], [" talent acquisition "]),
        ("People", ["hr", "payroll"], [" people partner ", " human resources ", " people operations "]),
        ("Data", ["data", "analytics", "analyst", "ml", "ai", "scientist"], [" machine learning "]),
        ("Security", ["security", "infosec", "appsec"], []),
        ("Design", ["designer", "design", "ux", "ui"], []),
        ("Marketing", ["marketing", "growth", "seo", "brand"], []),
        ("Product", ["product"], []),
        ("Sales", ["sales", "account", "bdr", "sdr"], [" business development "]),
        ("Customer Success", ["support", "success"], [" customer "]),
        ("Finance", ["finance", "accountant", "accounting", "controller", "treasury"], []),
        ("Legal", ["legal", "counsel", "paralegal", "compliance"], []),
        ("Operations", ["operations", "ops", "logistics", "supply"], []),
        (
            "Engineering",
            ["engineer", "engineering", "developer", "programmer", "devops", "sre", "architect", "cto", "software", "backend", "frontend", "fullstack", "mobile", "ios", "android", "qa"],
            [" full stack ", " site reliability "]
        ),
    ]
}

// MARK: - One gather run

/// What one `gather` call has collected so far.
private struct GatherRun {
    /// The name, then its variants; spellings differing only in case are searched once, since search
    /// engines ignore case and the old system's case variants only cost calls.
    let names: [String]
    var usedName: String?
    var searches = 0
    var scrapes = 0
    var pages: [ResearchPage] = []
    var people: [FoundPerson] = []
    var notes: [String] = []
    private var pageKeys: [String: Int] = [:]
    private var personKeys: Set<String> = []

    init(request: CompanyResearchRequest) {
        var seen: Set<String> = []
        var names: [String] = []
        for name in [request.companyName] + request.nameVariants {
            let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty, seen.insert(trimmed.lowercased()).inserted else { continue }
            names.append(trimmed)
        }
        self.names = names.isEmpty ? [request.companyName] : names
    }

    /// Adds a search result as a page: its markdown, or its snippet when the markdown is missing or
    /// fails the quality gate (a cookie wall scraped instead of the page). LinkedIn profiles are
    /// people, not pages about the company, and are left out.
    mutating func addPage(_ result: FireCrawlClient.SearchResult, kind: ResearchPage.Kind) {
        guard !LinkedInProfile.isProfileURL(result.url) else { return }
        let key = PageQuality.key(result.url)
        guard pageKeys[key] == nil else { return }
        var rejection: String?
        for text in [result.markdown, result.description].compactMap({ $0 }) {
            if let reason = PageQuality.rejection(of: text) {
                rejection = rejection ?? reason
                continue
            }
            append(ResearchPage(url: result.url, title: result.title, text: text, kind: kind), key: key)
            return
        }
        if let rejection, result.markdown != nil {
            notes.append("rejected \(result.url): \(rejection)")
        }
    }

    /// Adds a scraped page in place of the search result it was scraped for.
    mutating func addScraped(_ page: FireCrawlClient.ScrapedPage, replacing url: String, kind: ResearchPage.Kind) {
        if let rejection = PageQuality.rejection(of: page.markdown) {
            notes.append("rejected scraped \(page.url): \(rejection)")
            return
        }
        let scraped = ResearchPage(url: page.url, title: page.title, text: PageQuality.capped(page.markdown), kind: kind)
        if let index = pageKeys[PageQuality.key(url)] {
            pages[index] = scraped
        } else {
            append(scraped, key: PageQuality.key(page.url))
        }
    }

    private mutating func append(_ page: ResearchPage, key: String) {
        pageKeys[key] = pages.count
        var page = page
        page.text = PageQuality.capped(page.text)
        pages.append(page)
    }

    /// Adds the person a LinkedIn result names, when it names one who works at the company.
    mutating func addPerson(from result: FireCrawlClient.SearchResult, companyNames: [String]) {
        guard let title = result.title,
            let person = LinkedInProfile.person(title: title, url: result.url, companyNames: companyNames)
        else { return }
        let key = person.profileURL.map(PageQuality.key) ?? person.name.lowercased()
        guard personKeys.insert(key).inserted else { return }
        people.append(person)
    }

    /// Notes a later step's failure and carries on; cancellation is not a failure and propagates.
    mutating func noteFailure(_ error: any Error, step: String) throws {
        if error is CancellationError { throw error }
        notes.append("\(step) failed: \(error)")
    }

    func findings(website: String?) -> ProviderFindings {
        var summary = "\(searches) search\(searches == 1 ? "" : "es"), \(scrapes) scrape\(scrapes == 1 ? "" : "s")"
        if let usedName, usedName != names.first {
            summary += "; variant '\(usedName)' used"
        }
        var allNotes = [summary]
        if !people.isEmpty {
            allNotes.append("\(people.count) \(people.count == 1 ? "person" : "people") from LinkedIn results")
        }
        allNotes += notes
        return ProviderFindings(website: website, pages: pages, people: people, notes: allNotes)
    }
}

// MARK: - Page quality

/// A light content-quality gate for search snippets and scraped pages: FireCrawl's markdown is usually
/// clean, but a consent wall or a "please enable JavaScript" shell is still not evidence.
private enum PageQuality {
    /// Phrases of pages that hold no content of their own, checked only on short texts — a long page
    /// merely mentioning cookies is fine.
    static let boilerplate = [
        "enable javascript", "javascript is disabled", "javascript is required", "please turn on javascript",
        "we use cookies", "accept all cookies", "cookie settings", "cookie policy", "verify you are human",
        "checking your browser", "access denied", "are you a robot", "just a moment...",
    ]

    /// Why `text` is not evidence, or nil when it is.
    static func rejection(of text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let letters = trimmed.unicodeScalars.filter { CharacterSet.letters.contains($0) }.count
        if letters < 30 { return "too little text" }
        if trimmed.count < 600 {
            let lowered = trimmed.lowercased()
            if let phrase = boilerplate.first(where: { lowered.contains($0) }) {
                return "boilerplate (\"\(phrase)\")"
            }
        }
        return nil
    }

    static func capped(_ text: String) -> String {
        let limit = FireCrawlProvider.maximumPageCharacters
        guard text.count > limit else { return text }
        return String(text.prefix(limit))
    }

    /// A URL compared loosely: no scheme, `www.`, query, fragment or trailing slash, lower-cased host.
    static func key(_ url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host?.lowercased() else {
            return url.lowercased()
        }
        let bareHost = host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
        var path = components.path
        while path.hasSuffix("/") { path.removeLast() }
        return bareHost + path
    }
}

// MARK: - The company's site

/// Which search results are on the company's own site, and which of them is worth scraping.
private struct CompanySite {
    /// The company's host without `www.` (`acme.com`), when known or found.
    let host: String?

    /// Sites that are about companies but never a company's own site.
    static let aggregatorDomains = [
        "linkedin.com", "crunchbase.com", "wikipedia.org", "glassdoor.com", "indeed.com", "bloomberg.com",
        "facebook.com", "twitter.com", "x.com", "instagram.com", "youtube.com", "zoominfo.com", "pitchbook.com",
        "github.com", "medium.com", "reddit.com", "builtin.com", "wellfound.com", "angel.co", "techcrunch.com",
        "forbes.com", "reuters.com", "ycombinator.com", "owler.com", "dnb.com", "craft.co", "cbinsights.com",
        "tracxn.com", "apollo.io", "rocketreach.co", "comparably.com", "levels.fyi", "greenhouse.io", "lever.co",
        "ashbyhq.com", "workable.com", "prnewswire.com", "businesswire.com", "globenewswire.com", "yahoo.com",
    ]

    init(known website: String?, results: [FireCrawlClient.SearchResult], companyNames: [String]) {
        if let website, let host = Self.bareHost(website) ?? Self.bareHost("https://" + website) {
            self.host = host
            return
        }
        let compactNames = companyNames.map(CompanyNameMatch.compact).filter { $0.count >= 3 }
        host = results.lazy.compactMap { result in Self.bareHost(result.url).flatMap { Self.companyHost($0, compactNames: compactNames) } }.first
    }

    /// The part of `host` named after the company (`acme.com` of `careers.acme.com`), or nil when no
    /// label of it resembles a name, or it is an aggregator's.
    private static func companyHost(_ host: String, compactNames: [String]) -> String? {
        guard !aggregatorDomains.contains(where: { host == $0 || host.hasSuffix("." + $0) }) else { return nil }
        let labels = host.split(separator: ".").map(String.init)
        // Every label but the top-level domain: `acme` of `acme.com`, `careers` and `acme` of `careers.acme.co.uk`.
        for index in labels.indices.dropLast() {
            let label = labels[index].filter { $0.isLetter || $0.isNumber }
            guard label.count >= 3 else { continue }
            let resembles = compactNames.contains { name in
                name == label || (label.count >= 4 && name.hasPrefix(label)) || (name.count >= 4 && label.hasPrefix(name))
            }
            if resembles {
                return labels[index...].joined(separator: ".")
            }
        }
        return nil
    }

    /// The company's website as a URL, when known.
    var website: String? {
        host.map { "https://\($0)" }
    }

    func isOnSite(_ url: String) -> Bool {
        guard let host, let other = Self.bareHost(url) else { return false }
        return other == host || other.hasSuffix("." + host)
    }

    /// What kind of page a result is: pages of the company's own site by their path, others are search
    /// results.
    func kind(of url: String) -> ResearchPage.Kind {
        guard isOnSite(url) else { return .searchResult }
        let path = (URLComponents(string: url)?.path ?? "").lowercased()
        if path.isEmpty || path == "/" { return .home }
        if Self.aboutWords.contains(where: { path.contains($0) }) { return .about }
        if ["team", "leadership", "people", "founders"].contains(where: { path.contains($0) }) { return .team }
        if ["careers", "jobs", "join"].contains(where: { path.contains($0) }) { return .careers }
        if ["news", "press", "blog", "media"].contains(where: { path.contains($0) }) { return .news }
        return .searchResult
    }

    static let aboutWords = ["about", "company", "who-we-are", "our-story", "mission"]

    /// The result to read in full: the about page, else the home page, else any page of the site.
    func bestResult(in results: [FireCrawlClient.SearchResult]) -> FireCrawlClient.SearchResult? {
        let onSite = results.filter { isOnSite($0.url) }
        return onSite.first { kind(of: $0.url) == .about } ?? onSite.first { kind(of: $0.url) == .home } ?? onSite.first
    }

    static func bareHost(_ url: String) -> String? {
        guard let host = URLComponents(string: url)?.host?.lowercased(), host.contains(".") else { return nil }
        return host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
    }
}

// MARK: - Names

/// Compares company names as search results spell them ("Acme Robotics, Inc." and "ACME Robotics").
private enum CompanyNameMatch {
    static let legalSuffixes: Set<String> = [
        "inc", "incorporated", "llc", "ltd", "limited", "gmbh", "corp", "corporation", "co", "company", "plc",
        "ag", "sa", "sas", "bv", "nv", "ab", "as", "oy", "srl", "spa", "pty", "pte", "kg", "se", "group", "holdings",
    ]

    /// Lower-cased letters and digits, without legal suffixes: `Acme Robotics, Inc.` → `acmerobotics`.
    static func compact(_ name: String) -> String {
        var words = name.lowercased().split { !$0.isLetter && !$0.isNumber && $0 != "&" }.map(String.init)
        while words.count > 1, let last = words.last, legalSuffixes.contains(last) {
            words.removeLast()
        }
        return words.joined().filter { $0.isLetter || $0.isNumber }
    }

    /// Whether `text` (a title's company part, possibly cut short with "…") names one of `names`.
    static func matches(_ text: String, names: [String]) -> Bool {
        let truncated = text.hasSuffix("...") || text.hasSuffix("…")
        let candidate = compact(text)
        guard candidate.count >= 2 else { return false }
        return names.map(compact).contains { name in
            guard !name.isEmpty else { return false }
            if candidate == name { return true }
            if truncated, candidate.count >= 3, name.hasPrefix(candidate) { return true }
            // "Acme" for "Acme Robotics", and "Acme Robotics Europe" for "Acme Robotics".
            return (candidate.count >= 4 && name.hasPrefix(candidate)) || (name.count >= 4 && candidate.hasPrefix(name))
        }
    }
}

// MARK: - LinkedIn result titles

/// Reads a person from a LinkedIn profile's search-result title.
///
/// The forms seen in search results, all ending in a "| LinkedIn" suffix (sometimes localised or cut
/// short with "..."):
/// - `Jane Doe - Technical Recruiter - Acme | LinkedIn`
/// - `Jane Doe – Head of Engineering at Acme | LinkedIn`
/// - `Jane Doe - Acme | LinkedIn` (no role)
/// - `Jane Doe, PhD (she/her) - Director of Data Science - Acme Robotics, Inc. | LinkedIn`
///
/// Titles that name no person (a company page, "Acme jobs", a list of profiles) and people whose
/// title names another company are skipped.
private enum LinkedInProfile {
    /// Whether `url` is a LinkedIn member profile (`linkedin.com/in/…`, any country subdomain).
    static func isProfileURL(_ url: String) -> Bool {
        guard let components = URLComponents(string: url), let host = components.host?.lowercased() else { return false }
        guard host == "linkedin.com" || host.hasSuffix(".linkedin.com") else { return false }
        let path = components.path.lowercased()
        return path.hasPrefix("/in/") || path.hasPrefix("/pub/")
    }

    /// The person `title` names, when `url` is a profile and the title reads as a person at one of
    /// `companyNames`.
    static func person(title: String, url: String, companyNames: [String]) -> FoundPerson? {
        guard isProfileURL(url) else { return nil }
        let segments = segments(of: stripSuffix(title))
        guard let first = segments.first, let name = cleanName(first) else { return nil }

        var role: String?
        // Where the title says the person works: its last part, and a role's "at Acme".
        var companies: [String] = []
        let rest = Array(segments.dropFirst())
        if rest.count >= 2 {
            role = rest[0]
            companies.append(rest[rest.count - 1])
        } else if let only = rest.first {
            if CompanyNameMatch.matches(only, names: companyNames) {
                companies.append(only)
            } else {
                role = only
            }
        }
        // "Head of Engineering at Acme" / "Recruiter @ Acme".
        if let current = role, let split = splitAt(current) {
            role = split.role
            companies.append(split.company)
        }
        role = role.map(trimmingEllipsis).flatMap { $0.isEmpty ? nil : $0 }

        if !companies.isEmpty {
            guard companies.contains(where: { CompanyNameMatch.matches($0, names: companyNames) }) else { return nil }
        } else if role == nil {
            // A bare name is no evidence of working at the company.
            return nil
        }
        guard !companyNames.contains(where: { CompanyNameMatch.compact($0) == CompanyNameMatch.compact(name) }) else { return nil }
        let profile = canonicalProfileURL(url)
        return FoundPerson(name: name, role: role, profileURL: profile, source: profile)
    }

    /// The title without LinkedIn's suffix: everything from the separator before "LinkedIn".
    static func stripSuffix(_ title: String) -> String {
        var text = title.trimmingCharacters(in: .whitespacesAndNewlines)
        if let range = text.range(of: "linkedin", options: [.caseInsensitive, .backwards]) {
            let before = text[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
            if let last = before.last, "|-–—·:".contains(last) {
                text = String(before.dropLast()).trimmingCharacters(in: .whitespaces)
            } else if before.isEmpty {
                text = ""
            }
        }
        return text
    }

    /// The parts between " - ", " – ", " — ", " | " and " · ".
    static func segments(of text: String) -> [String] {
        var parts = [text]
        for separator in [" | ", " - ", " – ", " — ", " · "] {
            parts = parts.flatMap { $0.components(separatedBy: separator) }
        }
        return parts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// "Head of Engineering at Acme" → ("Head of Engineering", "Acme"); nil without " at " or " @ ".
    static func splitAt(_ text: String) -> (role: String, company: String)? {
        for separator in [" at ", " @ ", " @"] {
            if let range = text.range(of: separator, options: [.caseInsensitive, .backwards]) {
                let role = text[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
                let company = text[range.upperBound...].trimmingCharacters(in: .whitespaces)
                guard !company.isEmpty else { continue }
                return (role, company)
            }
        }
        return nil
    }

    /// Words that show a title's first part is not a person's name.
    static let nonNameWords: Set<String> = [
        "linkedin", "jobs", "job", "hiring", "careers", "career", "profiles", "people", "top", "recruiters",
        "employees", "company", "login", "sign", "join", "search", "directory", "members", "the", "and", "inc",
        "talent", "acquisition", "recruiting", "recruitment", "team", "hr", "human", "resources", "official",
    ]

    /// The name without credentials, pronouns and decoration, or nil when it does not read as a name.
    static func cleanName(_ raw: String) -> String? {
        var name = raw
        // "(she/her)", "(Jane)", "[Hiring]".
        while let open = name.firstIndex(where: { $0 == "(" || $0 == "[" }),
            let close = name[open...].firstIndex(where: { $0 == ")" || $0 == "]" })
        {
            name.removeSubrange(open...close)
        }
        // "Jane Doe, PhD, MBA" → "Jane Doe".
        if let comma = name.firstIndex(of: ",") {
            name = String(name[..<comma])
        }
        name = trimmingEllipsis(name)
        let words = name.split(whereSeparator: \.isWhitespace).map(String.init)
        guard (1...5).contains(words.count) else { return nil }
        let allowed: (Character) -> Bool = { $0.isLetter || $0 == "." || $0 == "'" || $0 == "’" || $0 == "-" }
        guard words.allSatisfy({ word in word.allSatisfy(allowed) && word.contains(where: \.isLetter) }) else { return nil }
        guard !words.contains(where: { nonNameWords.contains($0.lowercased()) }) else { return nil }
        if words.count == 1 {
            // One word is a name only in scripts without case (中文, 日本語); "Acme" is not one.
            guard let word = words.first, word.count >= 2, word.allSatisfy({ $0.isLetter && !$0.isUppercase && !$0.isLowercase }) else {
                return nil
            }
        } else {
            // Names are capitalised, though particles ("van", "de") are not.
            guard words.filter({ $0.first?.isUppercase == true }).count >= 2 || words.allSatisfy({ $0.first?.isCased == false }) else {
                return nil
            }
        }
        return words.joined(separator: " ")
    }

    static func trimmingEllipsis(_ text: String) -> String {
        var text = text.trimmingCharacters(in: .whitespaces)
        for suffix in ["...", "…"] where text.hasSuffix(suffix) {
            text = String(text.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
        }
        return text
    }

    /// The profile URL without query or fragment (tracking parameters) and with `https`.
    static func canonicalProfileURL(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.query = nil
        components.fragment = nil
        components.scheme = "https"
        return components.string ?? url
    }
}

// MARK: - Configuration

extension FireCrawlProvider {
    /// The provider's settings, each with a default and an environment variable.
    public struct Configuration: Sendable {
        /// The API key; nil leaves the provider unavailable ("no FIRECRAWL_API_KEY configured").
        /// `FIRECRAWL_API_KEY`.
        public var apiKey: String?
        /// `FIRECRAWL_BASE_URL`, default `https://api.firecrawl.dev`.
        public var baseURL: String
        /// Calls per rolling minute: `FIRECRAWL_RATE_PER_MINUTE`, default 10.
        public var ratePerMinute: Int
        /// Calls per rolling day: `FIRECRAWL_RATE_PER_DAY`, default 600.
        public var ratePerDay: Int
        /// The longest wait for a minute slot before failing "rate limited":
        /// `FIRECRAWL_RATE_MAX_WAIT_SECONDS`, default 30.
        public var rateMaximumWait: Duration
        /// One attempt's limit: `FIRECRAWL_TIMEOUT_SECONDS`, default 30.
        public var timeout: Duration
        /// Attempts per request, the first included: `FIRECRAWL_MAX_ATTEMPTS`, default 3.
        public var maximumAttempts: Int
        /// Consecutive failures that open the circuit: `FIRECRAWL_BREAKER_FAILURES`, default 5.
        public var breakerFailures: Int
        /// How long the circuit stays open: `FIRECRAWL_BREAKER_COOLDOWN_SECONDS`, default 60.
        public var breakerCoolDown: Duration
        /// The first retry's pause (doubling after). Default 1 s; not read from the environment.
        public var retryBaseDelay: Duration
        /// The longest retry pause, and the longest `Retry-After` honoured. Default 30 s; not read from
        /// the environment.
        public var retryMaximumDelay: Duration

        public init(
            apiKey: String?,
            baseURL: String = "https://api.firecrawl.dev",
            ratePerMinute: Int = 10,
            ratePerDay: Int = 600,
            rateMaximumWait: Duration = .seconds(30),
            timeout: Duration = .seconds(30),
            maximumAttempts: Int = 3,
            breakerFailures: Int = 5,
            breakerCoolDown: Duration = .seconds(60),
            retryBaseDelay: Duration = .seconds(1),
            retryMaximumDelay: Duration = .seconds(30)
        ) {
            self.apiKey = apiKey.flatMap { $0.isEmpty ? nil : $0 }
            self.baseURL = baseURL
            self.ratePerMinute = ratePerMinute
            self.ratePerDay = ratePerDay
            self.rateMaximumWait = rateMaximumWait
            self.timeout = timeout
            self.maximumAttempts = maximumAttempts
            self.breakerFailures = breakerFailures
            self.breakerCoolDown = breakerCoolDown
            self.retryBaseDelay = retryBaseDelay
            self.retryMaximumDelay = retryMaximumDelay
        }

        /// Reads the `FIRECRAWL_*` variables; unset or empty ones keep their defaults.
        ///
        /// - Throws: ``FireCrawlConfigurationError`` naming the variable, what it must be and what it
        ///   was (never for the key, whose value is not repeated).
        public init(environment: [String: String]) throws {
            let reader = FireCrawlEnvironment(environment: environment)
            self.init(
                apiKey: reader.string("FIRECRAWL_API_KEY"),
                baseURL: try reader.baseURL("FIRECRAWL_BASE_URL") ?? "https://api.firecrawl.dev",
                ratePerMinute: try reader.integer("FIRECRAWL_RATE_PER_MINUTE", in: 1...10_000) ?? 10,
                ratePerDay: try reader.integer("FIRECRAWL_RATE_PER_DAY", in: 1...10_000_000) ?? 600,
                rateMaximumWait: try reader.seconds("FIRECRAWL_RATE_MAX_WAIT_SECONDS", in: 0...3600) ?? .seconds(30),
                timeout: try reader.seconds("FIRECRAWL_TIMEOUT_SECONDS", in: 0.001...3600, allowZero: false) ?? .seconds(30),
                maximumAttempts: try reader.integer("FIRECRAWL_MAX_ATTEMPTS", in: 1...10) ?? 3,
                breakerFailures: try reader.integer("FIRECRAWL_BREAKER_FAILURES", in: 1...1000) ?? 5,
                breakerCoolDown: try reader.seconds("FIRECRAWL_BREAKER_COOLDOWN_SECONDS", in: 0...86_400) ?? .seconds(60)
            )
        }
    }
}

/// A `FIRECRAWL_*` variable with a value the provider cannot use.
public struct FireCrawlConfigurationError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The variable's name.
    public let variable: String
    /// What the value must be.
    public let expected: String
    /// The value given.
    public let value: String

    public var description: String {
        "\(variable) must be \(expected), got '\(value)'"
    }
}

/// Reads and checks environment values.
private struct FireCrawlEnvironment {
    let environment: [String: String]

    /// The trimmed value, nil when unset or empty (compose files often write `NAME=` for "unset").
    func string(_ name: String) -> String? {
        guard let value = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw FireCrawlConfigurationError(variable: name, expected: "a whole number from \(range.lowerBound) to \(range.upperBound)", value: text)
        }
        return value
    }

    func seconds(_ name: String, in range: ClosedRange<Double>, allowZero: Bool = true) throws -> Duration? {
        guard let text = string(name) else { return nil }
        guard let value = Double(text), value.isFinite, range.contains(value), allowZero || value > 0 else {
            let expected = allowZero
                ? "a number of seconds from \(Self.plain(range.lowerBound)) to \(Self.plain(range.upperBound))"
                : "a number of seconds above 0 and at most \(Self.plain(range.upperBound))"
            throw FireCrawlConfigurationError(variable: name, expected: expected, value: text)
        }
        return .milliseconds(Int64((value * 1000).rounded()))
    }

    /// An `http(s)://host[:port][/path]` URL, without its trailing slashes.
    func baseURL(_ name: String) throws -> String? {
        guard var text = string(name) else { return nil }
        while text.hasSuffix("/") { text.removeLast() }
        let lowered = text.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://"),
            let components = URLComponents(string: text), let host = components.host, !host.isEmpty,
            components.query == nil, components.fragment == nil
        else {
            throw FireCrawlConfigurationError(variable: name, expected: "an http:// or https:// URL such as https://api.firecrawl.dev", value: text)
        }
        return text
    }

    private static func plain(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
