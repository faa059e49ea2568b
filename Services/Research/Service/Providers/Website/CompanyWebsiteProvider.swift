import Foundation
import HTTPClient
import Logging
import TextAnalysis

/// The company's own website as evidence: its home page and the about, team, leadership, news,
/// careers, press and blog pages the home page links to, each past the ``ContentQualityGate``, and the
/// people its team pages name.
///
/// Polite by construction: pages are fetched one after another, only on the site's own host, at most
/// ``CompanyWebsiteConfiguration/maxPages`` of them after the home page, each with its own timeout and
/// size cap and a `User-Agent` that says who is reading. A page that fails (404, timeout, too large,
/// a cookie wall) is noted and skipped; only a known website whose home page cannot be fetched at all
/// fails the provider.
///
/// Without a website in the request it guesses `https://{normalized-name}.com` (when
/// ``CompanyWebsiteConfiguration/guessDomain`` allows), as the old system did, but keeps a guess only
/// when the page there names the company: a parked or unrelated domain is not the company's site.
///
/// ```swift
/// let provider = CompanyWebsiteProvider(client: client, configuration: try .init(environment: environment))
/// let findings = try await provider.gather(CompanyResearchRequest(companyName: "Northwind Robotics",
///                                                                   website: "https://northwind.example",
///                                                                   jobTitle: "Robotics Engineer"))
/// ```
public struct CompanyWebsiteProvider: CompanyResearchProvider {
    public let name = "website"
    public let configuration: CompanyWebsiteConfiguration
    private let client: HTTPClient
    private let gate: ContentQualityGate
    private let logger: Logger

    /// - Parameters:
    ///   - client: The service's HTTP client; the provider only sends `GET`s through it.
    ///   - gate: The content rules pages must pass.
    ///   - logger: Where fetches are logged (at `debug`).
    public init(
        client: HTTPClient,
        configuration: CompanyWebsiteConfiguration = .init(),
        gate: ContentQualityGate = .init(),
        logger: Logger = Logger(label: "jobsmith.research.website")
    ) {
        self.client = client
        self.configuration = configuration
        self.gate = gate
        self.logger = logger
    }

    public func unavailableReason() async -> String? {
        configuration.offline ? "offline mode (RESEARCH_OFFLINE=1)" : nil
    }

    /// Fetches the site and returns its accepted pages, the people on its team pages, and a note for
    /// every page rejected or skipped.
    ///
    /// - Throws: ``CompanyWebsiteError`` when the request's website is not a usable URL or its home page
    ///   cannot be fetched; `CancellationError` when the task is cancelled.
    public func gather(_ request: CompanyResearchRequest) async throws -> ProviderFindings {
        guard !configuration.offline else {
            return ProviderFindings(notes: ["offline mode (RESEARCH_OFFLINE=1): nothing fetched"])
        }
        var notes: [String] = []
        guard let home = try await findHome(for: request, notes: &notes) else {
            return ProviderFindings(notes: notes)
        }

        var pages: [ResearchPage] = []
        var people: [FoundPerson] = []
        let peopleReader = WebsitePeopleReader(companyName: request.companyName)
        let homeURL = home.url

        if let page = accept(home, kind: .home, home: homeURL, notes: &notes) {
            pages.append(page)
        }

        let candidates = WebsitePageSelector.candidates(from: WebsiteHTML.links(in: home.html, base: homeURL), home: homeURL)
        if candidates.isEmpty {
            notes.append("the home page links to no about, team, news or careers page")
        } else if candidates.count > configuration.maxPages {
            let left = candidates.dropFirst(configuration.maxPages).map { Self.displayPath($0.url, home: homeURL) }
            notes.append(
                "read \(configuration.maxPages) of \(candidates.count) linked pages (RESEARCH_WEBSITE_MAX_PAGES=\(configuration.maxPages)); "
                    + "not fetched: \(left.joined(separator: ", "))"
            )
        }

        // Two links can redirect to one page (`/people` → `/team`); it is read once.
        var readPages: Set<String> = [WebsitePageSelector.pageKey(homeURL)]
        for candidate in candidates.prefix(configuration.maxPages) {
            let path = Self.displayPath(candidate.url, home: homeURL)
            let fetched: FetchedPage
            switch try await fetch(candidate.url) {
            case .page(let page): fetched = page
            case .skipped(let reason):
                notes.append("skipped \(path): \(reason)")
                continue
            }
            guard let host = fetched.url.host, let homeHost = homeURL.host,
                WebsitePageSelector.siteHost(host) == WebsitePageSelector.siteHost(homeHost)
            else {
                notes.append("skipped \(path): redirected off the site to \(fetched.url.host ?? fetched.url.absoluteString)")
                continue
            }
            guard readPages.insert(WebsitePageSelector.pageKey(fetched.url)).inserted else {
                notes.append("skipped \(path): the same page as one already read")
                continue
            }
            guard let page = accept(fetched, kind: candidate.kind, home: homeURL, notes: &notes) else { continue }
            pages.append(page)
            if page.kind == .team || page.kind == .about {
                Self.add(peopleReader.people(inText: page.text, sourceURL: page.url), from: fetched, to: &people)
            }
        }

        logger.debug(
            "website research finished",
            metadata: [
                "research.website": "\(Self.origin(of: homeURL))",
                "research.pages": "\(pages.count)",
                "research.people": "\(people.count)",
            ]
        )
        return ProviderFindings(website: Self.origin(of: homeURL), pages: pages, people: people, notes: notes)
    }

