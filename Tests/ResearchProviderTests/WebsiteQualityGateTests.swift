import ResearchService
import Testing
import TextAnalysis

/// One page for the gate: its text (or the fixture it is rendered from) and the verdict it must get.
struct WebsiteGateCase: Sendable, CustomTestStringConvertible {
    let name: String
    let text: String
    let html: String?
    /// nil when the page must be accepted.
    let expected: ContentRejection.Reason?

    var testDescription: String { name }

    init(_ name: String, text: String, html: String? = nil, expected: ContentRejection.Reason?) {
        self.name = name
        self.text = text
        self.html = html
        self.expected = expected
    }

    /// A fixture page as the provider sees it: text without navigation and footer, plus its HTML.
    static func fixture(_ name: String, _ file: String, expected: ContentRejection.Reason?) -> WebsiteGateCase {
        let html = (try? WebsiteFixtures.html(file)) ?? ""
        return WebsiteGateCase(name, text: HTMLText.plainText(from: html), html: html, expected: expected)
    }
}

private let longArticle = Array(
    repeating: "Our navigation stack plans paths for two thousand robots every second and keeps aisles clear for pickers.",
    count: 14
).joined(separator: " ")

private let gateCases: [WebsiteGateCase] = [
    .fixture("about page", "about.html", expected: nil),
    .fixture("team page", "team.html", expected: nil),
    .fixture("news page", "news.html", expected: nil),
    .fixture("home page with a cookie banner in its footer", "home.html", expected: nil),
    .fixture("consent-manager wall", "leadership-cookie-wall.html", expected: .cookieWall),
    .fixture("single-page-app shell", "blog-javascript.html", expected: .javaScriptRequired),
    WebsiteGateCase(
        "short cookie notice",
        text:
            "We use cookies\n\nWe use cookies to give you the best experience. By clicking Accept all you agree to our use of cookies.\n\nAccept all\n\nReject all\n\nSettings",
        expected: .cookieWall
    ),
    WebsiteGateCase(
        "GDPR notice dominating a short page",
        text: """
            Northwind Robotics
            Your privacy matters. Under the GDPR we need your consent before we store information on your device. \
            Review your consent preferences to continue. Legitimate interest purposes are listed in the vendor list.
            Careers
            """,
        expected: .cookieWall
    ),
    WebsiteGateCase("please enable JavaScript", text: "Please enable JavaScript to view this website.", expected: .javaScriptRequired),
    WebsiteGateCase(
        "React placeholder text",
        text: "You need to enable JavaScript to run this app.",
        html: #"<html><body><noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div></body></html>"#,
        expected: .javaScriptRequired
    ),
    WebsiteGateCase(
        "empty mount point with no message",
        text: "",
        html: #"<html><head><script src="/app.js"></script></head><body><div id="__next"></div></body></html>"#,
        expected: .javaScriptRequired
    ),
    WebsiteGateCase(
        "Cloudflare interstitial",
        text:
            "Just a moment...\n\nChecking your browser before accessing northwind-robotics.example.\n\nDDoS protection by Cloudflare\n\nRay ID: 7d2a9f1c3b8e4a21",
        expected: .botChallenge
    ),
    WebsiteGateCase(
        "captcha",
        text:
            "Verify you are human by completing the action below.\n\nnorthwind-robotics.example needs to review the security of your connection before proceeding.",
        expected: .botChallenge
    ),
    WebsiteGateCase(
        "challenge markup with no text",
        text: "One more step",
        html: #"<html><body><form id="challenge-form" action="/cdn-cgi/challenge-platform/h/b/orchestrate"></form></body></html>"#,
        expected: .botChallenge
    ),
    WebsiteGateCase(
        "access denied",
        text:
            "Access Denied\n\nYou don't have permission to access \"http://northwind-robotics.example/team\" on this server.\n\nReference #18.4f2c1cb8",
        expected: .accessDenied
    ),
    WebsiteGateCase(
        "soft 404", text: "404\n\nPage not found\n\nThe page you are looking for has moved or no longer exists.\n\nGo home",
        expected: .errorPage),
    WebsiteGateCase(
        "parked domain", text: "northwindrobotics.com\n\nThis domain is for sale! Make an offer today.", expected: .parkedDomain),
    WebsiteGateCase("loading placeholder", text: "Loading…", expected: .tooLittleText),
    WebsiteGateCase("empty page", text: "", expected: .tooLittleText),
    WebsiteGateCase("a title and one sentence", text: "Northwind Robotics\n\nRobots for warehouses.", expected: .tooLittleText),
    WebsiteGateCase(
        "long article that mentions JavaScript and cookies in passing",
        text: longArticle
            + "\n\nOur dashboard is written in TypeScript, so enable JavaScript in kiosk browsers on the floor. We use cookies only to keep you signed in.",
        expected: nil
    ),
]

@Suite("Content quality gate")
struct WebsiteQualityGateTests {
    @Test(arguments: gateCases)
    func judgesPages(_ page: WebsiteGateCase) {
        let verdict = ContentQualityGate().evaluate(text: page.text, html: page.html)
        #expect(verdict.rejection?.reason == page.expected, "\(verdict)")
        #expect(verdict.isAccepted == (page.expected == nil))
    }

    @Test func aRejectionNamesItsReasonAndEvidence() throws {
        let html = try WebsiteFixtures.html("leadership-cookie-wall.html")
        let rejection = try #require(ContentQualityGate().evaluate(text: HTMLText.plainText(from: html), html: html).rejection)
        #expect(rejection.reason == .cookieWall)
        #expect(rejection.description.hasPrefix("cookie wall (consent text is "))
        #expect(rejection.description.hasSuffix(" words)"))
    }

    @Test func thresholdsAreConfigurable() {
        let text = "Northwind Robotics builds autonomous mobile robots for warehouses in Boston, Rotterdam and Pune."
        #expect(ContentQualityGate().evaluate(text: text).rejection?.reason == .tooLittleText)
        let lenient = ContentQualityGate(thresholds: .init(minimumWords: 10, minimumCharacters: 50))
        #expect(lenient.evaluate(text: text) == .accepted)
    }
}
