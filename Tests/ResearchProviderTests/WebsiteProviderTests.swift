import Foundation
import HTTPClient
import IntegrationTesting
import NIOPosix
import Testing

@testable import ResearchService

/// Runs `body` with a website provider whose client runs on its own thread pool, against a fresh
/// fake company website; shuts both down afterwards.
private func withWebsite<Result: Sendable>(
    environment: [String: String] = [:],
    slowPaths: Set<String> = [],
    _ body: @Sendable (_ provider: CompanyWebsiteProvider, _ baseURL: String, _ log: WebsiteRequestLog) async throws -> Result,
    configure: @Sendable (inout CompanyWebsiteConfiguration, _ baseURL: String) -> Void = { _, _ in }
) async throws -> Result {
    let pool = NIOThreadPool(numberOfThreads: 2)
    pool.start()
    let log = WebsiteRequestLog()
    let server = try await WebsiteServer.start(log: log, slowPaths: slowPaths)
    do {
        var configuration = try CompanyWebsiteConfiguration(environment: environment)
        configure(&configuration, server.baseURL)
        let provider = CompanyWebsiteProvider(client: HTTPClient(threadPool: pool), configuration: configuration)
        let result = try await body(provider, server.baseURL, log)
        await server.stop()
        try await pool.shutdownGracefully()
        return result
    } catch {
        await server.stop()
        try? await pool.shutdownGracefully()
        throw error
    }
}

private func northwind(website: String?, variants: [String] = []) -> CompanyResearchRequest {
    CompanyResearchRequest(
        companyName: "Northwind Robotics, Inc.",
        nameVariants: variants,
        website: website,
        jobTitle: "Senior Robotics Software Engineer",
        department: "Engineering"
    )
}

@Suite("Company website provider against a fake company site")
struct WebsiteProviderTests {
    @Test func readsTheLinkedPagesAndRejectsTheCookieWallAndTheJavaScriptShell() async throws {
        try await withWebsite(environment: ["RESEARCH_WEBSITE_MAX_PAGES": "10"]) { provider, baseURL, log in
            let findings = try await provider.gather(northwind(website: baseURL))

            #expect(findings.website == baseURL)
            #expect(findings.pages.map(\.url) == ["/", "/about", "/team", "/news", "/careers"].map { baseURL + $0 })
            #expect(findings.pages.map(\.kind) == [.home, .about, .team, .news, .careers])
            #expect(findings.pages.first?.title == "Northwind Robotics — Autonomous robots for busy warehouses")
            #expect(findings.pages.first { $0.kind == .team }?.title == "Our team | Northwind Robotics")

            // Navigation, footers and scripts stay out of the text; the content stays in.
            let about = try #require(findings.pages.first { $0.kind == .about })
            #expect(about.text.contains("Northwind Robotics is a Boston-based robotics company"))
            #expect(!about.text.contains("All rights reserved"))
            #expect(!about.text.hasPrefix("Northwind Robotics\nAbout"))
            #expect(findings.pages.allSatisfy { !$0.text.contains("dataLayer") })

            let notes = findings.notes.joined(separator: "\n")
            #expect(notes.contains("rejected /leadership: cookie wall"))
            #expect(notes.contains("rejected /blog: javascript required"))
            #expect(notes.contains("skipped /press: HTTP 404"))

            // One request per page, in order, same host only, with the provider's user agent; the
            // brochure, the privacy page, the duplicate media link and the other sites are never asked for.
            #expect(log.paths == ["/", "/about", "/team", "/leadership", "/news", "/careers", "/press", "/blog"])
            #expect(log.all.allSatisfy { $0.userAgent == CompanyWebsiteConfiguration.defaultUserAgent })
        }
    }

