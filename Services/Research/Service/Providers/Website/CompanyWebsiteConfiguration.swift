/// How the website provider behaves: whether it may go online, whether it may guess a domain, and its
/// limits per run and per page.
///
/// Built from the service's environment at start-up; a bad value throws there with the variable's
/// name, instead of surfacing as a confusing fetch failure in the middle of a run.
///
/// ```swift
/// let configuration = try CompanyWebsiteConfiguration(environment: ProcessInfo.processInfo.environment)
/// ```
public struct CompanyWebsiteConfiguration: Sendable, Equatable {
    /// No network at all: the provider reports itself unavailable (`RESEARCH_OFFLINE`, default off;
    /// tests and CI set it).
    public var offline: Bool
    /// Try `https://{normalized-name}.com` when the request has no website (`RESEARCH_GUESS_DOMAIN`,
    /// default on, as the old system did). A guess is only kept when its home page names the company.
    public var guessDomain: Bool
    /// The most linked pages fetched after the home page (`RESEARCH_WEBSITE_MAX_PAGES`, default 6,
    /// 1–50): about, team and news pages are what research needs, and a small site has no more.
    public var maxPages: Int
    /// The limit for one page's whole transfer (`RESEARCH_WEBSITE_TIMEOUT_SECONDS`, default 10, up to
    /// 300; fractions allowed): a page that takes longer is skipped, not waited for.
    public var pageTimeout: Duration
    /// The most bytes of one page (default 2 MiB): company pages are far smaller, so anything larger is
    /// a download or a broken server.
    public var maxPageBytes: Int
    /// The `User-Agent` sent with every request (`RESEARCH_WEBSITE_USER_AGENT`), so site owners can tell
    /// who reads their pages and why.
    public var userAgent: String
    /// The URL tried for a company without a website, with `{name}` standing for its normalized name.
    /// Default `https://{name}.com`; tests point it at a loopback server.
    public var guessTemplate: String

    /// The user agent unless `RESEARCH_WEBSITE_USER_AGENT` sets another.
    public static let defaultUserAgent = "JobsmithResearch/0.1 (reads public company pages for job-application research)"

    public init(
        offline: Bool = false,
        guessDomain: Bool = true,
        maxPages: Int = 6,
        pageTimeout: Duration = .seconds(10),
        maxPageBytes: Int = 2 * 1024 * 1024,
        userAgent: String = CompanyWebsiteConfiguration.defaultUserAgent,
        guessTemplate: String = "https://{name}.com"
    ) {
        self.offline = offline
        self.guessDomain = guessDomain
        self.maxPages = maxPages
        self.pageTimeout = pageTimeout
        self.maxPageBytes = maxPageBytes
        self.userAgent = userAgent
        self.guessTemplate = guessTemplate
    }

    /// Reads the configuration from environment variables; unset or empty ones keep their defaults.
    ///
    /// - Throws: ``CompanyWebsiteConfigurationError`` naming the variable and the value it could not use.
    public init(environment: [String: String]) throws {
        self.init()
        offline = try Self.flag("RESEARCH_OFFLINE", in: environment) ?? offline
        guessDomain = try Self.flag("RESEARCH_GUESS_DOMAIN", in: environment) ?? guessDomain
        if let text = Self.value("RESEARCH_WEBSITE_MAX_PAGES", in: environment) {
            guard let pages = Int(text), (1...50).contains(pages) else {
                throw CompanyWebsiteConfigurationError.invalid("RESEARCH_WEBSITE_MAX_PAGES", text, expected: "a whole number from 1 to 50")
            }
            maxPages = pages
        }
        if let text = Self.value("RESEARCH_WEBSITE_TIMEOUT_SECONDS", in: environment) {
            guard let seconds = Double(text), seconds.isFinite, seconds > 0, seconds <= 300 else {
                throw CompanyWebsiteConfigurationError.invalid(
                    "RESEARCH_WEBSITE_TIMEOUT_SECONDS",
                    text,
                    expected: "a number of seconds above 0 and at most 300"
                )
            }
            pageTimeout = .milliseconds(Int((seconds * 1000).rounded()))
        }
        if let text = Self.value("RESEARCH_WEBSITE_USER_AGENT", in: environment) {
            guard text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) else {
                throw CompanyWebsiteConfigurationError.invalid(
                    "RESEARCH_WEBSITE_USER_AGENT",
                    text,
                    expected: "printable ASCII on one line"
                )
            }
            userAgent = text
        }
    }

    private static func value(_ name: String, in environment: [String: String]) -> String? {
        guard let raw = environment[name] else { return nil }
        let trimmed = WebsiteTextMatching.trimmed(raw)
        return trimmed.isEmpty ? nil : trimmed
    }

    private static func flag(_ name: String, in environment: [String: String]) throws -> Bool? {
        guard let text = value(name, in: environment) else { return nil }
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw CompanyWebsiteConfigurationError.invalid(name, text, expected: "1/true/yes/on or 0/false/no/off")
        }
    }
}

/// A configuration value the website provider cannot use.
public struct CompanyWebsiteConfigurationError: Error, CustomStringConvertible, Equatable {
    private enum Code: Equatable {
        case invalid(variable: String, value: String, expected: String)
    }

    private let code: Code

    private init(_ code: Code) {
        self.code = code
    }

    /// `variable` holds `value`, which is not `expected`.
    public static func invalid(_ variable: String, _ value: String, expected: String) -> Self {
        .init(.invalid(variable: variable, value: value, expected: expected))
    }

    /// The environment variable at fault.
    public var variable: String {
        switch code {
        case .invalid(let variable, _, _): variable
        }
    }

    public var description: String {
        switch code {
        case .invalid(let variable, let value, let expected):
            "\(variable) must be \(expected), got '\(value)'"
        }
    }
}
