import Domain
import Foundation
import IntegrationTesting
import JobsmithTesting
import Logging
import Messaging
import NIOPosix
import Postgres
import Redis
import ResearchService
import Runtime
import Store
import Testing
import TextAnalysis

/// The research handler against a real PostgreSQL database and Redis, offline (the posting is the
/// only provider), for the cache rules: fresh hit, expired entry, forced refresh, partial hit.
@Suite("Research handler", .serialized)
struct ResearchHandlerTests {
    private func withContext(now: @escaping @Sendable () -> Date = Date.init, _ body: (ServiceContext, ResearchHandler) async throws -> Void) async throws {
        try await withServiceContext(.research) { context in
            try await body(context, ResearchHandler(context: context, providers: [], cacheLifetime: .seconds(7 * 24 * 3600), now: now))
        }
    }

    static let posting = """
        <h2>About Northwind Robotics</h2>
        <p>Northwind Robotics builds autonomous forklifts for cold-storage warehouses. In March 2025 we raised a $40M Series B led by Harbor Ventures to expand across Europe.</p>
        <h2>What you'll do</h2>
        <ul><li>Build the fleet control plane in Go</li></ul>
        <h2>How to apply</h2>
        <p>Questions? Reach out to Priya Raman, our Technical Recruiter.</p>
        """

    /// A job of Northwind Robotics with its extraction stored, as the pipeline leaves it for research.
    private func storeJob(_ context: ServiceContext, externalID: String, title: String = "Senior Platform Engineer") async throws -> Int {
        let structure = DescriptionStructurer.structure(html: Self.posting)
        let rows = try await context.database.query(
            """
            INSERT INTO jobs (source, external_id, title, company, department, description_html, raw, content_hash, job_url)
            VALUES ('test', $1, $2, 'Northwind Robotics', 'Engineering', $3, '{}', $4, 'https://jobs.ashbyhq.com/northwind/' || $1) RETURNING id
            """,
            [externalID, title, Self.posting, "hash-\(externalID)"]
        )
        let jobID = try #require(try rows.first?.decode("id", as: Int.self))
        try await context.store.saveExtraction(jobID: jobID, .init(
            contentHash: "hash-\(externalID)",
            cleanText: structure.text,
            sections: try PostgresJSON(structure.sections),
            engine: "test",
            attempts: try PostgresJSON([String]())
        ))
        return jobID
    }

    private func handle<Message: PipelineMessage>(_ handler: ResearchHandler, _ message: Message, jobID: Int, stream: String) async throws {
        try await handler.handle(ReceivedMessage(
            stream: stream,
            entryID: "1-1",
            envelope: try Envelope(message, producer: "test", jobID: jobID),
            deliveryCount: 1
        ))
    }

    private struct Stored {
        var profile: CompanyProfile?
        var contacts: [Contact]
        var providers: [ProviderReport]
        var cacheHit: Bool
        var researchedAt: String?
    }

