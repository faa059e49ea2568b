import Foundation

/// Reads the people a company's team, leadership or about page names, with their roles.
///
/// Works on the page's plain text (one block per line, as ``HTMLText`` renders it), so the same rules
/// read HTML pages and markdown from other providers. It recognises the layouts team pages use:
/// - cards: a name line followed by a role line (`<h3>Ada Okafor</h3><p>Co-founder & CEO</p>`);
/// - one line per person: `Ada Okafor — CEO`, `Ada Okafor, CEO`, `Ada Okafor | CEO`, `Ada Okafor (CEO)`,
///   as paragraphs or list items.
///
/// A person is only read with a role that looks like a job title, and a name must look like a
/// person's name (two to four capitalised words, no digits, none of the words menus and headings are
/// made of). That rejects "Our Team", "Open Positions", "Berlin Office" and the company's own name,
/// at the price of missing people listed without any role, who are of little use for outreach anyway.
///
/// ```swift
/// let people = WebsitePeopleReader(companyName: "Northwind Robotics")
///     .people(inText: page.text, sourceURL: page.url)
/// ```
public struct WebsitePeopleReader: Sendable {
    /// The company's name, whose words are never a person's name here.
    public let companyName: String

    public init(companyName: String = "") {
        self.companyName = companyName
    }

    /// The people named in `text`, each once (the first mention wins), in page order.
    ///
    /// - Parameter sourceURL: The page's URL, recorded as each person's ``FoundPerson/source``.
    public func people(inText text: String, sourceURL: String) -> [FoundPerson] {
        let lines = WebsiteTextMatching.lines(text).map(Self.withoutListMarker)
        let companyWords = Set(WebsiteTextMatching.words(companyName).map { $0.lowercased() })
        var people: [FoundPerson] = []
        var seen: Set<String> = []

        func add(_ name: String, _ role: String) {
            let key = name.lowercased()
            guard !seen.contains(key) else { return }
            seen.insert(key)
            people.append(FoundPerson(name: name, role: role, source: sourceURL))
        }

        var index = 0
        while index < lines.count {
            let line = lines[index]
            if let (name, role) = splitPersonLine(line, companyWords: companyWords) {
                add(name, role)
                index += 1
                continue
            }
            if index + 1 < lines.count, let name = personName(line, companyWords: companyWords),
                let role = jobTitle(lines[index + 1])
            {
                add(name, role)
                index += 2
                continue
            }
            index += 1
        }
        return people
    }

    // MARK: - One-line layouts

    /// `Name — Role`, `Name, Role`, `Name | Role`, `Name: Role`, `Name (Role)`.
    func splitPersonLine(_ line: String, companyWords: Set<String>) -> (String, String)? {
        guard line.count <= 140 else { return nil }
        if line.hasSuffix(")"), let open = line.firstIndex(of: "(") {
            let name = String(line[..<open])
            let role = String(line[line.index(after: open)..<line.index(before: line.endIndex)])
            if let name = personName(name, companyWords: companyWords), let role = jobTitle(role) { return (name, role) }
        }
        for separator in Self.separators {
            guard let range = line.range(of: separator) else { continue }
            let name = String(line[..<range.lowerBound])
            let role = String(line[range.upperBound...])
            if let name = personName(name, companyWords: companyWords), let role = jobTitle(role) { return (name, role) }
        }
        return nil
    }

    private static let separators = [" — ", " – ", " - ", " | ", " · ", ", ", ": ", "—", "–"]

    // MARK: - Names

    /// The text as a person's name (honorifics and trailing punctuation removed), or nil.
    func personName(_ text: String, companyWords: Set<String>) -> String? {
        var words = WebsiteTextMatching.collapsingWhitespace(text).split(separator: " ").map(String.init)
        while let first = words.first, Self.honorifics.contains(first.lowercased().trimmingSuffix(".")) {
            words.removeFirst()
        }
        while let last = words.last, Self.postNominals.contains(last.lowercased().trimmingSuffix(".").trimmingSuffix(",")) {
            words.removeLast()
        }
        if var last = words.last {
            while let character = last.last, character == "," || character == "." || character == ":" || character == ";" {
                last.removeLast()
            }
            words[words.count - 1] = last
        }
        guard (2...4).contains(words.count) else { return nil }
        var fullWords = 0
        for (position, word) in words.enumerated() {
            let lower = word.lowercased()
            if position > 0, position < words.count - 1, Self.particles.contains(lower) { continue }
            guard let first = word.first, first.isUppercase, first.isLetter else { return nil }
            guard word.allSatisfy({ $0.isLetter || $0 == "-" || $0 == "'" || $0 == "’" || $0 == "." }) else { return nil }
            let letters = word.count { $0.isLetter }
            if letters >= 2 {
                fullWords += 1
            } else if !(letters == 1 && word.count == 2 && word.hasSuffix(".")) {
                return nil
            }
            // "ADA OKAFOR" is a heading style, but "NASA"-like all-capital words mostly are not names.
            if letters > 3, word.allSatisfy({ !$0.isLetter || $0.isUppercase }) { return nil }
            let parts = lower.split { $0 == "-" || $0 == "'" || $0 == "’" || $0 == "." }.map(String.init)
            if parts.contains(where: { Self.notNameWords.contains($0) || companyWords.contains($0) }) { return nil }
            if Self.notNameWords.contains(lower) || companyWords.contains(lower) { return nil }
        }
        guard fullWords >= 2 else { return nil }
        return words.joined(separator: " ")
    }

