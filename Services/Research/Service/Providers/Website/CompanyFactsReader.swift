import Foundation

/// What a company says about itself, read from its pages: a one-paragraph summary, an industry hint
/// and its size when stated.
public struct CompanyFacts: Sendable, Equatable {
    /// The first good descriptive paragraph of the about page (else the home page), at most 400
    /// characters.
    public var summary: String?
    /// The page the summary came from.
    public var summarySourceURL: String?
    /// A broad industry label ("Robotics", "Financial services"), when the pages clearly point at one.
    public var industry: String?
    /// The number of people the company says it has: 120 for "a team of 120", 500 for "500+ employees".
    public var employeeCount: Int?
    /// The phrase the count was read from, as written ("500+ employees", "over 2,000 people").
    public var employeeCountText: String?

    public init(
        summary: String? = nil,
        summarySourceURL: String? = nil,
        industry: String? = nil,
        employeeCount: Int? = nil,
        employeeCountText: String? = nil
    ) {
        self.summary = summary
        self.summarySourceURL = summarySourceURL
        self.industry = industry
        self.employeeCount = employeeCount
        self.employeeCountText = employeeCountText
    }
}

/// Reads ``CompanyFacts`` from a company's pages, deterministically and offline.
///
/// - Summary: about pages are read before home pages, and within a page the first paragraph that is a
///   description — at least 12 words, ending a sentence, no cookie or copyright text, not a list item —
///   preferring one that describes the company ("… is a …", "we build …", its name). Whole sentences
///   are kept up to 400 characters; a longer first sentence is cut at a word.
/// - Industry: keyword families ("robot", "warehouse automation" → Robotics) counted over the summary
///   and the about and home pages; the family with the most hits wins if it has at least two.
/// - Size: "team of 120", "120 employees", "500+ people", "over 2,000 staff", "a 40-person team",
///   "headcount of 300", "employs 80", read from the about, home, team, careers and news pages in that
///   order; the first statement wins.
///
/// ```swift
/// let facts = CompanyFactsReader(companyName: "Northwind Robotics").facts(from: pages)
/// ```
public struct CompanyFactsReader: Sendable {
    public let companyName: String

    public init(companyName: String = "") {
        self.companyName = companyName
    }

    public func facts(from pages: [ResearchPage]) -> CompanyFacts {
        var facts = CompanyFacts()
        if let (summary, url) = summary(from: pages) {
            facts.summary = summary
            facts.summarySourceURL = url
        }
        let descriptive = pages.filter { $0.kind == .about || $0.kind == .home }.map(\.text)
        facts.industry = industry(in: [facts.summary ?? ""] + descriptive)
        let sizeOrder: [ResearchPage.Kind] = [.about, .home, .team, .careers, .news, .searchResult, .posting]
        for kind in sizeOrder {
            for page in pages where page.kind == kind {
                if let (count, text) = employeeCount(in: page.text) {
                    facts.employeeCount = count
                    facts.employeeCountText = text
                    return facts
                }
            }
        }
        return facts
    }

    // MARK: - Summary

    /// The summary and its page's URL.
    func summary(from pages: [ResearchPage]) -> (String, String)? {
        for kind in [ResearchPage.Kind.about, .home] {
            for page in pages where page.kind == kind {
                if let paragraph = descriptiveParagraph(in: page.text) {
                    return (Self.cut(paragraph, to: 400), page.url)
                }
            }
        }
        return nil
    }

    /// The first descriptive paragraph of `text`, preferring one that describes the company.
    func descriptiveParagraph(in text: String) -> String? {
        let candidates = WebsiteTextMatching.lines(text).filter(isGoodParagraph)
        let companyPhrase = WebsiteTextMatching.padded(companyName)
        let describing = candidates.first { paragraph in
            let padded = WebsiteTextMatching.padded(paragraph)
            return WebsiteTextMatching.containsAny(padded, Self.descriptionMarkers)
                || (companyPhrase.count > 2 && padded.contains(companyPhrase))
        }
        return describing ?? candidates.first
    }

    private func isGoodParagraph(_ line: String) -> Bool {
        guard !line.hasPrefix("- "), TextNumbering.isNumbered(line) == false else { return false }
        guard WebsiteTextMatching.wordCount(line) >= 12, let last = line.last, ".!”\"".contains(last) else { return false }
        let padded = WebsiteTextMatching.padded(line)
        return !WebsiteTextMatching.containsAny(padded, CompanySignalReader.boilerplate) && !line.contains("©")
    }

