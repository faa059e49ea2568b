import CVGeneratorService
import Domain
import Foundation
import IntegrationTesting
import JobAnalysis
import JobsmithTesting
import Messaging
import Postgres
import Redis
import Runtime
import Store
import Testing
import TextAnalysis

/// The CV generator's handler against real PostgreSQL and Redis, on a real posting with its
/// extraction and research stored as the pipeline leaves them.
@Suite("CV generation handler", .serialized)
struct CVGenerationHandlerTests {
    private func withHandler(_ body: (ServiceContext, CVGenerationHandler, URL) async throws -> Void) async throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("applications"))
        defer { try? FileManager.default.removeItem(at: output) }
        try await withServiceContext(.cvGenerator) { context in
            let masterCV = MasterCVSource(
                store: context.store,
                seedPath: TestEnvironment.repositoryRoot.appendingPathComponent("samples/master-cv.json").path,
                threadPool: context.threadPool,
                logger: context.logger,
                refreshInterval: .zero
            )
            try await body(context, CVGenerationHandler(context: context, masterCV: masterCV, outputFolder: output), output)
        }
    }

    /// A real backend posting from the dataset, analysed and researched.
    private func storeJob(_ context: ServiceContext) async throws -> Int {
        let id = try await storeNangoBackendJob(context)
        let contacts = #"[{"name": "Priya Raman", "role": "Technical Recruiter", "contact_type": "recruiter", "priority": "primary", "why_relevant": "recruits for Nango", "source": "posting", "is_synthetic": false}, {"name": "Hiring Manager, Engineering at Nango", "role": "Hiring Manager", "contact_type": "hiring_manager", "priority": "primary", "why_relevant": "decides on the hire", "source": "placeholder", "is_synthetic": true}]"#
        let profile = #"{"name": "Nango", "summary": "Nango builds the open-source platform for product integrations.", "signals": [{"kind": "funding", "summary": "Nango raised a seed round led by Y Combinator."}]}"#
        try await context.store.saveResearch(
            jobID: id,
            company: .init(name: "Nango", normalizedName: "nango", domain: nil, careersHost: nil, refreshedProfile: PostgresJSON(bytes: Array(profile.utf8))),
            contacts: PostgresJSON(bytes: Array(contacts.utf8)),
            providers: try PostgresJSON([String]()),
            cacheHit: false
        )
        return id
    }

    private func handle<Message: PipelineMessage>(_ handler: CVGenerationHandler, _ message: Message, jobID: Int, stream: String) async throws {
        try await handler.handle(ReceivedMessage(stream: stream, entryID: "1-1", envelope: try Envelope(message, producer: "test", jobID: jobID), deliveryCount: 1))
    }

    private func versions(_ context: ServiceContext, jobID: Int) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for document in try await context.store.documents(jobID: jobID) { counts[document.kind.rawValue, default: 0] += 1 }
        return counts
    }

    @Test("A researched job gets its CV, cover letter and outreach, checked, stored once and written as files")
    func writesTheApplication() async throws {
        try await withHandler { context, handler, output in
            let jobID = try await storeJob(context)
            try await handle(handler, JobResearched(jobID: jobID), jobID: jobID, stream: context.streams.jobsResearched)

            let documents = try await context.store.documents(jobID: jobID)
            #expect(Set(documents.map(\.kind)) == [.cv, .coverLetter, .outreach])
            #expect(documents.allSatisfy { $0.ready }, "\(documents.filter { !$0.ready }.map { ($0.kind, $0.details) })")
            let cv = try #require(documents.first { $0.kind == .cv })
            #expect(cv.markdown.contains("Senior Backend Engineer"))
            #expect(cv.html?.contains("<h1>") == true)
            let outreach = try #require(documents.first { $0.kind == .outreach })
            #expect(outreach.markdown.contains("Hi Priya"))
            #expect(!outreach.markdown.contains("Hi Hiring"))
            let letter = try #require(documents.first { $0.kind == .coverLetter })
            #expect(letter.markdown.contains("Nango"))

            let folder = output.appendingPathComponent("applications/nango")
            let roles = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(try #require(roles.first)).path)
            #expect(Set(files) == ["cv.md", "cv.html", "cover-letter.md", "outreach.md"])
            #expect(try await context.redis.send("XLEN", context.streams.cvGenerated).int == 1)

            // The same message again, and then redelivered: nothing new is stored or reported, and
            // each delivery forwards (a crash may have come before the first forward).
            func saves() async throws -> Int {
                let entries = try await context.redis.send("XRANGE", context.streams.events, "-", "+").array ?? []
                return try entries.compactMap { entry -> ProgressEvent? in
                    let envelope = try Envelope(fields: entry.array?.last?.pairs ?? [])
                    return try envelope.decode(ProgressEvent.self)
                }.filter { $0.step == "save" && $0.phase == .finished }.count
            }
            #expect(try await saves() == 1)
            try await handle(handler, JobResearched(jobID: jobID), jobID: jobID, stream: context.streams.jobsResearched)
            let redelivered = ReceivedMessage(
                stream: context.streams.jobsResearched, entryID: "1-1",
                envelope: try Envelope(JobResearched(jobID: jobID), producer: "test", jobID: jobID), deliveryCount: 2
            )
            try await handler.handle(redelivered)
            #expect(try await versions(context, jobID: jobID) == ["cv": 1, "cover_letter": 1, "outreach": 1])
            #expect(try await saves() == 1)
            #expect(try await context.redis.send("XLEN", context.streams.cvGenerated).int == 3)
        }
    }

    @Test("An operation writes only its document, from the master CV's newest version")
    func operationsUseTheCurrentMasterCV() async throws {
        try await withHandler { context, handler, _ in
            let jobID = try await storeJob(context)
            try await handle(handler, JobResearched(jobID: jobID), jobID: jobID, stream: context.streams.jobsResearched)
            var master = try #require(try await context.store.currentMasterCV()?.document)
            var object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(master)) as? [String: Any])
            var candidate = try #require(object["candidate"] as? [String: Any])
            candidate["headline"] = "Principal Engineer — integrations platforms"
            object["candidate"] = candidate
            let edited = try JSONSerialization.data(withJSONObject: object)
            master = try JSONFragment(bytes: Array(edited))
            let cv = try MasterCV.decode(edited, file: "test")
            try await context.store.saveMasterCV(PostgresJSON(bytes: Array(edited)), fingerprint: cv.fingerprint, source: "api")

            let command = OperationCommand(operationID: "op-1", jobID: jobID, operation: .generateCoverLetter)
            try await handle(handler, command, jobID: jobID, stream: context.streams.commands(for: .cvGenerator))
            #expect(try await versions(context, jobID: jobID) == ["cv": 1, "cover_letter": 2, "outreach": 1])
            let newest = try #require(try await context.store.documents(jobID: jobID, kind: .coverLetter, limit: 1).first)
            #expect(newest.markdown.contains("integrations platforms"))
            // Operations stay out of the pipeline unless asked to continue it.
            #expect(try await context.redis.send("XLEN", context.streams.cvGenerated).int == 1)

            await #expect(throws: MessagingError.self) {
                try await handle(handler, OperationCommand(operationID: "x", jobID: jobID, operation: .researchCompany), jobID: jobID, stream: context.streams.commands(for: .cvGenerator))
            }
        }
    }
}