    /// The home page: the request's website, or a guessed one; nil (with notes saying why) when there
    /// is none to read.
    private func findHome(for request: CompanyResearchRequest, notes: inout [String]) async throws -> FetchedPage? {
        if let website = request.website, !WebsiteTextMatching.trimmed(website).isEmpty {
            guard let url = Self.homeURL(website) else { throw CompanyWebsiteError.invalidWebsite(website) }
            switch try await fetch(url) {
            case .page(let page): return page
            case .skipped(let reason): throw CompanyWebsiteError.homeUnreachable(url.absoluteString, reason: reason)
            }
        }
        guard configuration.guessDomain else {
            notes.append("no website known and domain guessing is off (RESEARCH_GUESS_DOMAIN=0)")
            return nil
        }
        return try await guessHome(for: request, notes: &notes)
    }

    /// Adds the people read from one page, with the profile links the page gives them; a person
    /// already found keeps their first mention but gains a profile link they lacked (the about page
    /// names a founder, the team page links their profile).
    private static func add(_ found: [FoundPerson], from page: FetchedPage, to people: inout [FoundPerson]) {
        guard !found.isEmpty else { return }
        let links = WebsiteHTML.links(in: page.html, base: page.url)
        for var person in found {
            let profile = profileURL(for: person.name, in: links)
            if let known = people.firstIndex(where: { $0.name.lowercased() == person.name.lowercased() }) {
                if people[known].profileURL == nil { people[known].profileURL = profile }
                continue
            }
            person.profileURL = profile
            people.append(person)
        }
    }

    // MARK: - Pages

    /// A page as fetched: where it ended up after redirects, and its HTML.
    struct FetchedPage: Sendable {
        var url: URL
        var html: String
    }

    enum FetchResult: Sendable {
        case page(FetchedPage)
        /// Why there is no page, for a note: `HTTP 404`, `timed out`.
        case skipped(String)
    }

    /// The page's text if the gate accepts it, as a ``ResearchPage``; otherwise nil and a note.
    private func accept(_ fetched: FetchedPage, kind: ResearchPage.Kind, home: URL, notes: inout [String]) -> ResearchPage? {
        let text = HTMLText.plainText(from: WebsiteHTML.removingChrome(from: fetched.html))
        switch gate.evaluate(text: text, html: fetched.html) {
        case .accepted:
            return ResearchPage(url: fetched.url.absoluteString, title: WebsiteHTML.title(in: fetched.html), text: text, kind: kind)
        case .rejected(let rejection):
            notes.append("rejected \(Self.displayPath(fetched.url, home: home)): \(rejection)")
            logger.debug(
                "website page rejected",
                metadata: ["research.url": "\(fetched.url.absoluteString)", "research.reason": "\(rejection.reason.rawValue)"]
            )
            return nil
        }
    }

