import Domain
import Foundation
import IngestionService
import JobsmithTesting
import Testing

/// No real page with JobPosting JSON-LD was found (see the fixtures' PROVENANCE.md), so these pages
/// are built from the shapes Google's job-posting documentation and schema.org show.
@Suite struct JSONLDPageParserTests {
    static func parse(_ html: String, url: String? = "https://careers.acme.example/jobs/backend") throws -> BoardPage {
        try JSONLDPageParser().parse(Data(html.utf8), context: BoardContext(source: "acme", board: "acme", url: url))
    }

    /// A careers page as an ATS renders it: an Organization block, then the posting, with the tags
    /// written differently.
    static let careersPage = """
        <!DOCTYPE html>
        <html lang="en"><head>
        <meta charset="utf-8"><title>Senior Backend Engineer – Acme</title>
        <script type='application/ld+json'>
        {"@context": "https://schema.org", "@type": "Organization", "name": "Acme", "url": "https://acme.example"}
        </script>
        <script async src="https://cdn.example/analytics.js"></script>
        <SCRIPT id="job-posting" TYPE="application/ld+json; charset=utf-8">
        {
          "@context": "https://schema.org/",
          "@type": "JobPosting",
          "title": "Senior Backend Engineer",
          "description": "<p>Acme builds <strong>rockets</strong>.</p><ul><li>Swift</li><li>PostgreSQL</li></ul>",
          "identifier": {"@type": "PropertyValue", "name": "Acme", "value": "BE-1234"},
          "datePosted": "2026-07-01T09:30:00+02:00",
          "validThrough": "2026-08-31T23:59",
          "employmentType": ["FULL_TIME", "CONTRACTOR"],
          "hiringOrganization": {"@type": "Organization", "name": "Acme Corp", "sameAs": "https://acme.example", "logo": "https://acme.example/logo.png"},
          "jobLocation": [
            {"@type": "Place", "address": {"@type": "PostalAddress", "streetAddress": "1 Main St", "addressLocality": "Berlin", "addressRegion": "BE", "postalCode": "10115", "addressCountry": "DE"}},
            {"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": "Munich", "addressCountry": {"@type": "Country", "name": "Germany"}}}
          ],
          "baseSalary": {"@type": "MonetaryAmount", "currency": "eur", "value": {"@type": "QuantitativeValue", "minValue": 80000, "maxValue": "95,000", "unitText": "YEAR"}},
          "url": "/jobs/backend?utm_source=google",
          "directApply": true
        }
        </SCRIPT>
        </head><body><h1>Senior Backend Engineer</h1></body></html>
        """

    @Test func readsACareersPageWithSeveralBlocks() throws {
        let page = try Self.parse(Self.careersPage)
        #expect(page.rejected.isEmpty)
        let posting = try #require(page.postings.first)
        #expect(page.postings.count == 1)
        #expect(posting.source == "acme")
        #expect(posting.externalID == "BE-1234")
        #expect(posting.title == "Senior Backend Engineer")
        #expect(posting.company == "Acme Corp")
        #expect(posting.locations == ["Berlin, BE, DE", "Munich, Germany"])
        #expect(posting.workplaceType == nil)
        #expect(posting.isRemote == nil)
        #expect(posting.employmentType == "FULL_TIME, CONTRACTOR")
        #expect(posting.salary == Salary(minimum: 80_000, maximum: 95_000, currency: "EUR", interval: .year))
        #expect(posting.postedAt == Date(timeIntervalSince1970: 1_782_891_000))  // 2026-07-01T07:30:00Z
        #expect(posting.jobURL == "https://careers.acme.example/jobs/backend?utm_source=google")
        #expect(posting.applyURL == posting.jobURL)
        #expect(posting.descriptionHTML == "<p>Acme builds <strong>rockets</strong>.</p><ul><li>Swift</li><li>PostgreSQL</li></ul>")
        let raw = try #require(try JSONSerialization.jsonObject(with: Data(posting.raw)) as? [String: Any])
        #expect(raw["validThrough"] as? String == "2026-08-31T23:59")
    }