    @Test func readsPeopleWithRolesFromTheTeamAndAboutPages() async throws {
        try await withWebsite { provider, baseURL, _ in
            let findings = try await provider.gather(northwind(website: baseURL))
            let people = Dictionary(uniqueKeysWithValues: findings.people.map { ($0.name, $0) })

            #expect(findings.people.count == 11)
            #expect(people["Ada Okafor"]?.role == "Co-founder & CEO")
            #expect(people["Ada Okafor"]?.source == "\(baseURL)/about")
            #expect(people["Ada Okafor"]?.profileURL == "https://www.linkedin.com/in/ada-okafor-example/")
            #expect(people["Marta Kowalczyk"]?.role == "Chief Operating Officer")
            #expect(people["Mei-Ling Chen"]?.role == "Head of Engineering")
            #expect(people["Mei-Ling Chen"]?.source == "\(baseURL)/team")
            #expect(people["Mei-Ling Chen"]?.profileURL == "https://www.linkedin.com/in/mei-ling-chen-example/")
            #expect(people["Priya Raman"]?.role == "Senior Technical Recruiter")
            #expect(people["Priya Raman"]?.profileURL == "https://www.linkedin.com/in/priya-raman-example/")
            #expect(people["Jonas van der Berg"]?.role == "Staff Robotics Engineer")
            #expect(people["Tomás Herrera"]?.role == "VP of Sales")
            #expect(people["Grace O'Neill"]?.role == "Head of People")
            #expect(people["Hana Sato"]?.role == "Advisor, Robotics Safety")
            #expect(people["Samuel Adeyemi"]?.role == "Board Member")
            #expect(people["Sofia Rossi"]?.profileURL == nil)
            for notAPerson in ["Your Name Here", "Boston Office", "Meet the team", "Northwind Robotics"] {
                #expect(people[notAPerson] == nil, "\(notAPerson) is not a person")
            }
        }
    }

    @Test func newsAndAboutPagesGiveDatedSignalsWithTheirSource() async throws {
        try await withWebsite { provider, baseURL, _ in
            let findings = try await provider.gather(northwind(website: baseURL))
            let reader = CompanySignalReader()
            let news = try #require(findings.pages.first { $0.kind == .news })
            let signals = reader.signals(in: news)

            #expect(signals.map(\.kind) == [.funding, .acquisition, .partnership, .productLaunch, .leadershipChange, .growth])
            #expect(signals.map(\.date) == ["2025-03-14", "2025-01-28", "2024-11-05", "2024-09", "2024-06-03", "2024-03"])
            #expect(signals.allSatisfy { $0.sourceURL == "\(baseURL)/news" })
            #expect(signals.first?.summary == "Northwind Robotics raises $40M Series B to scale warehouse fleets")

            let about = try #require(findings.pages.first { $0.kind == .about })
            let history = reader.signals(in: about)
            #expect(history.map(\.kind) == [.growth, .productLaunch, .growth])
            #expect(history.map(\.date) == ["2021", "2023", "2024"])

            let facts = CompanyFactsReader(companyName: "Northwind Robotics").facts(from: findings.pages)
            #expect(facts.summary?.hasPrefix("Northwind Robotics is a Boston-based robotics company") == true)
            #expect((facts.summary?.count ?? 0) <= 400)
            #expect(facts.summarySourceURL == "\(baseURL)/about")
            #expect(facts.industry == "Robotics")
            #expect(facts.employeeCount == 140)
            #expect(facts.employeeCountText == "team of 140")
        }
    }

    @Test func aNotFoundPageAndAPageThatTimesOutDoNotFailTheRun() async throws {
        try await withWebsite(slowPaths: ["careers"]) { provider, baseURL, _ in
            let findings = try await provider.gather(northwind(website: baseURL))

            #expect(findings.pages.map(\.kind) == [.home, .about, .team, .news])
            let notes = findings.notes.joined(separator: "\n")
            #expect(notes.contains("skipped /careers: timed out"))
            #expect(notes.contains("skipped /press: HTTP 404"))
            #expect(!findings.people.isEmpty)
        } configure: { configuration, _ in
            configuration.pageTimeout = .milliseconds(500)
        }
    }