    /// One polite `GET`: the provider's user agent, timeout and size cap. Transport failures and
    /// non-2xx or non-HTML answers become ``FetchResult/skipped(_:)``.
    ///
    /// - Throws: `CancellationError`, and errors that are not about the page (a stopped thread pool).
    func fetch(_ url: URL) async throws -> FetchResult {
        let request = HTTPRequest(
            method: .get,
            url: url.absoluteString,
            headers: [
                HTTPHeader(name: "User-Agent", value: configuration.userAgent),
                HTTPHeader(name: "Accept", value: "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.5"),
                HTTPHeader(name: "Accept-Language", value: "en;q=1.0, *;q=0.5"),
            ],
            timeout: configuration.pageTimeout,
            maxResponseBytes: configuration.maxPageBytes
        )
        let response: HTTPResponse
        do {
            response = try await client.execute(request)
        } catch let error as HTTPClientError {
            logger.debug("website page failed", metadata: ["research.url": "\(url.absoluteString)", "research.error": "\(error)"])
            return .skipped(Self.reason(for: error))
        }
        logger.debug("website page fetched", metadata: ["research.url": "\(response.url)", "research.status": "\(response.status)"])
        guard response.isSuccess else { return .skipped("HTTP \(response.status)") }
        if let type = response.header("Content-Type")?.lowercased(), !type.contains("html"), !type.contains("text/plain") {
            return .skipped("not a web page (\(type))")
        }
        return .page(FetchedPage(url: URL(string: response.url) ?? url, html: response.bodyText))
    }

    private static func reason(for error: HTTPClientError) -> String {
        switch error.kind {
        case .timedOut: "timed out"
        case .responseTooLarge: "larger than the page size cap"
        case .connectionFailed: "could not connect"
        case .invalidURL: "invalid URL"
        default: "\(error)"
        }
    }

    // MARK: - Guessing

    /// Tries `https://{name}.com` for the name and its variants (three at most) and returns the first
    /// home page that names the company.
    private func guessHome(for request: CompanyResearchRequest, notes: inout [String]) async throws -> FetchedPage? {
        var slugs: [String] = []
        for name in [request.companyName] + request.nameVariants {
            let slug = Self.domainName(for: name)
            if !slug.isEmpty, !slugs.contains(slug) { slugs.append(slug) }
        }
        guard !slugs.isEmpty else {
            notes.append("no website known and the name '\(request.companyName)' gives no domain to guess")
            return nil
        }
        let names = [request.companyName] + request.nameVariants
        for slug in slugs.prefix(3) {
            let address = configuration.guessTemplate.replacingOccurrences(of: "{name}", with: slug)
            guard let url = URL(string: address) else { continue }
            switch try await fetch(url) {
            case .skipped(let reason):
                notes.append("guessed \(address): \(reason)")
            case .page(let page):
                let plainText = HTMLText.plainText(from: page.html)
                // A parked, blocked or missing page is not the company's site, whatever its title says
                // (parking pages show the very domain that was guessed). A cookie wall or a thin page
                // may still be the right site, so only these reasons rule a guess out.
                if let rejection = gate.evaluate(text: plainText, html: page.html).rejection,
                    Self.guessRulingReasons.contains(rejection.reason)
                {
                    notes.append("guessed \(address): \(rejection)")
                    continue
                }
                let text = WebsiteTextMatching.padded((WebsiteHTML.title(in: page.html) ?? "") + "\n" + plainText)
                let namesCompany = names.contains { name in
                    let phrase = WebsiteTextMatching.padded(Self.withoutLegalSuffixes(name))
                    return phrase.count > 2 && text.contains(phrase)
                }
                guard namesCompany else {
                    notes.append("guessed \(address): the page does not name \(request.companyName); ignored")
                    continue
                }
                notes.append("website guessed as \(Self.origin(of: page.url))")
                return page
            }
        }
        return nil
    }

    private static let guessRulingReasons: Set<ContentRejection.Reason> = [.parkedDomain, .errorPage, .accessDenied, .botChallenge]