    private func stored(_ context: ServiceContext, jobID: Int) async throws -> Stored {
        let row = try #require(try await context.database.query(
            """
            SELECT c.profile, c.researched_at::text AS researched_at, r.contacts, r.providers, r.cache_hit
            FROM job_research r JOIN companies c ON c.id = r.company_id WHERE r.job_id = $1
            """,
            [jobID]
        ).first)
        return Stored(
            profile: try row.decode("profile", as: PostgresJSONValue?.self)?.decode(CompanyProfile.self),
            contacts: try row.decode("contacts", as: PostgresJSONValue.self).decode([Contact].self),
            providers: try row.decode("providers", as: PostgresJSONValue.self).decode([ProviderReport].self),
            cacheHit: try row.decode("cache_hit"),
            researchedAt: try row.decode("researched_at")
        )
    }

    @Test("Offline, a job's company profile is built from its posting and forwarded")
    func offlineProfileFromThePosting() async throws {
        try await withContext { context, handler in
            let jobID = try await storeJob(context, externalID: "a")
            try await handle(handler, JobExtracted(jobID: jobID), jobID: jobID, stream: context.streams.jobsExtracted)
            let result = try await stored(context, jobID: jobID)
            let profile = try #require(result.profile)
            #expect(profile.summary?.hasPrefix("Northwind Robotics builds autonomous forklifts") == true)
            #expect(profile.companyType == .employer)
            #expect(profile.signals.contains { $0.kind == .funding && $0.date == "2025-03" })
            #expect(result.providers.map(\.provider) == ["posting"])
            #expect(result.providers.first?.outcome == .used)
            #expect(!result.cacheHit)
            let recruiter = try #require(result.contacts.first { $0.name == "Priya Raman" })
            #expect(recruiter.contactType == .recruiter && !recruiter.isSynthetic && recruiter.priority == .primary)
            #expect(try await context.redis.send("XLEN", context.streams.jobsResearched).int == 1)
        }
    }

    @Test("A second job of a freshly researched company uses the cache and still gets its own contacts")
    func freshHitStillFindsContacts() async throws {
        try await withContext { context, handler in
            let first = try await storeJob(context, externalID: "a")
            try await handle(handler, JobExtracted(jobID: first), jobID: first, stream: context.streams.jobsExtracted)
            let before = try await stored(context, jobID: first)
            let second = try await storeJob(context, externalID: "b", title: "Data Engineer")
            try await handle(handler, JobExtracted(jobID: second), jobID: second, stream: context.streams.jobsExtracted)
            let after = try await stored(context, jobID: second)
            #expect(after.cacheHit)
            #expect(after.researchedAt == before.researchedAt)
            #expect(!after.contacts.isEmpty)
            #expect(after.contacts.contains { $0.name == "Priya Raman" })
        }
    }

    @Test("An expired profile is researched again; force_refresh refreshes a fresh one")
    func expiredAndForced() async throws {
        try await withContext { context, handler in
            let jobID = try await storeJob(context, externalID: "a")
            try await handle(handler, JobExtracted(jobID: jobID), jobID: jobID, stream: context.streams.jobsExtracted)
            try await context.database.query("UPDATE companies SET researched_at = now() - interval '8 days'")
            let second = try await storeJob(context, externalID: "b")
            try await handle(handler, JobExtracted(jobID: second), jobID: second, stream: context.streams.jobsExtracted)
            let expired = try await stored(context, jobID: second)
            #expect(!expired.cacheHit)
            let age = try await context.database.query("SELECT extract(epoch FROM now() - researched_at)::int AS age FROM companies").first?.decode("age", as: Int.self)
            #expect((age ?? 999) < 60)

            let command = OperationCommand(operationID: "op-1", jobID: second, operation: .researchCompany, force: true)
            try await handle(handler, command, jobID: second, stream: context.streams.commands(for: .research))
            #expect(try await stored(context, jobID: second).cacheHit == false)
            let unforced = OperationCommand(operationID: "op-2", jobID: second, operation: .researchCompany)
            try await handle(handler, unforced, jobID: second, stream: context.streams.commands(for: .research))
            #expect(try await stored(context, jobID: second).cacheHit == true)
            // Operations stay out of the pipeline unless asked to continue it.
            #expect(try await context.redis.send("XLEN", context.streams.jobsResearched).int == 2)
        }
    }

    @Test("A redelivered pipeline message for a researched job does nothing but forward")
    func redeliveryIsIdempotent() async throws {
        try await withContext { context, handler in
            let jobID = try await storeJob(context, externalID: "a")
            try await handle(handler, JobExtracted(jobID: jobID), jobID: jobID, stream: context.streams.jobsExtracted)
            let first = try await context.database.query("SELECT researched_at::text AS at FROM job_research").first?.decode("at", as: String.self)
            try await handle(handler, JobExtracted(jobID: jobID), jobID: jobID, stream: context.streams.jobsExtracted)
            let second = try await context.database.query("SELECT researched_at::text AS at FROM job_research").first?.decode("at", as: String.self)
            #expect(first == second)
            #expect(try await context.redis.send("XLEN", context.streams.jobsResearched).int == 2)
        }
    }

    @Test("An operation research does not run is refused as unprocessable")
    func refusesForeignOperations() async throws {
        try await withContext { context, handler in
            let jobID = try await storeJob(context, externalID: "a")
            await #expect(throws: MessagingError.self) {
                try await handle(handler, OperationCommand(operationID: "x", jobID: jobID, operation: .generateCV), jobID: jobID, stream: context.streams.commands(for: .research))
            }
        }
    }
}
