import Foundation
import ResearchService
import Testing

/// Search results as FireCrawl returns them for a warehouse-robotics company, titles and snippets
/// written the way Google-backed results read.
enum FireCrawlFixtures {
    static let overviewQuery = "Acme Robotics company about"
    static let newsQuery = "Acme Robotics funding OR acquisition OR launch OR partnership"
    static let peopleQuery = #"site:linkedin.com/in "Acme Robotics" recruiter OR "talent acquisition" OR "hiring manager" OR "head of Engineering""#

    static let aboutMarkdown = """
        # About Acme Robotics

        Founded in 2015 in Pittsburgh, Acme Robotics builds autonomous mobile robots that move goods \
        through warehouses alongside people. Over 300 distribution centres run our fleet today.

        ## Our mission
        Make every warehouse safer and faster without replacing the people who run it.
        """

    static let newsMarkdown = """
        # Acme Robotics raises $40M Series B to scale warehouse robots

        March 4, 2026 — Acme Robotics, the Pittsburgh maker of autonomous mobile robots, has raised a \
        $40 million Series B led by Example Ventures. The company plans to double its engineering team.
        """

    static let overview = [
        FireCrawlFakeResult(
            url: "https://www.acmerobotics.com/about",
            title: "About Us | Acme Robotics",
            description: "Acme Robotics builds autonomous mobile robots that move goods through warehouses alongside people.",
            markdown: aboutMarkdown
        ),
        FireCrawlFakeResult(
            url: "https://www.crunchbase.com/organization/acme-robotics",
            title: "Acme Robotics - Crunchbase Company Profile & Funding",
            description: "Acme Robotics develops autonomous mobile robots for warehouse logistics. Acme Robotics is headquartered in Pittsburgh."
        ),
        FireCrawlFakeResult(
            url: "https://www.linkedin.com/company/acme-robotics",
            title: "Acme Robotics | LinkedIn",
            description: "Acme Robotics | 12,345 followers on LinkedIn. Robots that move the world's goods. | Acme Robotics builds autonomous mobile robots."
        ),
        FireCrawlFakeResult(
            url: "https://www.acmerobotics.com/",
            title: "Acme Robotics | Autonomous Mobile Robots for Warehouses",
            description: "Acme Robotics: autonomous mobile robots for modern warehouses, deployed in weeks.",
            markdown: "We use cookies to improve your experience. [Accept all cookies](#) [Cookie settings](#)"
        ),
    ]

    static let news = [
        FireCrawlFakeResult(
            url: "https://techcrunch.com/2026/03/04/acme-robotics-series-b/",
            title: "Acme Robotics raises $40M Series B to scale warehouse robots | TechCrunch",
            description: "Acme Robotics has raised a $40 million Series B led by Example Ventures.",
            markdown: newsMarkdown
        ),
        FireCrawlFakeResult(
            url: "https://www.businesswire.com/news/home/20260115/acme-robotics-partners-with-globex",
            title: "Acme Robotics Announces Partnership with Globex Logistics",
            description: "PITTSBURGH--(BUSINESS WIRE)--Acme Robotics today announced a partnership with Globex Logistics to deploy 500 robots."
        ),
    ]

