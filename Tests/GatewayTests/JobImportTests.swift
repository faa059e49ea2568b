import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IngestionService
import IntegrationTesting
import JobsmithTesting
import Messaging
import Redis
import Runtime
import Store
import Testing

/// A job imported by URL from end to end: the gateway queues it, the ingestion service's handler
/// (built as the service builds it) fetches the page from a loopback server, reads its schema.org
/// `JobPosting`, stores and publishes the job, and the import's state reads back from every replica.
///
/// No real careers page with JobPosting JSON-LD is among the shared fixtures, so the page is made as
/// an ATS renders one (the markup Google's job-posting documentation shows) around a real posting of
/// the Ashby dataset: Coder's "Software Engineer (Back-end)", its HTML description and its dates.
@Suite("Job import by URL") struct JobImportTests {
    /// Imports need no pause between requests to one host, and a page that fails is not retried here.
    static let environment = ["INGESTION_HOST_INTERVAL_MS": "0", "INGESTION_MAX_ATTEMPTS": "1"]

    @Test func aPageWithAJobPostingBecomesAJobAndTheImportSucceeds() async throws {
        let posting = try Self.realPosting(company: "Coder", title: "Software Engineer (Back-end)")
        let page = Self.page(posting: posting)
        let router = Router()
        router.get("careers/backend") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: page)))
        }
        try await withLoopbackServer(router) { base in
            try await withGateway(environment: Self.environment) { client, context in
                let url = "\(base)/careers/backend"
                let importID = try await Self.queue(client, url: url)
                let state = try await Self.runIngestion(context)
                #expect(state?.status == .succeeded)

                let status = try await Self.state(client, importID)
                #expect(status["status"] as? String == "succeeded")
                #expect(status["duplicate"] as? Bool == false)
                #expect(status["error"] == nil)
                let jobID = try #require(status["job_id"] as? Int)

                try await client.execute(uri: "/api/jobs/\(jobID)", method: .get) { response in
                    let job = try response.object()["job"] as? [String: Any] ?? [:]
                    #expect(job["source"] as? String == "url")
                    #expect(job["external_id"] as? String == url)
                    #expect(job["title"] as? String == "Software Engineer (Back-end)")
                    #expect(job["company"] as? String == "Coder")
                    #expect(job["locations"] as? [String] == ["United States"])
                    #expect((job["posted_at"] as? String)?.hasPrefix("2025-10-07") == true)
                    let text = job["description_text"] as? String ?? ""
                    #expect(text.count > 1000 && !text.contains("<"))
                    #expect(!(job["description_html"] as? String ?? "").contains("<script"))
                }
                let published = try await JobEditTests.entries(context, stream: context.streams.jobsIngested)
                #expect(published.map(\.jobID) == [jobID])
                #expect(published.first?.correlationID == importID)

                // The same page again: the same job, not sent down the pipeline twice.
                let again = try await Self.queue(client, url: url)
                _ = try await Self.runIngestion(context)
                let second = try await Self.state(client, again)
                #expect(second["status"] as? String == "succeeded")
                #expect(second["job_id"] as? Int == jobID)
                #expect(second["duplicate"] as? Bool == true)
                #expect(try await JobEditTests.entries(context, stream: context.streams.jobsIngested).count == 1)
                #expect(try await context.store.searchJobs(JobQuery()).total == 1)
            }
        }
    }

    @Test func aPageWithoutAJobPostingOrThatCannotBeFetchedFailsTheImportWithTheReason() async throws {
        let router = Router()
        router.get("careers") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html"], body: .init(byteBuffer: ByteBuffer(string: "<html><h1>Careers</h1><p>We are hiring!</p></html>")))
        }
        try await withLoopbackServer(router) { base in
            try await withGateway(environment: Self.environment) { client, context in
                let bare = try await Self.queue(client, url: "\(base)/careers")
                #expect(try await Self.runIngestion(context)?.status == .failed)
                let failed = try await Self.state(client, bare)
                #expect(failed["status"] as? String == "failed")
                #expect((failed["error"] as? String)?.contains("the page has no schema.org JobPosting") == true, "\(failed)")
                #expect(failed["job_id"] == nil)

                let missing = try await Self.queue(client, url: "\(base)/careers/gone")
                #expect(try await Self.runIngestion(context)?.status == .failed)
                let gone = try await Self.state(client, missing)
                #expect((gone["error"] as? String)?.contains("404") == true, "\(gone)")

                #expect(try await context.store.searchJobs(JobQuery()).total == 0)
                #expect(try await JobEditTests.entries(context, stream: context.streams.jobsIngested).isEmpty)
            }
        }
    }

    // MARK: - Helpers

    /// Queues an import through the API and returns its id.
    static func queue(_ client: some TestClientProtocol, url: String) async throws -> String {
        try await client.execute(uri: "/api/jobs", method: .post, headers: .authorizedJSON, body: try jsonBody(["url": url])) { response in
            #expect(response.status == .accepted)
            return try #require(try response.object()["import_id"] as? String)
        }
    }

    static func state(_ client: some TestClientProtocol, _ importID: String) async throws -> [String: Any] {
        try await client.execute(uri: "/api/jobs/imports/\(importID)", method: .get) { response in
            #expect(response.status == .ok)
            return try response.object()
        }
    }

    /// Hands the newest ingestion command to the ingestion service's handler, as its consumer would,
    /// and returns the import's state afterwards.
    static func runIngestion(_ context: ServiceContext) async throws -> IngestURLCommand.State? {
        let handler = try #require(try await IngestionService.parts(context: context).handler)
        let reply = try await context.redis.send("XREVRANGE", context.streams.ingestionCommands, "+", "-", "COUNT", 1)
        let entry = try #require(reply.array?.first?.array)
        let envelope = try Envelope(fields: try #require(entry[1].pairs))
        try await handler.handle(
            ReceivedMessage(stream: context.streams.ingestionCommands, entryID: entry[0].string ?? "", envelope: envelope, deliveryCount: 1)
        )
        let command = try envelope.decode(IngestURLCommand.self)
        return IngestURLCommand.State(hash: try await context.redis.send("HGETALL", IngestURLCommand.stateKey(context.streams, importID: command.importID)))
    }

    /// One posting of the Ashby dataset, as its board sent it.
    static func realPosting(company: String, title: String) throws -> [String: Any] {
        let data = try Data(contentsOf: TestEnvironment.ashbyDatasetDirectory.appendingPathComponent("\(company).json"))
        let jobs = (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["jobs"] as? [[String: Any]] ?? []
        return try #require(jobs.first { $0["title"] as? String == title })
    }

    /// A careers page carrying the posting as schema.org JSON-LD, beside the site's other markup.
    static func page(posting: [String: Any]) -> String {
        let jsonLD: [String: Any] = [
            "@context": "https://schema.org/",
            "@type": "JobPosting",
            "title": posting["title"] as? String ?? "",
            "description": posting["descriptionHtml"] as? String ?? "",
            "datePosted": posting["publishedAt"] as? String ?? "",
            "employmentType": posting["employmentType"] as? String ?? "",
            "hiringOrganization": ["@type": "Organization", "name": "Coder", "sameAs": "https://coder.com"],
            "jobLocation": ["@type": "Place", "address": ["@type": "PostalAddress", "addressCountry": posting["location"] as? String ?? ""]],
            "identifier": ["@type": "PropertyValue", "name": "Coder", "value": posting["id"] as? String ?? ""],
        ]
        let json = (try? JSONSerialization.data(withJSONObject: jsonLD)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(posting["title"] as? String ?? "") – Coder</title>
            <script type="application/ld+json">{"@context": "https://schema.org", "@type": "Organization", "name": "Coder", "url": "https://coder.com"}</script>
            <script type="application/ld+json">\(json)</script>
            <script src="/static/app.js"></script>
            </head><body><div id="root"><h1>\(posting["title"] as? String ?? "")</h1></div></body></html>
            """
    }
}