    // MARK: - Roles

    /// The text as a job title, or nil when it holds no title word or reads like a sentence.
    func jobTitle(_ text: String) -> String? {
        var role = WebsiteTextMatching.collapsingWhitespace(text)
        while let last = role.last, last == "." || last == "," || last == ";" {
            role.removeLast()
        }
        guard !role.isEmpty, role.count <= 90 else { return nil }
        let words = WebsiteTextMatching.words(role).map { $0.lowercased() }
        guard (1...12).contains(words.count), words.contains(where: { Self.titleWords.contains($0) }) else { return nil }
        // Bios start with the person's first name and a verb; titles have no verbs of that kind.
        guard !words.contains(where: { Self.sentenceWords.contains($0) }) else { return nil }
        return role
    }

    // MARK: - Word lists

    /// The line without a leading `- `, `* `, `• ` or `1. ` bullet (HTMLText writes `- `, markdown from
    /// other providers any of them).
    static func withoutListMarker(_ line: String) -> String {
        for marker in ["- ", "* ", "• "] where line.hasPrefix(marker) { return String(line.dropFirst(2)) }
        if let space = line.firstIndex(of: " "), line[..<space].count <= 4, line[..<space].hasSuffix("."),
            line[..<line.index(before: space)].allSatisfy(\.isNumber)
        {
            return String(line[line.index(after: space)...])
        }
        return line
    }

    static let honorifics: Set<String> = ["dr", "prof", "professor", "mr", "mrs", "ms", "mx", "sir", "dame"]
    static let postNominals: Set<String> = ["phd", "ph.d", "md", "mba", "jr", "sr", "ii", "iii", "cpa"]
    static let particles: Set<String> = [
        "van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "del", "della", "dos", "das", "bin", "al", "ter",
        "ten", "y", "zu",
    ]

    /// Words that make a line a job title.
    static let titleWords: Set<String> = [
        "ceo", "cto", "cfo", "coo", "cmo", "cpo", "cro", "cio", "ciso", "chro", "vp", "svp", "evp", "founder",
        "cofounder", "chief", "officer", "president", "head", "director", "manager", "lead", "leader", "engineer",
        "engineering", "recruiter", "recruiting", "recruitment", "talent", "designer", "scientist", "researcher",
        "analyst", "architect", "developer", "counsel", "chair", "chairman", "chairwoman", "chairperson",
        "partner", "principal", "advisor", "adviser", "specialist", "coordinator", "associate", "consultant",
        "administrator", "accountant", "controller", "owner", "executive", "intern", "sales", "marketing",
        "operations", "product", "hr", "finance", "strategy", "editor", "writer", "technician", "supervisor",
        "representative", "assistant", "secretary", "treasurer", "board", "investor", "evangelist",
        "programmer", "sourcer", "generalist", "people", "member", "staff", "producer", "strategist",
    ]

    /// Words of bios and sentences, never of a title.
    static let sentenceWords: Set<String> = [
        "is", "was", "are", "were", "has", "have", "had", "joined", "joins", "spent", "loves", "leads", "led",
        "previously", "before", "he", "she", "they", "we", "our", "you", "your", "this", "that", "will", "can",
        "read", "more", "view", "profile", "see", "apply",
    ]

    /// Words of headings, menus, places and titles that never appear in a person's name on a team page.
    static let notNameWords: Set<String> = {
        var words: Set<String> = [
            "our", "the", "team", "teams", "meet", "about", "us", "contact", "join", "careers", "career", "news",
            "press", "read", "more", "view", "all", "learn", "home", "leadership", "management", "directors",
            "advisors", "advisory", "investors", "company", "story", "mission", "values", "open", "positions",
            "jobs", "job", "privacy", "policy", "terms", "cookie", "cookies", "settings", "blog", "events",
            "products", "solutions", "platform", "services", "customers", "partners", "people", "office",
            "offices", "series", "funding", "welcome", "hello", "follow", "linkedin", "twitter", "email", "and",
            "of", "for", "with", "in", "at", "to", "by", "on", "we", "you", "your", "is", "are", "new", "york",
            "san", "francisco", "inc", "ltd", "llc", "gmbh", "corp", "robotics", "technologies", "technology",
            "labs", "systems", "group", "global", "worldwide", "europe", "america", "north", "south", "east",
            "west", "benefits", "culture", "life", "work", "working", "remote", "hybrid", "apply",
            "today", "now", "why", "how", "what", "who", "where", "when", "latest", "recent", "featured",
            "announcements", "releases", "release", "media", "kit", "resources", "support", "help", "faq",
            "login", "sign", "up", "get", "started", "demo", "request", "pricing", "features", "overview",
            "case", "studies", "study", "documentation", "docs", "api", "status", "security", "legal",
            "imprint", "impressum", "sitemap", "language", "english", "engineers", "founders", "executive",
            "leaders", "staff", "members", "member", "board",
        ]
        words.formUnion(titleWords)
        return words
    }()
}

extension String {
    /// The string without one trailing `suffix`, if it ends with it.
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