    /// Yoast and similar plugins put every node of the page in one `@graph`, linked by `@id`.
    @Test func readsAGraphAndFollowsReferences() throws {
        let html = """
            <html><head><script type="application/ld+json">
            {"@context": "https://schema.org", "@graph": [
              {"@type": "WebPage", "@id": "https://jobs.globex.example/ops#webpage", "name": "Ops"},
              {"@type": "Organization", "@id": "https://globex.example/#org", "name": "Globex &amp; Co", "sameAs": ["https://www.linkedin.com/company/globex"]},
              {"@type": ["JobPosting", "Thing"], "@id": "https://jobs.globex.example/ops#job",
               "title": "Site Reliability Engineer",
               "description": "&lt;p&gt;Keep &lt;b&gt;Globex&lt;/b&gt; up &amp;amp; running.&lt;/p&gt;",
               "datePosted": "2026-07-05",
               "hiringOrganization": {"@id": "https://globex.example/#org"},
               "jobLocationType": "TELECOMMUTE",
               "applicantLocationRequirements": [{"@type": "Country", "name": "USA"}, {"@type": "State", "name": "Ontario"}],
               "employmentType": "FULL_TIME",
               "baseSalary": {"@type": "MonetaryAmount", "currency": "USD", "value": {"@type": "QuantitativeValue", "value": 65, "unitText": "HOUR"}}}
            ]}
            </script></head></html>
            """
        let page = try Self.parse(html, url: "https://jobs.globex.example/ops")
        let posting = try #require(page.postings.first)
        #expect(page.postings.count == 1)
        #expect(posting.company == "Globex & Co")
        // No identifier and no url of its own: the page's URL names it.
        #expect(posting.externalID == "https://jobs.globex.example/ops")
        #expect(posting.jobURL == "https://jobs.globex.example/ops")
        #expect(posting.applyURL == nil)
        #expect(posting.descriptionHTML == "<p>Keep <b>Globex</b> up &amp; running.</p>")
        #expect(posting.workplaceType == .remote)
        #expect(posting.isRemote == true)
        #expect(posting.locations == ["USA", "Ontario"])
        #expect(posting.salary == Salary(minimum: 65, maximum: 65, currency: "USD", interval: .hour))
        #expect(posting.postedAt == Date(timeIntervalSince1970: 1_783_209_600))  // 2026-07-05T00:00:00Z
    }

    /// A listing page that puts every opening in one array, with the salary as a plain number.
    @Test func readsAnArrayOfPostings() throws {
        let html = """
            <html><body>
            <script type=application/ld+json>
            [
              {"@context": "http://schema.org", "@type": "JobPosting", "title": "Barista", "identifier": "cafe-7",
               "description": "<p>Coffee.</p>", "hiringOrganization": "Initech Café",
               "jobLocation": {"@type": "Place", "address": "Austin, TX"},
               "employmentType": "PART_TIME",
               "baseSalary": {"@type": "MonetaryAmount", "currency": "USD", "value": 18.5, "unitText": "HOUR"}},
              {"@context": "http://schema.org", "@type": "schema:JobPosting", "title": "Shift Lead", "identifier": 8,
               "description": "<p>Lead.</p>", "hiringOrganization": {"name": "Initech Café"},
               "jobLocation": {"@type": "Place", "name": "Downtown store"},
               "baseSalary": 42000},
              {"@context": "http://schema.org", "@type": "BreadcrumbList", "itemListElement": []}
            ]
            </script></body></html>
            """
        let page = try Self.parse(html, url: "https://initech.example/careers")
        #expect(page.postings.map(\.externalID) == ["cafe-7", "8"])
        #expect(page.postings.map(\.company) == ["Initech Café", "Initech Café"])
        #expect(page.postings[0].locations == ["Austin, TX"])
        #expect(page.postings[0].salary == Salary(minimum: 18.5, maximum: 18.5, currency: "USD", interval: .hour))
        #expect(page.postings[1].locations == ["Downtown store"])
        #expect(page.postings[1].salary == Salary(minimum: 42_000, maximum: 42_000))
        #expect(page.postings[1].employmentType == nil)
        #expect(page.postings.allSatisfy { $0.jobURL == "https://initech.example/careers" })
    }

    @Test func postingsWithoutIdentifiersOnOnePageGetDistinctIDs() throws {
        let html = """
            <script type="application/ld+json">{"@type": "JobPosting", "title": "A", "description": "a", "hiringOrganization": {"name": "X"}}</script>
            <script type="application/ld+json">{"@type": "JobPosting", "title": "B", "description": "b", "hiringOrganization": {"name": "X"}}</script>
            """
        let page = try Self.parse(html, url: "https://x.example/jobs")
        #expect(page.postings.map(\.externalID) == ["https://x.example/jobs", "https://x.example/jobs#1"])
    }