    @Test func aPageIsReadOnceAndRedirectsOffTheSiteAreNotFollowedUp() async throws {
        try await withWebsite { provider, baseURL, log in
            let findings = try await provider.gather(northwind(website: "\(baseURL)/sites/redirects"))

            #expect(log.paths == ["/sites/redirects", "/about-us", "/team", "/team", "/jobs", "/careers"])
            #expect(findings.pages.map(\.url) == ["\(baseURL)/team"])
            #expect(
                findings.notes == [
                    "rejected /sites/redirects: too little text (3 words, 16 characters)",
                    "skipped /team: the same page as one already read",
                    "skipped /jobs: redirected off the site to localhost",
                ])
        }
    }

    @Test func thePageLimitKeepsTheMostUsefulPages() async throws {
        try await withWebsite(environment: ["RESEARCH_WEBSITE_MAX_PAGES": "2"]) { provider, baseURL, log in
            let findings = try await provider.gather(northwind(website: baseURL))

            #expect(log.paths == ["/", "/about", "/team"])
            #expect(findings.pages.map(\.kind) == [.home, .about, .team])
            #expect(findings.notes.contains { $0.hasPrefix("read 2 of 7 linked pages (RESEARCH_WEBSITE_MAX_PAGES=2)") })
        }
    }

    @Test func offlineConfigurationMakesTheProviderUnavailable() async throws {
        try await withWebsite(environment: ["RESEARCH_OFFLINE": "1"]) { provider, baseURL, log in
            #expect(await provider.unavailableReason() == "offline mode (RESEARCH_OFFLINE=1)")
            let findings = try await provider.gather(northwind(website: baseURL))
            #expect(findings.pages.isEmpty)
            #expect(log.paths.isEmpty)
        }
    }

    @Test func withoutAWebsiteAndWithoutGuessingThereIsNothingToReadAndANoteSaysWhy() async throws {
        try await withWebsite(environment: ["RESEARCH_GUESS_DOMAIN": "0"]) { provider, _, log in
            #expect(await provider.unavailableReason() == nil)
            let findings = try await provider.gather(northwind(website: nil))
            #expect(findings == ProviderFindings(notes: ["no website known and domain guessing is off (RESEARCH_GUESS_DOMAIN=0)"]))
            #expect(log.paths.isEmpty)
        }
    }

    @Test func aGuessedDomainIsKeptWhenItsPageNamesTheCompany() async throws {
        try await withWebsite(environment: ["RESEARCH_WEBSITE_MAX_PAGES": "1"]) { provider, baseURL, log in
            let findings = try await provider.gather(northwind(website: nil))

            #expect(log.paths.first == "/sites/northwindrobotics")
            #expect(findings.website == baseURL)
            #expect(findings.pages.map(\.kind) == [.home, .about])
            #expect(findings.notes.contains("website guessed as \(baseURL)"))
        } configure: { configuration, baseURL in
            configuration.guessTemplate = "\(baseURL)/sites/{name}"
        }
    }

    @Test func aParkedOrUnrelatedGuessIsNotTheCompanysSite() async throws {
        try await withWebsite { provider, baseURL, log in
            let request = CompanyResearchRequest(
                companyName: "Acme Anvils GmbH",
                nameVariants: ["Globex Logistics", "ACME ANVILS", "Missing Co"],
                jobTitle: "Engineer"
            )
            let findings = try await provider.gather(request)

            #expect(findings.website == nil)
            #expect(findings.pages.isEmpty)
            #expect(log.paths == ["/sites/acmeanvils", "/sites/globexlogistics", "/sites/missing"])
            #expect(findings.notes.count == 3)
            #expect(findings.notes.first?.hasPrefix("guessed \(baseURL)/sites/acmeanvils: parked domain") == true)
            #expect(
                findings.notes.dropFirst().first
                    == "guessed \(baseURL)/sites/globexlogistics: the page does not name Acme Anvils GmbH; ignored")
            #expect(findings.notes.last == "guessed \(baseURL)/sites/missing: HTTP 404")
        } configure: { configuration, baseURL in
            configuration.guessTemplate = "\(baseURL)/sites/{name}"
        }
    }

    @Test func aKnownWebsiteWhoseHomePageFailsFailsTheProvider() async throws {
        try await withWebsite { provider, baseURL, _ in
            await #expect(throws: CompanyWebsiteError.homeUnreachable("\(baseURL)/status/503", reason: "HTTP 503")) {
                try await provider.gather(northwind(website: "\(baseURL)/status/503"))
            }
            await #expect(throws: CompanyWebsiteError.homeUnreachable("\(baseURL)/sites/huge", reason: "larger than the page size cap")) {
                try await provider.gather(northwind(website: "\(baseURL)/sites/huge"))
            }
            await #expect(throws: CompanyWebsiteError.invalidWebsite("ftp://northwind.example")) {
                try await provider.gather(northwind(website: "ftp://northwind.example"))
            }
        }
    }
}

