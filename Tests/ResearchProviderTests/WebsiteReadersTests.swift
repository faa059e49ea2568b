import Foundation
import Testing

@testable import ResearchService

@Suite("Website people reader")
struct WebsitePeopleReaderTests {
    private let reader = WebsitePeopleReader(companyName: "Northwind Robotics")

    @Test(arguments: [
        ("Ada Okafor — Co-founder & CEO", "Ada Okafor", "Co-founder & CEO"),
        ("- Lars Janssen – CTO", "Lars Janssen", "CTO"),
        ("Priya Raman, Senior Technical Recruiter", "Priya Raman", "Senior Technical Recruiter"),
        ("Mei-Ling Chen | Head of Engineering", "Mei-Ling Chen", "Head of Engineering"),
        ("Grace O'Neill (Head of People)", "Grace O'Neill", "Head of People"),
        ("Dr. Hana Sato: Advisor", "Hana Sato", "Advisor"),
        ("1. José María López - VP, Sales", "José María López", "VP, Sales"),
    ])
    func readsOneLineLayouts(line: String, name: String, role: String) {
        let people = reader.people(inText: line, sourceURL: "https://northwind.example/team")
        #expect(people == [FoundPerson(name: name, role: role, source: "https://northwind.example/team")])
    }

    @Test func readsCardsOfANameAboveARole() {
        let text = """
            Meet the team

            Ada Okafor

            Co-founder & CEO

            Ada ran distribution centres for a national grocer before founding Northwind.

            LinkedIn

            Jonas van der Berg

            Staff Robotics Engineer
            """
        let people = reader.people(inText: text, sourceURL: "https://northwind.example/team")
        #expect(people.map(\.name) == ["Ada Okafor", "Jonas van der Berg"])
        #expect(people.map(\.role) == ["Co-founder & CEO", "Staff Robotics Engineer"])
    }

    @Test(arguments: [
        "Our Team\n\nHead of Engineering",
        "Open Positions\n\nSenior Robotics Engineer",
        "Boston Office\n\nOperations headquarters",
        "Northwind Robotics\n\nProduct Manager",
        "Your Name Here\n\nRobotics Engineer",
        "Contact Us — Sales",
        "Ada Okafor\n\nAda spent a decade running warehouses and leads our board.",
        "Ada Okafor",
        "ADA OKAFOR — CEO of the year award 2024 winner is announced",
        "Series B, Funding Round",
    ])
    func rejectsWhatIsNotANamedPersonWithARole(text: String) {
        #expect(reader.people(inText: text, sourceURL: "https://northwind.example/team").isEmpty)
    }

    @Test func findsEachPersonOnce() {
        let text = "Ada Okafor — CEO\n\nAda Okafor\n\nCo-founder & CEO"
        #expect(reader.people(inText: text, sourceURL: "x").map(\.role) == ["CEO"])
    }
}

@Suite("Company facts reader")
struct WebsiteFactsReaderTests {
    @Test func summaryIsTheFirstDescriptiveParagraphOfTheAboutPageThenTheHomePage() {
        let home = ResearchPage(
            url: "https://northwind.example/",
            text:
                "Robots that keep your warehouse moving\n\nNorthwind Robotics builds autonomous mobile robots that pick, sort and move goods in busy warehouses.",
            kind: .home
        )
        let about = ResearchPage(
            url: "https://northwind.example/about",
            text: """
                About Northwind

                Warehouses run on people.

                - We ship robots to more than sixty distribution centres in Europe and North America today.

                Northwind Robotics is a Boston-based robotics company that designs autonomous mobile robots for warehouses.
                """,
            kind: .about
        )
        let reader = CompanyFactsReader(companyName: "Northwind Robotics")
        #expect(reader.facts(from: [home, about]).summary?.hasPrefix("Northwind Robotics is a Boston-based") == true)
        #expect(reader.facts(from: [home, about]).summarySourceURL == "https://northwind.example/about")
        #expect(reader.facts(from: [home]).summary?.hasPrefix("Northwind Robotics builds autonomous") == true)
        #expect(reader.facts(from: []).summary == nil)
    }

    @Test func summaryKeepsWholeSentencesWithinFourHundredCharacters() throws {
        let sentence =
            "Northwind Robotics is a robotics company that designs autonomous mobile robots for warehouse picking and sorting across three continents."
        let paragraph = Array(repeating: sentence, count: 5).joined(separator: " ")
        let page = ResearchPage(url: "https://northwind.example/about", text: paragraph, kind: .about)
        let summary = try #require(CompanyFactsReader().facts(from: [page]).summary)
        #expect(summary.count <= 400)
        #expect(summary.hasSuffix("continents."))

        let run = "Northwind " + Array(repeating: "builds robots", count: 120).joined(separator: " and ") + "."
        let cut = try #require(CompanyFactsReader().facts(from: [ResearchPage(url: "u", text: run, kind: .about)]).summary)
        #expect(cut.count <= 400)
        #expect(cut.hasSuffix("…"))
    }

    @Test(arguments: [
        ("Today we are a team of 120 spread across three offices.", 120, "team of 120"),
        ("We have 500+ employees in twelve countries.", 500, "500+ employees"),
        ("Northwind has over 2,000 people worldwide.", 2000, "over 2,000 people"),
        ("More than 300 staff keep our fleets running.", 300, "More than 300 staff"),
        ("We are a 40-person team based in Rotterdam.", 40, "40-person team"),
        ("The company grew to 85 full-time employees.", 85, "85 full-time employees"),
        ("Our headcount of 64 includes the Pune office.", 64, "headcount of 64"),
        ("We have 3k employees.", 3000, "3k employees"),
        ("A team of over 1,200 builds our robots.", 1200, "team of over 1,200"),
        ("Northwind employs 80 people in Pune.", 80, "employs 80 people"),
        ("We passed 2000+ employees.", 2000, "2000+ employees"),
    ])
    func readsTheStatedSize(text: String, count: Int, phrase: String) {
        let facts = CompanyFactsReader().facts(from: [ResearchPage(url: "u", text: text, kind: .about)])
        #expect(facts.employeeCount == count)
        #expect(facts.employeeCountText == phrase)
    }

