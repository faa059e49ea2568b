import Foundation

/// Reads ``CompanySignal``s — funding, acquisitions, leadership changes, launches, partnerships,
/// growth — from the text of a company's pages, each dated and with the page as its source.
///
/// Deterministic and offline: every kind is a pair of word lists (an event verb and what it acts on),
/// so the research engine finds the same signals on every run and without a language model. One
/// sentence gives at most one signal, of the first kind that matches in the order funding,
/// acquisition, leadership change, partnership, product launch, growth (a funding round "to expand
/// into Europe" is funding, not growth).
///
/// Dates come from the sentence itself ("In March 2025 we…") or else from the date line of the news
/// item it belongs to. News listings put the date either above each headline (the nearest preceding
/// date line) or just below it; the reader tells the two layouts apart per page by what precedes the
/// date lines, so a headline is not dated with the previous item's date. The headline and the body of
/// one item often report the same event; only the first signal of each kind per item is kept.
///
/// ```swift
/// let signals = CompanySignalReader().signals(in: newsPage)
/// // [CompanySignal(kind: .funding, summary: "Northwind Robotics raises $40M Series B…",
/// //                date: "2025-03-14", sourceURL: "https://northwind.example/news")]
/// ```
public struct CompanySignalReader: Sendable {
    public init() {}

    /// The signals on one page, with the page's URL as their source.
    public func signals(in page: ResearchPage) -> [CompanySignal] {
        signals(inText: page.text, sourceURL: page.url)
    }

    /// The signals in `text`, in the order they appear.
    ///
    /// - Parameters:
    ///   - text: Plain text, one block per line (``HTMLText``'s output, or markdown).
    ///   - sourceURL: Recorded as each signal's ``CompanySignal/sourceURL``.
    public func signals(inText text: String, sourceURL: String?) -> [CompanySignal] {
        let lines = WebsiteTextMatching.lines(text).map(WebsitePeopleReader.withoutListMarker)
        let dates = lines.map(CompanyDateReader.dateLine)
        let datesFollowHeadlines = Self.datesFollowHeadlines(lines: lines, dates: dates)

        var signals: [CompanySignal] = []
        var seen: Set<String> = []
        var contextDate: String?
        var item: Int?
        for (index, line) in lines.enumerated() {
            if let date = dates[index] {
                contextDate = date
                item = index
                continue
            }
            var lineDate = contextDate
            var lineItem = item
            // A headline whose date line comes right after it belongs to that date's item.
            if datesFollowHeadlines, index + 1 < lines.count, let next = dates[index + 1] {
                lineDate = next
                lineItem = index + 1
            }
            for sentence in Self.sentences(in: line) {
                guard let kind = Self.kind(of: sentence) else { continue }
                let ownDate = CompanyDateReader.firstDate(in: sentence)
                let date = ownDate ?? lineDate
                let key: String
                if let lineItem {
                    key = "\(kind.rawValue)|item \(lineItem)|\(date ?? "")"
                } else {
                    key = "\(kind.rawValue)|\(WebsiteTextMatching.padded(sentence))"
                }
                guard !seen.contains(key) else { continue }
                seen.insert(key)
                signals.append(CompanySignal(kind: kind, summary: Self.summary(sentence), date: date, sourceURL: sourceURL))
            }
        }
        return signals
    }

    /// The signal one sentence reports, or nil.
    ///
    /// - Parameter contextDate: The date to use when the sentence gives none (its news item's date).
    public func signal(inSentence sentence: String, sourceURL: String? = nil, contextDate: String? = nil) -> CompanySignal? {
        guard let kind = Self.kind(of: sentence) else { return nil }
        let date = CompanyDateReader.firstDate(in: sentence) ?? contextDate
        return CompanySignal(kind: kind, summary: Self.summary(sentence), date: date, sourceURL: sourceURL)
    }

    // MARK: - Classification

    /// The kind of event `sentence` reports, or nil for none (or for boilerplate).
    static func kind(of sentence: String) -> CompanySignal.Kind? {
        let wordCount = WebsiteTextMatching.wordCount(sentence)
        guard (4...80).contains(wordCount), !sentence.hasSuffix("?") else { return nil }
        var text = WebsiteTextMatching.padded(sentence)
        guard !WebsiteTextMatching.containsAny(text, boilerplate), !sentence.contains("©") else { return nil }
        for phrase in notEvents {
            text = text.replacingOccurrences(of: phrase, with: " ")
        }
        if isFunding(text) { return .funding }
        if WebsiteTextMatching.containsAny(text, acquisitionPhrases) { return .acquisition }
        if WebsiteTextMatching.containsAny(text, leadershipVerbs), WebsiteTextMatching.containsAny(text, leadershipTitles) {
            return .leadershipChange
        }
        if WebsiteTextMatching.containsAny(text, partnershipPhrases) { return .partnership }
        if WebsiteTextMatching.containsAny(text, launchPhrases), !WebsiteTextMatching.containsAny(text, founding) {
            return .productLaunch
        }
        if WebsiteTextMatching.containsAny(text, growthPhrases)
            || (WebsiteTextMatching.containsAny(text, growthVerbs)
                && (WebsiteTextMatching.containsAny(text, growthObjects) || text.contains("%")))
        {
            return .growth
        }
        return nil
    }