    /// Whole sentences of `paragraph` up to `limit` characters; the first sentence cut at a word when
    /// it alone is longer.
    static func cut(_ paragraph: String, to limit: Int) -> String {
        let text = WebsiteTextMatching.collapsingWhitespace(paragraph)
        guard text.count > limit else { return text }
        var result = ""
        for sentence in CompanySignalReader.sentences(in: text) {
            let candidate = result.isEmpty ? sentence : result + " " + sentence
            guard candidate.count <= limit else { break }
            result = candidate
        }
        return result.isEmpty ? WebsiteTextMatching.shortened(text, to: limit) : result
    }

    private static let descriptionMarkers = WebsiteTextMatching.phrases([
        "is a", "is an", "is the", "we build", "we make", "we design", "we develop", "we help", "we provide",
        "we are a", "we re a", "builds", "develops", "designs", "provides", "helps", "makes", "founded",
        "our mission", "on a mission",
    ])

    // MARK: - Industry

    func industry(in texts: [String]) -> String? {
        let padded = texts.map(WebsiteTextMatching.padded)
        var best: (label: String, hits: Int)?
        for family in Self.industries {
            let hits = padded.reduce(0) { total, text in
                total + family.keywords.reduce(0) { $0 + text.phraseCount(of: $1) }
            }
            if hits >= 2, hits > (best?.hits ?? 0) { best = (family.label, hits) }
        }
        return best?.label
    }

    private static let industries: [(label: String, keywords: [String])] = [
        ("Robotics", ["robot", "robots", "robotic", "robotics", "automation", "autonomous mobile"]),
        (
            "Financial services",
            ["fintech", "payments", "payment", "banking", "bank", "lending", "credit card", "financial services", "trading"]
        ),
        ("Healthcare", ["healthcare", "health care", "clinical", "patients", "patient", "hospital", "hospitals", "medical"]),
        ("Biotechnology", ["biotech", "biotechnology", "drug discovery", "therapeutics", "genomics"]),
        ("Cybersecurity", ["cybersecurity", "security platform", "threat", "threats", "zero trust", "vulnerability"]),
        ("Artificial intelligence", ["artificial intelligence", "machine learning", "ai", "llm", "llms", "generative"]),
        ("Software", ["saas", "software", "platform", "developer tools", "cloud", "api"]),
        ("Logistics", ["logistics", "supply chain", "freight", "shipping", "fulfilment", "fulfillment", "warehouse", "warehouses"]),
        ("Retail & e-commerce", ["e commerce", "ecommerce", "retail", "retailers", "online store", "shoppers"]),
        ("Education", ["education", "edtech", "students", "learning platform", "teachers", "courses"]),
        ("Energy", ["energy", "solar", "battery", "batteries", "renewable", "grid", "climate"]),
        ("Gaming", ["gaming", "games", "game studio", "players"]),
        ("Insurance", ["insurance", "insurtech", "insurer", "policyholders"]),
        ("Real estate", ["real estate", "proptech", "property", "properties", "tenants"]),
        ("Automotive", ["automotive", "vehicles", "vehicle", "cars", "electric vehicles"]),
        (
            "Staffing & recruiting",
            ["staffing", "recruitment agency", "recruiting agency", "talent solutions", "headhunting", "executive search", "placements"]
        ),
        ("Media", ["media", "publishing", "publisher", "journalism", "newsroom", "streaming"]),
    ].map { family in (family.0, WebsiteTextMatching.phrases(family.1)) }

    // MARK: - Size