    static let people = [
        FireCrawlFakeResult(
            url: "https://www.linkedin.com/in/janedoe?trk=public_profile_browsemap",
            title: "Jane Doe - Senior Technical Recruiter - Acme Robotics | LinkedIn",
            description: "Senior Technical Recruiter at Acme Robotics · Experience: Acme Robotics · Location: Pittsburgh"
        ),
        FireCrawlFakeResult(
            url: "https://uk.linkedin.com/in/marcus-chen-4a1b2c3",
            title: "Marcus Chen – Head of Engineering at Acme Robotics | LinkedIn",
            description: "Head of Engineering at Acme Robotics. Previously Globex."
        ),
        FireCrawlFakeResult(
            url: "https://www.linkedin.com/in/priya-natarajan",
            title: "Priya Natarajan, PhD (she/her) - Director of Data Science - Acme Robotics, Inc. | LinkedIn",
            description: "Director of Data Science at Acme Robotics."
        ),
        FireCrawlFakeResult(
            url: "https://www.linkedin.com/in/tom-obrien-77",
            title: "Tom O'Brien - Acme Robotics | LinkedIn",
            description: "Hiring manager for platform teams at Acme Robotics."
        ),
        FireCrawlFakeResult(
            url: "https://es.linkedin.com/in/jose-alvarez",
            title: "José Álvarez - Talent Acquisition Partner @ Acme Robotics - LinkedIn",
            description: "Talent Acquisition Partner @ Acme Robotics."
        ),
        FireCrawlFakeResult(
            url: "https://www.linkedin.com/in/sarah-lee-globex",
            title: "Sarah Lee - Recruiter - Globex Corporation | LinkedIn",
            description: "Recruiter at Globex. Formerly Acme Robotics."
        ),
        FireCrawlFakeResult(
            url: "https://www.linkedin.com/in/acme-robotics-talent",
            title: "Talent Acquisition - Acme Robotics | LinkedIn",
            description: "Talent Acquisition team at Acme Robotics."
        ),
        FireCrawlFakeResult(
            url: "https://www.linkedin.com/in/janedoe/",
            title: "Jane Doe - Senior Technical Recruiter - Acme Robotics | LinkedIn",
            description: "Senior Technical Recruiter at Acme Robotics."
        ),
        FireCrawlFakeResult(
            url: "https://www.linkedin.com/in/alex-morgan-recruits",
            title: "Alex Morgan - Technical Recruiter | LinkedIn",
            description: "Technical Recruiter · I hire engineers for Acme Robotics' autonomy team."
        ),
        FireCrawlFakeResult(
            url: "https://www.linkedin.com/in/david-kim-eng",
            title: "David Kim - Engineering Manager - Acme Robo...",
            description: "Engineering Manager at Acme Robotics."
        ),
    ]

    static var api: FireCrawlFakeAPI {
        FireCrawlFakeAPI(searchResults: [overviewQuery: overview, newsQuery: news, peopleQuery: people])
    }

    static let request = CompanyResearchRequest(companyName: "Acme Robotics", jobTitle: "Senior Backend Engineer")
}