    @Test func aPostingMarkedUpTwiceIsReadOnce() throws {
        let block = #"<script type="application/ld+json">{"@type": "JobPosting", "identifier": "j-1", "title": "A", "description": "a", "hiringOrganization": {"name": "X"}}</script>"#
        let page = try Self.parse(block + "\n<body>" + block + "</body>")
        #expect(page.postings.map(\.externalID) == ["j-1"])
        #expect(page.rejected.isEmpty)
    }

    @Test func toleratesLineBreaksInsideStringsAndCommentGuards() throws {
        let html = """
            <script type="application/ld+json"><!--
            {"@type": "JobPosting", "title": "Writer", "identifier": "w1",
             "description": "<p>Line one</p>
            <p>Line two</p>", "hiringOrganization": {"name": "Hooli"}}
            --></script>
            """
        let page = try Self.parse(html)
        #expect(page.postings.first?.descriptionHTML == "<p>Line one</p>\n<p>Line two</p>")
    }

    @Test func aPageWithoutJobPostingJSONLDIsAnError() {
        for html in [
            "<html><head><title>Careers</title></head><body>No structured data</body></html>",
            #"<script type="application/ld+json">{"@type": "Organization", "name": "Acme"}</script>"#,
            #"<script type="text/javascript">var job = {"@type": "JobPosting"};</script>"#,
        ] {
            let error = #expect(throws: IngestionError.self) { try Self.parse(html) }
            #expect(error?.kind == .unreadablePayload)
            #expect(error?.message == "no schema.org JobPosting JSON-LD on the page")
        }
    }

    @Test func aBrokenBlockIsRejectedAndTheOthersStillCount() throws {
        let html = """
            <html><head>
            <script type="application/ld+json">{"@type": "JobPosting", "title": "Broken", "description": "<p>x</p>",, }</script>
            <script type="application/ld+json">{"@type": "BreadcrumbList", "itemListElement": [</script>
            <script type="application/ld+json">
            {"@type": "JobPosting", "title": "Designer", "identifier": "d-1", "description": "<p>Design.</p>",
             "hiringOrganization": {"@type": "Organization", "name": "Umbrella"}}
            </script>
            </head></html>
            """
        let page = try Self.parse(html)
        #expect(page.postings.map(\.title) == ["Designer"])
        #expect(page.rejected.count == 1)
        #expect(page.rejected.first?.reference == "ld+json block #0")
        #expect(page.rejected.first?.reason.hasPrefix("malformed JSON-LD") == true)
    }

    @Test func rejectsPostingsWithoutTitleOrOrganization() throws {
        let html = """
            <script type="application/ld+json">[
              {"@type": "JobPosting", "identifier": "t-0", "description": "<p>x</p>", "hiringOrganization": {"name": "Acme"}},
              {"@type": "JobPosting", "identifier": {"@type": "PropertyValue", "value": "t-1"}, "title": "Orphan", "description": "<p>x</p>"},
              {"@type": "JobPosting", "title": "Nameless org", "description": "<p>x</p>", "hiringOrganization": {"sameAs": "https://x.example"}},
              {"@type": "JobPosting", "identifier": "t-3", "title": "Fine", "description": "<p>x</p>", "hiringOrganization": {"name": "Acme"}}
            ]</script>
            """
        let page = try Self.parse(html, url: nil)
        #expect(page.postings.map(\.externalID) == ["t-3"])
        #expect(page.rejected == [
            RejectedPosting(reference: "t-0", reason: "missing \"title\""),
            RejectedPosting(reference: "t-1", reason: "missing \"hiringOrganization\" name"),
            RejectedPosting(reference: "#2", reason: "missing \"hiringOrganization\" name"),
        ])
    }

    @Test func readsAJSONLDDocumentOnItsOwn() throws {
        let json = #"{"@context": "https://schema.org", "@type": "JobPosting", "title": "Analyst", "identifier": "a-9", "description": "<p>Numbers.</p>", "hiringOrganization": {"name": "Vandelay"}}"#
        let page = try Self.parse(json)
        #expect(page.postings.map(\.company) == ["Vandelay"])
    }
}
