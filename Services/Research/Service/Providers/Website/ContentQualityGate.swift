/// Decides whether the text extracted from a web page is the page's real content, or something that
/// stands in front of it: a cookie or consent wall, a "please enable JavaScript" shell, a bot
/// challenge, an access-denied, not-found or parked-domain page, or too little text to be worth reading.
///
/// The old system fed such pages to its summariser, which then "researched" a company from its cookie
/// banner. Every rule here is a fixed list of phrases plus a word-count threshold, so the same page
/// always gets the same verdict and a rejection can name its reason in the run's report.
///
/// The rules, in the order they are tried (the first that fires decides):
/// 1. **Bot challenge** — a challenge phrase ("checking your browser", "verify you are human",
///    "captcha", "ddos protection by") in the text, or a Cloudflare challenge marker in the HTML, on a
///    page with fewer than ``Thresholds-swift.struct/interstitialWords`` words.
/// 2. **Access denied** — "access denied", "403 forbidden", "you have been blocked"… on a page under
///    ``Thresholds-swift.struct/interstitialWords`` words.
/// 3. **Parked domain** — "this domain is for sale", "buy this domain"… under the same limit (a guessed
///    `{name}.com` often lands on one).
/// 4. **Error page** — "page not found", "404 error"… under the same limit (servers that answer 200
///    for a missing page).
/// 5. **JavaScript required** — "enable JavaScript", "you need to enable JavaScript to run this app"…
///    in a page with fewer than ``Thresholds-swift.struct/interstitialWords`` words of other text; the
///    same phrase found only in the HTML (inside `<noscript>`, which text extraction drops) or an empty
///    app mount point (`<div id="root"></div>`, `__next`, `app`) on a page under
///    ``Thresholds-swift.struct/minimumWords`` words.
/// 6. **Cookie wall** — lines that talk about cookies or consent ("we use cookies", "accept all",
///    "consent preferences", "GDPR") hold at least ``Thresholds-swift.struct/consentShare`` of the words
///    of a page of at most ``Thresholds-swift.struct/shortPageWords`` words, or what is left without them
///    is under ``Thresholds-swift.struct/minimumWords`` words. A real page with a cookie banner passes:
///    the banner is a small share of it.
/// 7. **Too little text** — fewer than ``Thresholds-swift.struct/minimumWords`` words or
///    ``Thresholds-swift.struct/minimumCharacters`` characters.
///
/// ```swift
/// let gate = ContentQualityGate()
/// switch gate.evaluate(text: HTMLText.plainText(from: html), html: html) {
/// case .accepted: keep(page)
/// case .rejected(let rejection): notes.append("rejected \(path): \(rejection)")
/// }
/// ```
public struct ContentQualityGate: Sendable {
    /// The numbers the rules compare against.
    public struct Thresholds: Sendable, Equatable {
        /// Fewest words a page must have, not counting cookie and consent lines. Default 30: a team page
        /// of six name-and-role cards with a heading passes, a "Loading…" shell does not.
        public var minimumWords: Int
        /// Fewest characters a page must have. Default 150, for pages of a few very long words.
        public var minimumCharacters: Int
        /// Pages with fewer words than this can be interstitials (challenge, access denied, not found,
        /// parked, JavaScript required) when such a phrase appears. Default 150: those pages are a
        /// sentence or two, while a real page that merely mentions "404" or "JavaScript" is longer.
        public var interstitialWords: Int
        /// Pages up to this many words count as short for the cookie-wall share rule. Default 400.
        public var shortPageWords: Int
        /// The share of a short page's words in cookie or consent lines above which it is a cookie wall.
        /// Default 0.4: a consent dialog over a thin page, not a banner under a real one.
        public var consentShare: Double

        public init(
            minimumWords: Int = 30,
            minimumCharacters: Int = 150,
            interstitialWords: Int = 150,
            shortPageWords: Int = 400,
            consentShare: Double = 0.4
        ) {
            self.minimumWords = minimumWords
            self.minimumCharacters = minimumCharacters
            self.interstitialWords = interstitialWords
            self.shortPageWords = shortPageWords
            self.consentShare = consentShare
        }
    }

    public let thresholds: Thresholds

    public init(thresholds: Thresholds = .init()) {
        self.thresholds = thresholds
    }