// MARK: - Configuration

@Suite("Company website configuration")
struct WebsiteConfigurationTests {
    @Test func defaults() throws {
        let configuration = try CompanyWebsiteConfiguration(environment: [:])
        #expect(configuration == CompanyWebsiteConfiguration())
        #expect(configuration.offline == false)
        #expect(configuration.guessDomain == true)
        #expect(configuration.maxPages == 6)
        #expect(configuration.pageTimeout == .seconds(10))
        #expect(configuration.maxPageBytes == 2 * 1024 * 1024)
        #expect(configuration.guessTemplate == "https://{name}.com")
    }

    @Test func readsEveryVariable() throws {
        let configuration = try CompanyWebsiteConfiguration(environment: [
            "RESEARCH_OFFLINE": "true",
            "RESEARCH_GUESS_DOMAIN": "off",
            "RESEARCH_WEBSITE_MAX_PAGES": "3",
            "RESEARCH_WEBSITE_TIMEOUT_SECONDS": "2.5",
            "RESEARCH_WEBSITE_USER_AGENT": "JobsmithResearch/1.0 (ops@example.org)",
        ])
        #expect(configuration.offline)
        #expect(!configuration.guessDomain)
        #expect(configuration.maxPages == 3)
        #expect(configuration.pageTimeout == .milliseconds(2500))
        #expect(configuration.userAgent == "JobsmithResearch/1.0 (ops@example.org)")
    }

    @Test(arguments: [
        ("RESEARCH_OFFLINE", "maybe", "RESEARCH_OFFLINE must be 1/true/yes/on or 0/false/no/off, got 'maybe'"),
        ("RESEARCH_GUESS_DOMAIN", "2", "RESEARCH_GUESS_DOMAIN must be 1/true/yes/on or 0/false/no/off, got '2'"),
        ("RESEARCH_WEBSITE_MAX_PAGES", "0", "RESEARCH_WEBSITE_MAX_PAGES must be a whole number from 1 to 50, got '0'"),
        ("RESEARCH_WEBSITE_MAX_PAGES", "six", "RESEARCH_WEBSITE_MAX_PAGES must be a whole number from 1 to 50, got 'six'"),
        (
            "RESEARCH_WEBSITE_TIMEOUT_SECONDS", "-1",
            "RESEARCH_WEBSITE_TIMEOUT_SECONDS must be a number of seconds above 0 and at most 300, got '-1'"
        ),
        (
            "RESEARCH_WEBSITE_TIMEOUT_SECONDS", "ten",
            "RESEARCH_WEBSITE_TIMEOUT_SECONDS must be a number of seconds above 0 and at most 300, got 'ten'"
        ),
    ])
    func rejectsBadValuesWithTheVariablesName(variable: String, value: String, message: String) {
        #expect {
            _ = try CompanyWebsiteConfiguration(environment: [variable: value])
        } throws: { error in
            guard let error = error as? CompanyWebsiteConfigurationError else { return false }
            return error.variable == variable && error.description == message
        }
    }

    @Test func emptyValuesKeepTheDefaults() throws {
        let configuration = try CompanyWebsiteConfiguration(environment: ["RESEARCH_WEBSITE_MAX_PAGES": " ", "RESEARCH_OFFLINE": ""])
        #expect(configuration == CompanyWebsiteConfiguration())
    }
}