    private static func isFunding(_ text: String) -> Bool {
        let money = hasMoney(text)
        if WebsiteTextMatching.containsAny(text, fundingNouns) {
            return money || WebsiteTextMatching.containsAny(text, fundingVerbs)
        }
        return money && WebsiteTextMatching.containsAny(text, raisingVerbs) && !WebsiteTextMatching.containsAny(text, charity)
    }

    /// Whether the padded text names an amount of money: `$40m`, `€10 million`, `usd 5 million`,
    /// `12 million dollars`.
    static func hasMoney(_ text: String) -> Bool {
        let tokens = text.split(separator: " ")
        for (index, token) in tokens.enumerated() {
            if let first = token.first, currencySymbols.contains(first), token.dropFirst().first?.isNumber == true {
                return true
            }
            guard token.first?.isNumber == true, index + 1 < tokens.count, ["million", "billion", "bn", "mn"].contains(tokens[index + 1])
            else {
                continue
            }
            let before = index > 0 ? String(tokens[index - 1]) : ""
            let after = index + 2 < tokens.count ? String(tokens[index + 2]) : ""
            if currencyWords.contains(before) || currencyWords.contains(after) { return true }
        }
        return false
    }

    // MARK: - Sentences

    /// The sentences of one line: split after `.`, `!` or `?` followed by a space and a capital
    /// letter, digit or quote, except after abbreviations and initials ("Inc.", "Dr.", "J. R."), and at
    /// the ` · `, ` | ` and ` • ` that separate a headline from "Read the announcement".
    static func sentences(in line: String) -> [String] {
        var pieces = [line]
        for separator in [" · ", " | ", " • "] {
            pieces = pieces.flatMap { $0.components(separatedBy: separator) }
        }
        return pieces.flatMap(sentences(inPiece:))
    }