    @Test(arguments: [
        "We serve more than 60 distribution centres.",
        "Founded in 2017, we now ship 2,000 robots.",
        "We're hiring 3 engineers this quarter.",
        "Join a team of passionate people.",
    ])
    func noSizeWhenNoneIsStated(text: String) {
        #expect(CompanyFactsReader().facts(from: [ResearchPage(url: "u", text: text, kind: .about)]).employeeCount == nil)
    }

    @Test func industryNeedsRepeatedEvidence() {
        let robots = ResearchPage(
            url: "u",
            text: "Northwind builds autonomous mobile robots. Our robotics platform brings automation to warehouses.",
            kind: .about
        )
        #expect(CompanyFactsReader().facts(from: [robots]).industry == "Robotics")
        let vague = ResearchPage(url: "u", text: "We are a friendly team that loves building things together.", kind: .about)
        #expect(CompanyFactsReader().facts(from: [vague]).industry == nil)
        let payments = ResearchPage(url: "u", text: "Ledgerly is a fintech company. Our payments API moves money for banks.", kind: .home)
        #expect(CompanyFactsReader().facts(from: [payments]).industry == "Financial services")
    }
}

@Suite("Website HTML and page selection")
struct WebsiteHTMLTests {
    private let base = URL(string: "https://www.northwind.example/")!

    @Test func readsTheTitleThenTheFirstHeading() {
        #expect(
            WebsiteHTML.title(in: "<html><head><title> About &amp; team\n| Northwind </title></head></html>") == "About & team | Northwind")
        #expect(WebsiteHTML.title(in: "<title></title><h1 class=x>Meet <em>the</em> team</h1>") == "Meet the team")
        #expect(WebsiteHTML.title(in: "<p>No title</p>") == nil)
    }

    @Test func readsLinksResolvedAgainstTheBase() {
        let html = """
            <a href="/about">About</a> <abbr title="x">X</abbr>
            <a class='nav' href='team/'>Our <b>team</b></a>
            <a href="https://www.northwind.example/careers#open" aria-label="Careers"><svg></svg></a>
            <a href="mailto:hello@northwind.example">Mail</a> <a href="javascript:void(0)">Menu</a> <a href="#top">Top</a>
            <a data-href="/wrong" href=/news>News</a>
            """
        let links = WebsiteHTML.links(in: html, base: base)
        #expect(
            links.map(\.url.absoluteString) == [
                "https://www.northwind.example/about",
                "https://www.northwind.example/team/",
                "https://www.northwind.example/careers",
                "https://www.northwind.example/news",
            ])
        #expect(links.map(\.text) == ["About", "Our team", "Careers", "News"])
    }

    @Test func removesNavigationAndFootersButKeepsTheContent() {
        let html =
            "<header><nav><ul><li><nav>inner</nav></li></ul>Menu</nav><h1>Hello</h1></header><main><p>Body</p></main><FOOTER>© 2025</FOOTER><p>After</p>"
        #expect(WebsiteHTML.removingChrome(from: html) == "<header><h1>Hello</h1></header><main><p>Body</p></main><p>After</p>")
    }

    @Test func selectsOnePagePerTopicOnTheSameSiteInOrderOfUsefulness() throws {
        let home = try WebsiteFixtures.html("home.html")
        let candidates = WebsitePageSelector.candidates(from: WebsiteHTML.links(in: home, base: base), home: base)
        #expect(candidates.map(\.url.path) == ["/about", "/team", "/leadership", "/news", "/careers", "/press", "/blog"])
        #expect(candidates.map(\.topic) == ["about", "team", "leadership", "news", "careers", "press", "blog"])
        #expect(candidates.map(\.kind) == [.about, .team, .team, .news, .careers, .news, .news])
    }

    @Test(arguments: [
        ("https://northwind.example/en/about-us.html", "Who we are", "about"),
        ("https://northwind.example/company/leadership/", "Leadership", "leadership"),
        ("https://northwind.example/x?id=4", "Meet the team", "team"),
        ("https://www.northwind.example/join-us", "Work here", "careers"),
    ])
    func classifiesLinksByPathAndText(url: String, text: String, topic: String) throws {
        let link = WebsiteHTML.Link(url: try #require(URL(string: url)), text: text)
        #expect(WebsitePageSelector.candidates(from: [link], home: base).map(\.topic) == [topic])
    }

    @Test func ignoresOtherSitesFilesAndDeepArticles() throws {
        let links = try [
            "https://jobs.ashbyhq.com/northwind/careers", "https://northwind.example/assets/about.pdf",
            "https://northwind.example/news/2025/03/series-b", "https://app.northwind.example/team",
        ].map { WebsiteHTML.Link(url: try #require(URL(string: $0)), text: "") }
        #expect(WebsitePageSelector.candidates(from: links, home: base).isEmpty)
    }

    @Test(arguments: [
        ("Northwind Robotics, Inc.", "northwindrobotics"),
        ("The Acme Company", "acme"),
        ("Zürich Analytics GmbH", "zurichanalytics"),
        ("Procter & Gamble", "procterandgamble"),
        ("  ", ""),
    ])
    func guessesADomainNameFromTheCompanyName(name: String, slug: String) {
        #expect(CompanyWebsiteProvider.domainName(for: name) == slug)
    }
}