@Suite("FireCrawlProvider against a loopback FireCrawl API")
struct FireCrawlProviderTests {
    @Test func gathersOverviewNewsAndPeopleInTheWireFormat() async throws {
        try await withFireCrawlHarness(FireCrawlFixtures.api) { harness in
            let findings = try await harness.provider.gather(FireCrawlFixtures.request)

            // The three searches of the old system, in its wire format, with the bearer key.
            let requests = harness.api.requests
            #expect(requests.map(\.path) == ["/v1/search", "/v1/search", "/v1/search"])
            #expect(harness.api.searchQueries == [FireCrawlFixtures.overviewQuery, FireCrawlFixtures.newsQuery, FireCrawlFixtures.peopleQuery])
            for request in requests {
                #expect(request.method == "POST")
                #expect(request.headers["authorization"] == "Bearer \(FireCrawlFakeAPI.apiKey)")
                #expect(request.headers["content-type"] == "application/json")
            }
            let overview = requests[0].json
            #expect(overview["limit"] as? Int == 5)
            #expect((overview["scrapeOptions"] as? [String: Any])?["formats"] as? [String] == ["markdown"])
            #expect(Set(overview.keys) == ["query", "limit", "scrapeOptions"])
            let people = requests[2].json
            #expect(people["limit"] as? Int == 10)
            #expect(people["scrapeOptions"] == nil, "LinkedIn titles need no scraping")

            #expect(findings.website == "https://acmerobotics.com")
            #expect(
                findings.pages == [
                    ResearchPage(url: "https://www.acmerobotics.com/about", title: "About Us | Acme Robotics", text: FireCrawlFixtures.aboutMarkdown, kind: .about),
                    ResearchPage(
                        url: "https://www.crunchbase.com/organization/acme-robotics",
                        title: "Acme Robotics - Crunchbase Company Profile & Funding",
                        text: FireCrawlFixtures.overview[1].description,
                        kind: .searchResult
                    ),
                    ResearchPage(
                        url: "https://www.linkedin.com/company/acme-robotics",
                        title: "Acme Robotics | LinkedIn",
                        text: FireCrawlFixtures.overview[2].description,
                        kind: .searchResult
                    ),
                    // The home page's markdown is a cookie wall: its snippet stands in.
                    ResearchPage(
                        url: "https://www.acmerobotics.com/",
                        title: "Acme Robotics | Autonomous Mobile Robots for Warehouses",
                        text: FireCrawlFixtures.overview[3].description,
                        kind: .home
                    ),
                    ResearchPage(
                        url: "https://techcrunch.com/2026/03/04/acme-robotics-series-b/",
                        title: "Acme Robotics raises $40M Series B to scale warehouse robots | TechCrunch",
                        text: FireCrawlFixtures.newsMarkdown,
                        kind: .news
                    ),
                    ResearchPage(
                        url: "https://www.businesswire.com/news/home/20260115/acme-robotics-partners-with-globex",
                        title: "Acme Robotics Announces Partnership with Globex Logistics",
                        text: FireCrawlFixtures.news[1].description,
                        kind: .news
                    ),
                ]
            )
            #expect(
                findings.people == [
                    FoundPerson(name: "Jane Doe", role: "Senior Technical Recruiter", profileURL: "https://www.linkedin.com/in/janedoe", source: "https://www.linkedin.com/in/janedoe"),
                    FoundPerson(name: "Marcus Chen", role: "Head of Engineering", profileURL: "https://uk.linkedin.com/in/marcus-chen-4a1b2c3", source: "https://uk.linkedin.com/in/marcus-chen-4a1b2c3"),
                    FoundPerson(name: "Priya Natarajan", role: "Director of Data Science", profileURL: "https://www.linkedin.com/in/priya-natarajan", source: "https://www.linkedin.com/in/priya-natarajan"),
                    FoundPerson(name: "Tom O'Brien", role: nil, profileURL: "https://www.linkedin.com/in/tom-obrien-77", source: "https://www.linkedin.com/in/tom-obrien-77"),
                    FoundPerson(name: "José Álvarez", role: "Talent Acquisition Partner", profileURL: "https://es.linkedin.com/in/jose-alvarez", source: "https://es.linkedin.com/in/jose-alvarez"),
                    FoundPerson(name: "Alex Morgan", role: "Technical Recruiter", profileURL: "https://www.linkedin.com/in/alex-morgan-recruits", source: "https://www.linkedin.com/in/alex-morgan-recruits"),
                    FoundPerson(name: "David Kim", role: "Engineering Manager", profileURL: "https://www.linkedin.com/in/david-kim-eng", source: "https://www.linkedin.com/in/david-kim-eng"),
                ]
            )
            #expect(findings.notes == ["3 searches, 0 scrapes", "7 people from LinkedIn results"])
        }
    }

    @Test func retriesUnderNameVariantsWhenTheNameFindsNothing() async throws {
        let api = FireCrawlFakeAPI(searchResults: ["Acme Robotics company about": [FireCrawlFixtures.overview[0]]])
        try await withFireCrawlHarness(api) { harness in
            let request = CompanyResearchRequest(
                companyName: "Acme Robotics GmbH",
                nameVariants: ["ACME ROBOTICS GMBH", "Acme Robotics", "Acme"],
                jobTitle: "Senior Backend Engineer",
                department: "Platform"
            )
            let findings = try await harness.provider.gather(request)
            // The all-caps variant is the same search and is skipped; "Acme" is never needed.
            #expect(
                harness.api.searchQueries == [
                    "Acme Robotics GmbH company about",
                    "Acme Robotics company about",
                    "Acme Robotics funding OR acquisition OR launch OR partnership",
                    #"site:linkedin.com/in "Acme Robotics" recruiter OR "talent acquisition" OR "hiring manager" OR "head of Platform""#,
                ]
            )
            #expect(findings.notes.first == "4 searches, 0 scrapes; variant 'Acme Robotics' used")
            #expect(findings.pages.map(\.kind) == [.about])
        }
    }

    @Test func reportsWhenNoNameFindsAnything() async throws {
        try await withFireCrawlHarness { harness in
            let request = CompanyResearchRequest(companyName: "Nowhere Labs Ltd", nameVariants: ["Nowhere Labs"], jobTitle: "Data Analyst")
            let findings = try await harness.provider.gather(request)
            #expect(harness.api.searchQueries == ["Nowhere Labs Ltd company about", "Nowhere Labs company about"])
            #expect(findings.pages.isEmpty)
            #expect(findings.people.isEmpty)
            #expect(findings.notes == ["2 searches, 0 scrapes", "no search results for 'Nowhere Labs Ltd' or 'Nowhere Labs'"])
        }
    }

    @Test func scrapesTheCompanySiteWhenTheSearchBroughtNoMarkdown() async throws {
        let aboutURL = "https://acmerobotics.com/about-us"
        let scraped = "# Who we are\n\nAcme Robotics designs, builds and services autonomous mobile robots for warehouses across North America."
        let api = FireCrawlFakeAPI(
            searchResults: [
                FireCrawlFixtures.overviewQuery: [
                    FireCrawlFixtures.overview[1],
                    FireCrawlFakeResult(url: aboutURL, title: "About | Acme Robotics", description: "Learn about Acme Robotics, the warehouse robot company."),
                ]
            ],
            pages: [aboutURL: FireCrawlFakePage(title: "Who we are - Acme Robotics", markdown: scraped)]
        )
        try await withFireCrawlHarness(api) { harness in
            let findings = try await harness.provider.gather(FireCrawlFixtures.request)
            #expect(harness.api.requests.map(\.path) == ["/v1/search", "/v1/scrape", "/v1/search", "/v1/search"])
            let scrape = harness.api.requests[1].json
            #expect(scrape["url"] as? String == aboutURL)
            #expect(scrape["formats"] as? [String] == ["markdown"])
            #expect(scrape["onlyMainContent"] as? Bool == true)
            #expect(harness.api.requests[1].headers["authorization"] == "Bearer \(FireCrawlFakeAPI.apiKey)")

            let about = findings.pages.filter { $0.kind == .about }
            #expect(about == [ResearchPage(url: aboutURL, title: "Who we are - Acme Robotics", text: scraped, kind: .about)])
            #expect(findings.pages.count == 2, "the scraped page replaces its search result")
            #expect(findings.website == "https://acmerobotics.com")
            #expect(findings.notes.first == "3 searches, 1 scrape")
        }
    }

    @Test func notesALaterStepsFailureAndKeepsWhatWasFound() async throws {
        let api = FireCrawlFixtures.api
        api.override { request in
            request.query == FireCrawlFixtures.newsQuery ? .failure(402, "Payment Required: Insufficient credits") : nil
        }
        try await withFireCrawlHarness(api) { harness in
            let findings = try await harness.provider.gather(FireCrawlFixtures.request)
            #expect(harness.api.searchQueries == [FireCrawlFixtures.overviewQuery, FireCrawlFixtures.newsQuery, FireCrawlFixtures.peopleQuery])
            #expect(!findings.pages.contains { $0.kind == .news })
            #expect(findings.people.count == 7)
            #expect(findings.notes.contains { $0.hasPrefix("news search failed: FireCrawl search refused: payment required") })
        }
    }

    @Test func aFailedOverviewSearchFailsTheProvider() async throws {
        let api = FireCrawlFixtures.api
        api.override { _ in .failure(400, "Bad Request: query too long") }
        try await withFireCrawlHarness(api) { harness in
            let error = await fireCrawlError { _ = try await harness.provider.gather(FireCrawlFixtures.request) }
            #expect(error?.kind == .rejected)
            #expect(error?.status == 400)
            #expect(harness.api.requests.count == 1, "a 400 is not retried")
        }
    }

    @Test func withoutAKeyTheProviderIsUnavailable() async throws {
        try await withFireCrawlHarness(configure: { $0.apiKey = nil }) { harness in
            #expect(harness.provider.name == "firecrawl")
            #expect(await harness.provider.unavailableReason() == "no FIRECRAWL_API_KEY configured")
            let error = await fireCrawlError { _ = try await harness.provider.gather(FireCrawlFixtures.request) }
            #expect(error?.kind == .notConfigured)
            #expect(harness.api.requests.isEmpty)
        }
    }

    @Test func spendingTheDailyQuotaMakesTheProviderUnavailable() async throws {
        try await withFireCrawlHarness(FireCrawlFixtures.api, configure: { $0.ratePerDay = 2 }) { harness in
            #expect(await harness.provider.unavailableReason() == nil)
            let findings = try await harness.provider.gather(FireCrawlFixtures.request)
            #expect(harness.api.requests.count == 2, "the people search is refused before it is sent")
            #expect(findings.notes.contains { $0.hasPrefix("people search failed: FireCrawl search not attempted: daily quota of 2 calls spent") })
            let reason = try #require(await harness.provider.unavailableReason())
            #expect(reason.hasPrefix("daily quota of 2 calls spent; next call in "))

            harness.clock.advance(by: .seconds(24 * 60 * 60))
            #expect(await harness.provider.unavailableReason() == nil)
        }
    }
}