    /// Judges one page.
    ///
    /// - Parameters:
    ///   - text: The page's plain text, as ``HTMLText`` extracts it (one block per line).
    ///   - html: The page's HTML when there is one, for the signs text extraction removes (`<noscript>`
    ///     messages, empty app mount points, challenge scripts). Markdown or text sources pass `nil`.
    /// - Returns: ``ContentVerdict/accepted`` or the first rule that rejects the page.
    public func evaluate(text: String, html: String? = nil) -> ContentVerdict {
        let page = PageMeasure(text: text)
        // The markup is only searched on short pages: a page of real content is judged by its text.
        let isShort = page.words < thresholds.interstitialWords
        let needsMarkup = page.words < max(thresholds.interstitialWords, thresholds.minimumWords)
        let rawMarkup = needsMarkup ? html?.lowercased() ?? "" : ""

        if isShort {
            if let phrase = WebsiteTextMatching.firstMatch(page.padded, Self.challengePhrases)
                ?? Self.challengeMarkers.first(where: { rawMarkup.contains($0) })
            {
                return .rejected(.init(.botChallenge, "\"\(phrase)\" on a page of \(page.words) words"))
            }
            if let phrase = WebsiteTextMatching.firstMatch(page.padded, Self.accessDeniedPhrases) {
                return .rejected(.init(.accessDenied, "\"\(phrase)\" on a page of \(page.words) words"))
            }
            if let phrase = WebsiteTextMatching.firstMatch(page.padded, Self.parkedPhrases) {
                return .rejected(.init(.parkedDomain, "\"\(phrase)\" on a page of \(page.words) words"))
            }
            if let phrase = WebsiteTextMatching.firstMatch(page.padded, Self.notFoundPhrases) {
                return .rejected(.init(.errorPage, "\"\(phrase)\" on a page of \(page.words) words"))
            }
        }

        if let rejection = javaScriptRejection(page, rawMarkup: rawMarkup) {
            return .rejected(rejection)
        }
        if let rejection = cookieWallRejection(page) {
            return .rejected(rejection)
        }
        if page.words < thresholds.minimumWords || page.characters < thresholds.minimumCharacters {
            return .rejected(.init(.tooLittleText, "\(page.words) words, \(page.characters) characters"))
        }
        return .accepted
    }

    // MARK: - Rules

    private func javaScriptRejection(_ page: PageMeasure, rawMarkup: String) -> ContentRejection? {
        let otherWords = page.words - page.wordsInLines(matching: Self.javaScriptPhrases)
        if otherWords < thresholds.interstitialWords,
            let phrase = WebsiteTextMatching.firstMatch(page.padded, Self.javaScriptPhrases)
        {
            return .init(.javaScriptRequired, "\"\(phrase)\" with \(otherWords) words of other text")
        }
        guard page.words < thresholds.minimumWords, !rawMarkup.isEmpty else { return nil }
        if let phrase = WebsiteTextMatching.firstMatch(WebsiteTextMatching.padded(rawMarkup), Self.javaScriptPhrases) {
            return .init(.javaScriptRequired, "\"\(phrase)\" in the markup, \(page.words) words of text")
        }
        if let mount = Self.emptyMountPoints.first(where: { rawMarkup.contains($0) }) {
            return .init(.javaScriptRequired, "empty app mount point \(mount), \(page.words) words of text")
        }
        return nil
    }

    private func cookieWallRejection(_ page: PageMeasure) -> ContentRejection? {
        let consentWords = page.consentWords
        // A single "We use cookies." line on an empty page is still a cookie wall, but a stray mention
        // of cookies in a two-word line is not evidence of one.
        guard consentWords >= 6, page.words > 0 else { return nil }
        let share = Double(consentWords) / Double(page.words)
        let percent = Int((share * 100).rounded())
        if page.words <= thresholds.shortPageWords, share >= thresholds.consentShare {
            return .init(.cookieWall, "consent text is \(percent)% of \(page.words) words")
        }
        if page.words - consentWords < thresholds.minimumWords {
            return .init(.cookieWall, "\(page.words - consentWords) words besides the consent text")
        }
        return nil
    }

    // MARK: - Phrases

    /// Words that make a line part of a cookie or consent notice.
    static let consentPhrases = WebsiteTextMatching.phrases([
        "cookie", "cookies", "consent", "gdpr", "ccpa", "privacy preferences", "privacy settings",
        "privacy choices", "accept all", "reject all", "allow all", "deny all", "decline all",
        "manage preferences", "manage settings", "manage options", "legitimate interest", "tracking technologies",
        "personalised ads", "personalized ads", "personalised advertising", "personalized advertising",
        "do not sell", "we and our partners", "our vendors", "store and or access information on a device",
    ])

    /// Short lines that are the buttons and toggles of a consent dialog; they count as consent text
    /// only on a page that already has a consent line.
    static let consentControls: Set<String> = [
        "accept", "accept all", "accept cookies", "allow", "allow all", "decline", "reject", "reject all",
        "deny", "agree", "i agree", "ok", "got it", "save", "save preferences", "save settings", "settings",
        "customise", "customize", "preferences", "strictly necessary", "necessary", "functional",
        "analytics", "statistics", "marketing", "performance", "advertising", "always active",
        "confirm my choices", "more options", "learn more",
    ]

    static let javaScriptPhrases = WebsiteTextMatching.phrases([
        "enable javascript", "javascript is disabled", "javascript is required", "requires javascript",
        "javascript must be enabled", "turn on javascript", "javascript enabled", "without javascript",
        "enable js", "javascript to run this app", "browser does not support javascript",
        "javascript is turned off", "activate javascript",
    ])