    /// The first headcount `text` states, with the phrase as written.
    func employeeCount(in text: String) -> (Int, String)? {
        let tokens = text.split(whereSeparator: \.isWhitespace).map(String.init)
        let lower = tokens.map { Self.bare($0.lowercased()) }
        for index in tokens.indices {
            guard let count = Self.number(lower[index]) else { continue }
            // "team of 120", "team of over 120", "headcount of 300", "employs 80"
            var start = index
            var qualifier = index - 1
            if qualifier >= 0, Self.approximations.contains(lower[qualifier]) {
                start = qualifier
                qualifier -= 1
            }
            if qualifier >= 1, lower[qualifier] == "than",
                ["more", "fewer", "less"].contains(lower[qualifier - 1])
            {
                start = qualifier - 1
                qualifier -= 2
            }
            if qualifier >= 1, lower[qualifier] == "of", ["team", "headcount", "workforce", "staff"].contains(lower[qualifier - 1]) {
                return (count, Self.phrase(tokens, from: qualifier - 1, through: index))
            }
            if qualifier >= 0, ["employs", "employ", "employing"].contains(lower[qualifier]) {
                let hasNoun = index + 1 < tokens.count && Self.peopleNouns.contains(lower[index + 1])
                return (count, Self.phrase(tokens, from: qualifier, through: hasNoun ? index + 1 : index))
            }
            // "a 40-person team", "120-strong team"
            if let hyphen = lower[index].firstIndex(of: "-") {
                let unit = String(lower[index][lower[index].index(after: hyphen)...])
                if ["person", "people", "strong"].contains(unit) {
                    return (count, Self.phrase(tokens, from: start, through: min(index + 1, tokens.count - 1)))
                }
                continue
            }
            // "120 employees", "500+ people", "2,000 team members", "40 full-time employees"
            var next = index + 1
            while next < lower.count, Self.headcountAdjectives.contains(lower[next]) {
                next += 1
            }
            guard next < lower.count else { continue }
            if Self.peopleNouns.contains(lower[next]) {
                return (count, Self.phrase(tokens, from: start, through: next))
            }
            if lower[next] == "team", next + 1 < lower.count, lower[next + 1] == "members" {
                return (count, Self.phrase(tokens, from: start, through: next + 1))
            }
        }
        return nil
    }

    private static let approximations: Set<String> = [
        "over", "nearly", "almost", "about", "around", "approximately", "roughly", "some",
    ]
    private static let peopleNouns: Set<String> = ["employees", "people", "staff", "colleagues", "teammates", "workers"]
    private static let headcountAdjectives: Set<String> = [
        "full-time", "fulltime", "talented", "passionate", "dedicated", "amazing", "brilliant", "curious",
    ]

    /// `120`, `2,000`, `500+`, `2k`, and the leading number of `40-person`.
    private static func number(_ token: String) -> Int? {
        var text = token
        if let hyphen = text.firstIndex(of: "-") { text = String(text[..<hyphen]) }
        if text.hasSuffix("+") { text.removeLast() }
        var multiplier = 1
        if text.hasSuffix("k"), text.count > 1 {
            text.removeLast()
            multiplier = 1_000
        }
        let digits = text.filter { $0 != "," }
        guard !digits.isEmpty, digits.count <= 7, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(digits) else {
            return nil
        }
        let count = value * multiplier
        // A plain four-digit year ("in 2019 people…") and a single person are not headcounts.
        let looksLikeYear = multiplier == 1 && digits == text && !token.contains("+") && (1990...2099).contains(count)
        guard count >= 2, count < 5_000_000, !looksLikeYear else { return nil }
        return count
    }

    /// The token lowercased without surrounding punctuation other than `+` and `-`.
    private static func bare(_ token: String) -> String {
        var text = Substring(token)
        while let first = text.first, !(first.isLetter || first.isNumber) { text = text.dropFirst() }
        while let last = text.last, !(last.isLetter || last.isNumber || last == "+") { text = text.dropLast() }
        return String(text)
    }

    private static func phrase(_ tokens: [String], from start: Int, through end: Int) -> String {
        var words = tokens[start...end].map { $0 }
        if var last = words.last {
            while let character = last.last, ",.;:)!".contains(character) { last.removeLast() }
            words[words.count - 1] = last
        }
        if var first = words.first {
            while let character = first.first, "(\"“".contains(character) { first.removeFirst() }
            words[0] = first
        }
        return words.joined(separator: " ")
    }
}

/// Recognises numbered paragraphs ("1. Ship features") that are list items in plain text.
private enum TextNumbering {
    static func isNumbered(_ line: String) -> Bool {
        guard let space = line.firstIndex(of: " ") else { return false }
        let marker = line[..<space]
        guard marker.count >= 2, marker.count <= 4, let last = marker.last, last == "." || last == ")" else { return false }
        return marker.dropLast().allSatisfy(\.isNumber)
    }
}

extension String {
    /// How many times `needle` occurs in the string, without overlaps.
    fileprivate func phraseCount(of needle: String) -> Int {
        guard !needle.isEmpty else { return 0 }
        var count = 0
        var searchRange = startIndex..<endIndex
        while let found = self.range(of: needle, range: searchRange) {
            count += 1
            // Phrases are padded with spaces: the closing space can open the next match.
            searchRange = index(before: found.upperBound)..<endIndex
        }
        return count
    }
}