    /// The name as a domain label: lowercased, accents and legal suffixes removed, `&` as `and`, only
    /// letters and digits. "Northwind Robotics, Inc." → `northwindrobotics`.
    static func domainName(for name: String) -> String {
        let folded = withoutLegalSuffixes(name)
            .folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
            .lowercased()
            .replacingOccurrences(of: "&", with: " and ")
        return String(
            folded.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }.map(Character.init))
    }

    /// The name without "Inc.", "GmbH", "Ltd" and the like, and without a leading "The".
    static func withoutLegalSuffixes(_ name: String) -> String {
        var words = name.split { $0.isWhitespace || $0 == "," }.map(String.init)
        while let last = words.last, legalSuffixes.contains(last.lowercased().filter { $0 != "." }) {
            words.removeLast()
        }
        if words.count > 1, words.first?.lowercased() == "the" { words.removeFirst() }
        return words.joined(separator: " ")
    }

    private static let legalSuffixes: Set<String> = [
        "inc", "llc", "ltd", "limited", "gmbh", "ag", "sa", "sas", "sarl", "bv", "nv", "plc", "corp", "corporation", "co",
        "company", "pty", "oy", "ab", "as", "srl", "spa", "kk", "lp", "llp", "se", "kg", "ug",
    ]

    // MARK: - URLs

    /// The request's website as an absolute URL: `acme.com` becomes `https://acme.com/`.
    static func homeURL(_ website: String) -> URL? {
        var text = WebsiteTextMatching.trimmed(website)
        let lower = text.lowercased()
        if !lower.hasPrefix("http://"), !lower.hasPrefix("https://") {
            // `ftp://…`, `mailto:…`: another scheme, not a bare host to put `https://` in front of.
            guard !lower.contains("://"), !lower.hasPrefix("mailto:") else { return nil }
            text = "https://" + text
        }
        guard var components = URLComponents(string: text), let host = components.host, !host.isEmpty, !host.contains(" ") else {
            return nil
        }
        if components.path.isEmpty { components.path = "/" }
        components.fragment = nil
        return components.url
    }

    /// `scheme://host[:port]`.
    static func origin(of url: URL) -> String {
        let scheme = url.scheme ?? "https"
        let port = url.port.map { ":\($0)" } ?? ""
        return "\(scheme)://\(url.host ?? "")\(port)"
    }

    /// `/about` for a page on the site, the whole URL for anything else.
    static func displayPath(_ url: URL, home: URL) -> String {
        guard url.host == home.host, url.port == home.port else { return url.absoluteString }
        let path = url.path.isEmpty ? "/" : url.path
        return url.query.map { "\(path)?\($0)" } ?? path
    }

    /// The person's profile link on their team page: a LinkedIn (or similar) profile whose address
    /// holds their first and last name, as team cards link them.
    static func profileURL(for name: String, in links: [WebsiteHTML.Link]) -> String? {
        let parts = name.split(separator: " ").map {
            String($0).folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        }
        guard let first = parts.first, let last = parts.last, parts.count >= 2 else { return nil }
        return links.first { link in
            guard let host = link.url.host?.lowercased(), profileHosts.contains(where: { host == $0 || host.hasSuffix("." + $0) }) else {
                return false
            }
            let path = link.url.path.lowercased()
            return path.contains(first) && path.contains(last)
        }?.url.absoluteString
    }

    private static let profileHosts = ["linkedin.com", "github.com", "x.com", "twitter.com"]
}

/// Why the website provider could not research a company's site at all.
public struct CompanyWebsiteError: Error, CustomStringConvertible, Equatable {
    private enum Code: Equatable {
        case invalidWebsite(String)
        case homeUnreachable(url: String, reason: String)
    }

    private let code: Code

    private init(_ code: Code) {
        self.code = code
    }

    /// The request's website is not an `http`/`https` address.
    public static func invalidWebsite(_ website: String) -> Self { .init(.invalidWebsite(website)) }

    /// The home page could not be fetched (`reason`: `HTTP 503`, `timed out`…).
    public static func homeUnreachable(_ url: String, reason: String) -> Self { .init(.homeUnreachable(url: url, reason: reason)) }

    public var description: String {
        switch code {
        case .invalidWebsite(let website): "website '\(website)' is not an http or https address"
        case .homeUnreachable(let url, let reason): "home page \(url) could not be fetched: \(reason)"
        }
    }
}
