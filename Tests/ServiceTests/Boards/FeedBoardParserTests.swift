import Domain
import Foundation
import IngestionService
import JobsmithTesting
import Testing

@Suite struct FeedBoardParserTests {
    static let context = BoardContext(source: "wwr", board: "weworkremotely", url: "https://weworkremotely.com/remote-jobs.rss")

    static func weWorkRemotely() throws -> BoardPage {
        let data = try Data(contentsOf: TestEnvironment.boardFixturesDirectory.appendingPathComponent("rss/remote-jobs-collector_wwr.xml"))
        return try FeedBoardParser().parse(data, context: context)
    }

    @Test func readsEveryWeWorkRemotelyItem() throws {
        let page = try Self.weWorkRemotely()
        #expect(page.rejected.isEmpty)
        #expect(page.postings.map(\.title) == [
            "Maths Coach",
            "Developer Advocate",
            "Entry-Level Crypto Market Specialist",
            "Technical Customer Support Specialist",
        ])
        #expect(page.postings.map(\.company) == ["Mathmo", "Qase", "APEX TRADE", "Qase"])
        // pubDate is `Fri, 10 Jul 2026 22:45:30 +0000` and so on.
        #expect(page.postings.map(\.postedAt) == [
            Date(timeIntervalSince1970: 1_783_723_530),  // 2026-07-10T22:45:30Z
            Date(timeIntervalSince1970: 1_783_712_690),  // 2026-07-10T19:44:50Z
            Date(timeIntervalSince1970: 1_783_696_886),  // 2026-07-10T15:21:26Z
            Date(timeIntervalSince1970: 1_783_691_540),  // 2026-07-10T13:52:20Z
        ])
        #expect(page.postings.map(\.employmentType) == ["Contract", "Full-Time", "Full-Time", "Full-Time"])
        for posting in page.postings {
            #expect(posting.source == "wwr")
            #expect(posting.isRemote == true)
            #expect(posting.workplaceType == .remote)
            #expect(posting.locations == ["Anywhere in the World"])
            #expect(posting.externalID.hasPrefix("https://weworkremotely.com/remote-jobs/"))
            #expect(posting.jobURL == posting.externalID)
            // The XML-escaped description is real HTML once read.
            #expect(posting.descriptionHTML.contains("<strong>Headquarters:</strong>"))
            #expect(posting.descriptionHTML.contains("<p>"))
            #expect(!posting.descriptionHTML.contains("&lt;"))
        }
    }

    @Test func keepsTheItemAsRawJSON() throws {
        let posting = try #require(try Self.weWorkRemotely().postings.first)
        #expect(posting.externalID == "https://weworkremotely.com/remote-jobs/mathmo-maths-coach")
        let raw = try #require(try JSONSerialization.jsonObject(with: Data(posting.raw)) as? [String: Any])
        #expect(raw["title"] as? String == "Mathmo: Maths Coach")
        #expect(raw["state"] as? String == "London")
        #expect(raw["country"] as? String == "")
        #expect(raw["expires_at"] as? String == "Sun, 09 Aug 2026 22:45:30 +0000")
        #expect((raw["media:content"] as? [String: Any])?["@url"] as? String == "https://wwr-pro.s3.amazonaws.com/logos/0171/5783/logo.gif")
        #expect((raw["description"] as? String)?.contains("forms.gle/cCzPxF3v6tuuDvnM6") == true)
    }

    @Test func readsAnAtomFeed() throws {
        let feed = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://careers.example.com/">
              <title>Acme Careers</title>
              <link rel="self" href="https://careers.example.com/jobs.atom"/>
              <link href="https://careers.example.com/"/>
              <updated>2026-07-12T09:00:00Z</updated>
              <id>urn:uuid:60a76c80-d399-11d9-b93c-0003939e0af6</id>
              <entry>
                <title type="html">R&amp;amp;D Engineer</title>
                <link rel="alternate" type="text/html" href="https://careers.example.com/jobs/41"/>
                <link rel="enclosure" href="https://careers.example.com/jobs/41.pdf"/>
                <id>tag:careers.example.com,2026:job-41</id>
                <published>2026-07-11T17:30:00+02:00</published>
                <updated>2026-07-12T08:00:00Z</updated>
                <location>Berlin, Germany</location>
                <content type="html">&lt;p&gt;Build &lt;em&gt;robots&lt;/em&gt;.&lt;/p&gt;</content>
              </entry>
              <entry>
                <title>Platform Engineer</title>
                <link href="/jobs/42"/>
                <id>tag:careers.example.com,2026:job-42</id>
                <updated>2026-07-10T12:00:00-05:00</updated>
                <author><name>Acme Robotics GmbH</name></author>
                <location>Remote (EU)</location>
                <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Run <b>Kubernetes</b> &amp; Postgres.</p><br/></div></content>
              </entry>
              <entry>
                <title>Office Manager</title>
                <id>tag:careers.example.com,2026:job-43</id>
                <updated>2026-07-09T08:00:00Z</updated>
                <summary>Keep the office running.
            Order the coffee.</summary>
              </entry>
              <entry>
                <id>tag:careers.example.com,2026:job-44</id>
                <content type="html">&lt;p&gt;No title&lt;/p&gt;</content>
              </entry>
              <entry>
                <title>Nobody knows where</title>
                <content type="html">&lt;p&gt;No id, no link&lt;/p&gt;</content>
              </entry>
            </feed>
            """
        let page = try FeedBoardParser().parse(Data(feed.utf8), context: BoardContext(source: "acme", board: "acme", url: "https://careers.example.com/jobs.atom"))
        #expect(page.postings.map(\.externalID) == [
            "tag:careers.example.com,2026:job-41", "tag:careers.example.com,2026:job-42", "tag:careers.example.com,2026:job-43",
        ])
        let first = page.postings[0]
        #expect(first.title == "R&D Engineer")
        #expect(first.company == "Acme Careers")  // no company, no author, no colon: the feed's title
        #expect(first.jobURL == "https://careers.example.com/jobs/41")
        #expect(first.postedAt == Date(timeIntervalSince1970: 1_783_783_800))  // 2026-07-11T15:30:00Z
        #expect(first.locations == ["Berlin, Germany"])
        #expect(first.workplaceType == nil)
        #expect(first.descriptionHTML == "<p>Build <em>robots</em>.</p>")

        let second = page.postings[1]
        #expect(second.company == "Acme Robotics GmbH")
        #expect(second.jobURL == "https://careers.example.com/jobs/42")
        #expect(second.postedAt == Date(timeIntervalSince1970: 1_783_702_800))  // 2026-07-10T17:00:00Z
        #expect(second.workplaceType == .remote)
        #expect(second.descriptionHTML == "<p>Run <b>Kubernetes</b> &amp; Postgres.</p><br />")

        let third = page.postings[2]
        #expect(third.jobURL == nil)
        #expect(third.descriptionHTML == "<p>Keep the office running.</p><p>Order the coffee.</p>")

        #expect(page.rejected == [
            RejectedPosting(reference: "tag:careers.example.com,2026:job-44", reason: "missing title"),
            RejectedPosting(reference: "#4", reason: "no guid, id or link to identify it"),
        ])
    }

    @Test func rejectsRSSItemsWithoutTitleOrIdentity() throws {
        let feed = """
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
              <title>Example Jobs</title><link>https://jobs.example.org/</link>
              <item><title>Data Engineer</title><link>https://jobs.example.org/1</link>
                <company>Globex</company><location>Lisbon, Portugal</location>
                <description>Short teaser</description>
                <content:encoded><![CDATA[<h2>About</h2><p>Pipelines: Spark & Kafka.</p>]]></content:encoded>
                <pubDate>Sat, 11 Jul 2026 09:15:00 EDT</pubDate></item>
              <item><link>https://jobs.example.org/2</link><description>No title</description></item>
              <item><title>No link</title><description>Nothing to point to</description></item>
              <item><title>Permalink only</title><guid>https://jobs.example.org/4</guid><description>Text</description></item>
              <item><title>Nothing to say</title><guid isPermaLink="false">job-5</guid></item>
            </channel></rss>
            """
        let page = try FeedBoardParser().parse(Data(feed.utf8), context: BoardContext(source: "ex", board: "example"))
        #expect(page.postings.count == 2)
        let first = page.postings[0]
        #expect(first.title == "Data Engineer")
        #expect(first.company == "Globex")  // its own element: the title is not split, nor the channel used
        #expect(first.descriptionHTML == "<h2>About</h2><p>Pipelines: Spark & Kafka.</p>")
        #expect(first.postedAt == Date(timeIntervalSince1970: 1_783_775_700))  // 2026-07-11T13:15:00Z
        #expect(first.externalID == "https://jobs.example.org/1")
        let second = page.postings[1]
        #expect(second.externalID == "https://jobs.example.org/4")
        #expect(second.jobURL == "https://jobs.example.org/4")
        #expect(second.company == "Example Jobs")
        #expect(page.rejected == [
            RejectedPosting(reference: "https://jobs.example.org/2", reason: "missing title"),
            RejectedPosting(reference: "#2", reason: "no guid, id or link to identify it"),
            RejectedPosting(reference: "job-5", reason: "no description"),
        ])
    }

    @Test func readsAnRSS1Feed() throws {
        let feed = """
            <?xml version="1.0"?>
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
              <channel rdf:about="https://jobs.example.net/"><title>Initech jobs</title><link>https://jobs.example.net/</link></channel>
              <item rdf:about="https://jobs.example.net/7">
                <title>TPS Report Analyst</title><link>https://jobs.example.net/7</link>
                <description>&lt;p&gt;Cover sheets.&lt;/p&gt;</description>
                <dc:date>2026-07-10T22:45:30-04:00</dc:date>
              </item>
            </rdf:RDF>
            """
        let page = try FeedBoardParser().parse(Data(feed.utf8), context: BoardContext(source: "initech", board: "initech"))
        let posting = try #require(page.postings.first)
        #expect(posting.company == "Initech jobs")
        #expect(posting.externalID == "https://jobs.example.net/7")
        #expect(posting.postedAt == Date(timeIntervalSince1970: 1_783_737_930))  // 2026-07-11T02:45:30Z
        #expect(posting.descriptionHTML == "<p>Cover sheets.</p>")
    }

    @Test(arguments: [
        "<html><body><h1>Jobs</h1></body></html>",
        #"{"jobs": []}"#,
        "<rss><channel><item><title>Broken",
        "",
    ])
    func aDocumentThatIsNotAFeedIsAnError(payload: String) {
        let error = #expect(throws: IngestionError.self) {
            try FeedBoardParser().parse(Data(payload.utf8), context: Self.context)
        }
        #expect(error?.kind == .unreadablePayload)
    }

    @Test(arguments: [
        ("Fri, 10 Jul 2026 22:45:30 +0000", 1_783_723_530.0),
        ("Fri, 10 Jul 2026 15:45:30 -0700", 1_783_723_530.0),
        ("Sat, 11 Jul 2026 04:15:30 +05:30", 1_783_723_530.0),
        ("10 Jul 2026 22:45:30 GMT", 1_783_723_530.0),
        ("Fri, 10 Jul 26 18:45:30 EDT", 1_783_723_530.0),
        ("Fri, 10 July 2026 22:45 UT", 1_783_723_500.0),
        ("Fri, 10 Jul 2026 22:45:30", 1_783_723_530.0),
    ])
    func readsRFC822Dates(text: String, seconds: Double) {
        #expect(BoardValues.rfc822Date(text) == Date(timeIntervalSince1970: seconds))
    }

    @Test(arguments: ["2026-07-10T22:45:30Z", "31 Feb 2026 10:00:00 GMT", "Fri, 10 Jul 2026 22:45:30 CET", "10 Foo 2026 10:00 GMT", "yesterday"])
    func refusesWhatIsNotAnRFC822Date(text: String) {
        #expect(BoardValues.rfc822Date(text) == nil)
    }
}