    static let challengePhrases = WebsiteTextMatching.phrases([
        "checking your browser", "checking if the site connection is secure", "verify you are human",
        "verifying you are human", "verify that you are human", "are you a robot", "not a robot",
        "complete the security check", "captcha", "ddos protection by", "press and hold", "press hold",
        "unusual traffic from your", "just a moment", "please stand by while we are checking",
        "attention required", "performance security by cloudflare", "cloudflare ray id",
    ])

    /// Cloudflare's and other vendors' challenge-page markup, checked in the raw lowercased HTML.
    static let challengeMarkers = [
        "cf-browser-verification", "cf_chl_", "/cdn-cgi/challenge-platform", "challenge-form",
        "g-recaptcha", "h-captcha", "_incapsula_resource", "px-captcha",
    ]

    static let accessDeniedPhrases = WebsiteTextMatching.phrases([
        "access denied", "access to this page has been denied", "you don t have permission to access",
        "you do not have permission to access", "403 forbidden", "error 403", "request blocked",
        "you have been blocked", "your ip has been blocked", "request unsuccessful", "error 1020",
        "not authorized to view this page",
    ])

    static let parkedPhrases = WebsiteTextMatching.phrases([
        "this domain is for sale", "domain is for sale", "buy this domain", "this domain may be for sale",
        "domain may be for sale", "domain parking", "parked free", "this domain has expired",
        "domain has been registered", "is parked",
    ])

    static let notFoundPhrases = WebsiteTextMatching.phrases([
        "page not found", "404 not found", "404 error", "error 404", "this page could not be found",
        "page could not be found", "page you requested could not be found", "page you are looking for",
        "page you re looking for", "page doesn t exist", "page does not exist", "no longer exists",
    ])

    /// Empty elements single-page apps mount into, in the raw lowercased HTML.
    static let emptyMountPoints = [
        #"<div id="root"></div>"#, #"<div id="app"></div>"#, #"<div id="__next"></div>"#,
        #"<div id="___gatsby"></div>"#, #"<div id="root" class=""></div>"#, "<app-root></app-root>",
        #"<div id='root'></div>"#, #"<div id='app'></div>"#,
    ]
}

/// What ``ContentQualityGate/evaluate(text:html:)`` decided.
public enum ContentVerdict: Sendable, Equatable {
    case accepted
    case rejected(ContentRejection)

    public var isAccepted: Bool {
        if case .accepted = self { return true }
        return false
    }

    /// The rejection, or nil when the page was accepted.
    public var rejection: ContentRejection? {
        if case .rejected(let rejection) = self { return rejection }
        return nil
    }
}

/// Why a page was rejected: a named reason for matching and reports, and the measurement behind it.
public struct ContentRejection: Sendable, Equatable, CustomStringConvertible {
    public enum Reason: String, Sendable, CaseIterable {
        case cookieWall = "cookie wall"
        case javaScriptRequired = "javascript required"
        case botChallenge = "bot challenge"
        case accessDenied = "access denied"
        case parkedDomain = "parked domain"
        case errorPage = "error page"
        case tooLittleText = "too little text"
    }

    public var reason: Reason
    /// The evidence, for the report: `consent text is 82% of 96 words`.
    public var detail: String

    public init(_ reason: Reason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }

    /// `cookie wall (consent text is 82% of 96 words)`.
    public var description: String { "\(reason.rawValue) (\(detail))" }
}

/// The counts the gate's rules compare, taken once per page.
private struct PageMeasure {
    let padded: String
    let lines: [(padded: String, words: Int)]
    let words: Int
    let characters: Int
    /// Words in lines that belong to a cookie or consent notice.
    let consentWords: Int

    init(text: String) {
        let lines = WebsiteTextMatching.lines(text).map { line in
            (padded: WebsiteTextMatching.padded(line), words: WebsiteTextMatching.wordCount(line))
        }
        self.lines = lines
        padded = WebsiteTextMatching.padded(text)
        words = lines.reduce(0) { $0 + $1.words }
        characters = text.count { !$0.isWhitespace }
        // Consent controls ("Accept all", "Settings") only count beside a consent line: on their own
        // they are ordinary words.
        let hasConsentLine = lines.contains { WebsiteTextMatching.containsAny($0.padded, ContentQualityGate.consentPhrases) }
        var consentWords = 0
        if hasConsentLine {
            for line in lines
            where WebsiteTextMatching.containsAny(line.padded, ContentQualityGate.consentPhrases)
                || ContentQualityGate.consentControls.contains(String(line.padded.dropFirst().dropLast()))
            {
                consentWords += line.words
            }
        }
        self.consentWords = consentWords
    }

    func wordsInLines(matching phrases: [String]) -> Int {
        lines.reduce(0) { total, line in
            WebsiteTextMatching.containsAny(line.padded, phrases) ? total + line.words : total
        }
    }
}
