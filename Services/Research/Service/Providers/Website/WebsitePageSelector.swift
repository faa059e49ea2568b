import Foundation

/// Picks, from the links on a company's home page, the pages research should read: about, team,
/// leadership, news, careers, press and blog, in that order of usefulness, on the same host.
///
/// A link qualifies by its path ("/about-us", "/company/team", "/en/careers.html") or its text
/// ("Meet the team", "Newsroom"). The last path segment counts most, the link text next, an earlier
/// segment least; each topic keeps its best link (the first on the page among equals). Only the
/// site's own host is followed (with or without `www.`): a careers link to a job board or a news link
/// to a magazine is someone else's site.
enum WebsitePageSelector {
    /// A page to fetch and what it is expected to be.
    struct Candidate: Sendable, Equatable {
        var url: URL
        var kind: ResearchPage.Kind
        /// The topic it was picked for (`team`, `leadership`, `press`…), for logs and notes.
        var topic: String
    }

    private struct Topic {
        let name: String
        let kind: ResearchPage.Kind
        let pathWords: Set<String>
        let texts: Set<String>
    }

    /// In order of usefulness: when the page limit cuts the list, the last topics go first.
    private static let topics: [Topic] = [
        Topic(
            name: "about",
            kind: .about,
            pathWords: ["about", "about-us", "aboutus", "about_us", "company", "who-we-are", "our-story", "story", "mission"],
            texts: ["about", "about us", "company", "the company", "who we are", "our story", "our mission", "mission"]
        ),
        Topic(
            name: "team",
            kind: .team,
            pathWords: ["team", "our-team", "the-team", "meet-the-team", "people", "our-people", "teams"],
            texts: ["team", "our team", "the team", "meet the team", "people", "our people"]
        ),
        Topic(
            name: "leadership",
            kind: .team,
            pathWords: ["leadership", "leadership-team", "management", "founders", "executives", "executive-team", "board"],
            texts: ["leadership", "our leadership", "leadership team", "management", "founders", "board", "executive team"]
        ),
        Topic(
            name: "news",
            kind: .news,
            pathWords: ["news", "newsroom", "company-news", "latest-news"],
            texts: ["news", "newsroom", "latest news", "company news"]
        ),
        Topic(
            name: "careers",
            kind: .careers,
            pathWords: ["careers", "career", "jobs", "join-us", "join", "work-with-us", "hiring", "open-positions", "vacancies"],
            texts: ["careers", "jobs", "join us", "work with us", "we're hiring", "we’re hiring", "open positions", "join the team"]
        ),
        Topic(
            name: "press",
            kind: .news,
            pathWords: ["press", "press-releases", "pressroom", "media", "in-the-news", "press-room"],
            texts: ["press", "media", "press releases", "in the news", "press room"]
        ),
        Topic(
            name: "blog",
            kind: .news,
            pathWords: ["blog", "updates", "announcements", "stories", "insights"],
            texts: ["blog", "updates", "announcements", "stories", "insights"]
        ),
    ]

    private static let skippedExtensions: Set<String> = [
        "pdf", "png", "jpg", "jpeg", "gif", "svg", "webp", "zip", "xml", "json", "rss", "mp4", "mp3", "css", "js", "ics",
    ]

    /// The pages to read, best topics first, without the home page itself and without duplicates.
    static func candidates(from links: [WebsiteHTML.Link], home: URL) -> [Candidate] {
        guard let homeHost = home.host.map(siteHost) else { return [] }
        var best: [String: (candidate: Candidate, score: Int)] = [:]
        let homeKey = pageKey(home)
        for link in links {
            guard let host = link.url.host, siteHost(host) == homeHost, pageKey(link.url) != homeKey,
                let (topic, score) = classify(link)
            else { continue }
            if let current = best[topic.name], current.score >= score { continue }
            best[topic.name] = (Candidate(url: link.url, kind: topic.kind, topic: topic.name), score)
        }
        var seen: Set<String> = []
        var result: [Candidate] = []
        for topic in topics {
            guard let candidate = best[topic.name]?.candidate else { continue }
            let key = pageKey(candidate.url)
            guard !seen.contains(key) else { continue }
            seen.insert(key)
            result.append(candidate)
        }
        return result
    }

    /// The topic a link leads to and how sure that is (3 last path segment, 2 link text, 1 earlier
    /// segment), or nil.
    private static func classify(_ link: WebsiteHTML.Link) -> (Topic, Int)? {
        var segments = link.url.path.lowercased().split(separator: "/").map(String.init)
        if let last = segments.last, let dot = last.lastIndex(of: ".") {
            let fileExtension = String(last[last.index(after: dot)...])
            if skippedExtensions.contains(fileExtension) { return nil }
            segments[segments.count - 1] = String(last[..<dot])
        }
        // Deep paths are articles and sub-pages ("/news/2025/03/series-b"), not the section pages.
        guard segments.count <= 3 else { return nil }
        let text = WebsiteTextMatching.collapsingWhitespace(link.text.lowercased())
        var best: (Topic, Int)?
        for topic in topics {
            var score = 0
            if let last = segments.last, topic.pathWords.contains(last) {
                score = 3
            } else if topic.texts.contains(text) {
                score = 2
            } else if segments.dropLast().contains(where: topic.pathWords.contains) {
                score = 1
            }
            if score > (best?.1 ?? 0) { best = (topic, score) }
        }
        return best
    }

    /// The host without a leading `www.`, lowercased: `www.acme.com` and `acme.com` are one site.
    static func siteHost(_ host: String) -> String {
        let lower = host.lowercased()
        return lower.hasPrefix("www.") ? String(lower.dropFirst(4)) : lower
    }

    /// A key under which `/about`, `/about/` and `https://www.acme.com/about` are the same page.
    static func pageKey(_ url: URL) -> String {
        var path = url.path
        while path.hasSuffix("/") { path.removeLast() }
        let query = url.query.map { "?\($0)" } ?? ""
        return "\(url.host.map(siteHost) ?? ""):\(url.port ?? 0)\(path)\(query)"
    }
}