    private static func sentences(inPiece line: String) -> [String] {
        let characters = Array(line)
        var sentences: [String] = []
        var start = 0
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "." || character == "!" || character == "?",
                index + 2 < characters.count, characters[index + 1] == " ",
                characters[index + 2].isUppercase || characters[index + 2].isNumber || "\"“‘'".contains(characters[index + 2]),
                !(character == "." && endsWithAbbreviation(characters[start..<index]))
            {
                let sentence = WebsiteTextMatching.trimmed(String(characters[start...index]))
                if !sentence.isEmpty { sentences.append(sentence) }
                start = index + 2
                index += 2
                continue
            }
            index += 1
        }
        let rest = WebsiteTextMatching.trimmed(String(characters[min(start, characters.count)...]))
        if !rest.isEmpty { sentences.append(rest) }
        return sentences
    }

    private static func endsWithAbbreviation(_ text: ArraySlice<Character>) -> Bool {
        let word = String(text.reversed().prefix { !$0.isWhitespace }.reversed())
        let lower = word.lowercased().trimmingEnds("(\"“")
        if lower.count == 1, lower.first?.isLetter == true { return true }
        return abbreviations.contains(lower)
    }

    /// The sentence as a signal's summary: whitespace collapsed, cut to 300 characters.
    static func summary(_ sentence: String) -> String {
        WebsiteTextMatching.shortened(WebsiteTextMatching.collapsingWhitespace(sentence), to: 300)
    }

    /// Whether a page's dates stand below its headlines rather than above them: most date lines are
    /// preceded by a short line without a full stop (a headline) rather than by a paragraph that ends
    /// one (the previous item's body) or by nothing. Ties keep the common layout, dates first.
    static func datesFollowHeadlines(lines: [String], dates: [String?]) -> Bool {
        var below = 0
        var above = 0
        for index in lines.indices where dates[index] != nil {
            var previous = index - 1
            while previous >= 0, linkLines.contains(lines[previous].lowercased().trimmingEnds(" →›»>.")) {
                previous -= 1
            }
            guard previous >= 0, dates[previous] == nil else {
                above += 1
                continue
            }
            let line = lines[previous]
            let isHeadline = WebsiteTextMatching.wordCount(line) <= 16 && !(line.hasSuffix(".") || line.hasSuffix("!"))
            if isHeadline { below += 1 } else { above += 1 }
        }
        // The page heading ("Newsroom") precedes the first date line in both layouts: only a clear
        // majority of headline-then-date pairs means dates follow headlines.
        return below > above + 1
    }

    // MARK: - Word lists

    private static let linkLines: Set<String> = ["read more", "learn more", "continue reading", "read the announcement", "more"]
    private static let abbreviations: Set<String> = [
        "inc", "ltd", "co", "corp", "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "e.g", "i.e", "u.s", "u.k",
        "no", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "est",
    ]
    private static let currencySymbols: Set<Character> = ["$", "€", "£"]
    private static let currencyWords: Set<String> = [
        "usd", "eur", "gbp", "chf", "dollars", "euros", "pounds", "us$", "sek", "cad", "aud", "inr", "jpy",
    ]

    /// Sentences with these are site chrome or legal text, never news.
    static let boilerplate = WebsiteTextMatching.phrases([
        "cookie", "cookies", "privacy policy", "all rights reserved", "subscribe", "newsletter", "terms of service",
        "terms of use", "javascript", "forward looking", "sign up", "unsubscribe", "follow us",
    ])

    /// Phrases that hold an event word without being an event ("talent acquisition partner", "press
    /// release"); they are removed before the kinds are matched.
    static let notEvents = WebsiteTextMatching.phrases([
        "talent acquisition", "customer acquisition", "user acquisition", "data acquisition", "image acquisition",
        "acquisition cost", "acquisition costs", "acquisition channels", "acquired skills", "acquired knowledge",
        "acquired experience", "press release", "press releases", "news release", "release notes",
    ])

    static let fundingNouns = WebsiteTextMatching.phrases([
        "series a", "series b", "series c", "series d", "series e", "series f", "seed round", "seed funding",
        "seed financing", "seed investment", "pre seed", "funding round", "round of funding", "in funding",
        "investment round", "growth round", "financing round", "round of financing", "venture funding",
        "venture round", "growth equity", "strategic investment", "new funding", "total funding", "bridge round",
    ])
    static let fundingVerbs = WebsiteTextMatching.phrases([
        "raised", "raises", "raising", "secured", "secures", "closed", "closes", "announced", "announces", "lands",
        "landed", "completed", "completes", "received", "receives", "led by",
    ])
    static let raisingVerbs = WebsiteTextMatching.phrases(["raised", "raises", "secured", "secures", "has raised"])
    static let charity = WebsiteTextMatching.phrases(["charity", "donated", "donation", "donations", "fundraiser"])

    static let acquisitionPhrases = WebsiteTextMatching.phrases([
        "acquired", "acquires", "acquiring", "to acquire", "acquisition of", "acquisition by", "completes acquisition",
        "merged with", "merger with", "merges with", "agreed to buy",
    ])

    static let leadershipVerbs = WebsiteTextMatching.phrases([
        "appointed", "appoints", "appointment of", "named", "names", "joins", "joined", "hired", "hires", "promoted",
        "promotes", "welcomes", "welcomed", "steps down", "stepped down", "step down", "succeeds", "succeeded",
        "takes over as", "took over as", "elected", "new ceo", "new cto", "new cfo", "to lead",
    ])
    static let leadershipTitles = WebsiteTextMatching.phrases([
        "ceo", "cto", "cfo", "coo", "cmo", "cpo", "cro", "cio", "ciso", "chro", "chief", "president", "vp", "svp",
        "evp", "vice president", "head of", "chair", "chairman", "chairwoman", "board of directors",
        "managing director", "general manager", "director of", "country manager",
    ])

    static let partnershipPhrases = WebsiteTextMatching.phrases([
        "partnered with", "partners with", "partnering with", "partnership with", "strategic partnership",
        "partnership between", "teamed up with", "teams up with", "joined forces with", "joins forces with",
        "alliance with", "collaboration with", "collaborates with", "collaborated with",
    ])

    static let launchPhrases = WebsiteTextMatching.phrases([
        "launched", "launches", "launch of", "introduced", "introduces", "unveiled", "unveils", "released", "releases",
        "debuted", "debuts", "rolled out", "rolls out", "general availability", "generally available",
        "now available",
    ])
    static let founding = WebsiteTextMatching.phrases(["founded", "was launched in", "company was launched"])

    static let growthPhrases = WebsiteTextMatching.phrases([
        "expanded into", "expands into", "expansion into", "expansion to", "new office", "opened an office",
        "opens an office", "new headquarters", "year over year", "became profitable", "reached profitability",
        "grew to", "has grown to",
    ])
    static let growthVerbs = WebsiteTextMatching.phrases([
        "doubled", "tripled", "quadrupled", "grew", "grown", "surpassed", "crossed", "reached", "expanded",
        "expands", "opened", "opens", "added", "hired", "increased", "topped", "scaled",
    ])
    static let growthObjects = WebsiteTextMatching.phrases([
        "revenue", "revenues", "arr", "sales", "headcount", "employees", "people", "team", "staff", "customers",
        "clients", "users", "office", "offices", "headquarters", "hq", "markets", "countries", "cities",
        "locations", "warehouses", "sites", "deployments", "percent",
    ])
}

extension String {
    /// The string without any of `characters` at either end.
    fileprivate func trimmingEnds(_ characters: String) -> String {
        var text = Substring(self)
        while let first = text.first, characters.contains(first) { text = text.dropFirst() }
        while let last = text.last, characters.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
