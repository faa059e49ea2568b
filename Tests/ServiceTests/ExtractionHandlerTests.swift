import Domain
import ExtractionService
import Foundation
import HTTPClient
import Hummingbird
import IngestionService
import IntegrationTesting
import JobAnalysis
import JobsmithTesting
import Logging
import LanguageModels
import Messaging
import NIOCore
import NIOPosix
import Postgres
import Redis
import Runtime
import Store
import Testing

/// The extraction handler against a real PostgreSQL database and Redis, on a real Ashby posting.
@Suite("Extraction handler", .serialized)
struct ExtractionHandlerTests {
    /// A ServiceContext as the extraction binary builds it, on a fresh database and stream prefix.
    private func withContext(
        refiner: (@Sendable (ServiceContext) throws -> AnalysisRefiner)? = nil,
        _ body: (ServiceContext, ExtractionHandler) async throws -> Void
    ) async throws {
        try await withServiceContext(.extraction) { context in
            let masterCV = MasterCVSource(
                store: context.store,
                seedPath: TestEnvironment.repositoryRoot.appendingPathComponent("samples/master-cv.json").path,
                threadPool: context.threadPool,
                logger: context.logger
            )
            let handler = ExtractionHandler(context: context, analyzer: JobDescriptionAnalyzer(), masterCV: masterCV, refiner: try refiner?(context))
            try await body(context, handler)
        }
    }

    /// Stores the Coder "Software Engineering Manager" posting as ingestion reads it, and returns its id.
    private func storeCoderManager(_ context: ServiceContext) async throws -> Int {
        let data = try Data(contentsOf: TestEnvironment.ashbyDatasetDirectory.appendingPathComponent("Coder.json"))
        let page = try AshbyBoardParser().parse(data, context: BoardContext(source: "ashby-coder", board: "coder"))
        let job = try #require(page.postings.first { $0.externalID == "c6dc83c5-8360-49c3-a2c1-b1d3460173a5" })
        let rows = try await context.database.query(
            """
            INSERT INTO jobs (source, external_id, title, company, locations, is_remote, workplace_type, department,
                              description_html, raw, content_hash, salary_min, salary_max, salary_currency, salary_interval)
            VALUES ($1, $2, $3, $4, $5::text[], $6, $7, $8, $9, '{}', $10, $11, $12, $13, $14) RETURNING id
            """,
            [job.source, job.externalID, job.title, job.company, job.locations, job.isRemote, job.workplaceType?.rawValue,
             job.department, job.descriptionHTML, job.contentHash, job.salary?.minimum, job.salary?.maximum,
             job.salary?.currency, job.salary?.interval?.rawValue]
        )
        return try #require(try rows.first?.decode("id", as: Int.self))
    }

    private func received<Message: PipelineMessage>(_ message: Message, jobID: Int, on stream: String) throws -> ReceivedMessage {
        ReceivedMessage(
            stream: stream,
            entryID: "1-1",
            envelope: try Envelope(message, producer: "test", jobID: jobID, correlationID: "correlation-1"),
            deliveryCount: 1
        )
    }

    private func events(_ context: ServiceContext) async throws -> [ProgressEvent] {
        let entries = try await context.redis.send("XRANGE", context.streams.events, "-", "+")
        return try (entries.array ?? []).map { entry in
            let fields = try #require(entry.array?.last?.array)
            var payload: [UInt8] = []
            var type = ""
            for index in stride(from: 0, to: fields.count - 1, by: 2) {
                switch fields[index].string {
                case "payload": payload = fields[index + 1].bytes ?? []
                case "type": type = fields[index + 1].string ?? ""
                default: break
                }
            }
            #expect(type == ProgressEvent.type)
            return try JSONDecoder().decode(ProgressEvent.self, from: Data(payload))
        }
    }

    @Test("A pipeline message is analysed, scored, stored in one row, reported step by step and forwarded")
    func extractsAnIngestedJob() async throws {
        try await withContext { context, handler in
            let jobID = try await storeCoderManager(context)
            try await handler.handle(try received(JobIngested(jobID: jobID), jobID: jobID, on: context.streams.jobsIngested))

            let row = try #require(try await context.database.query(
                """
                SELECT e.analysis::text AS analysis, e.fit::text AS fit, e.engine, e.producer, j.fit_score, j.tier, j.fit_category
                FROM job_extractions e JOIN jobs j ON j.id = e.job_id WHERE e.job_id = $1
                """,
                [jobID]
            ).first)
            let analysis = try JSONDecoder().decode(JobDescriptionAnalysis.self, from: Data((try row.decode("analysis", as: String.self)).utf8))
            let fit = try JSONDecoder().decode(FitAssessment.self, from: Data((try row.decode("fit", as: String.self)).utf8))
            #expect(analysis.roleCategory == .engineeringManager)
            #expect(analysis.seniority == .manager)
            #expect(analysis.yearsExperience == 5)
            #expect(analysis.remotePolicy == .fullyRemote)
            #expect(analysis.salary?.minimum == 143_000)
            #expect(analysis.competencyWeights.total == 100)
            #expect(try row.decode("engine", as: String.self) == ExtractionHandler.engine)
            #expect(try row.decode("producer", as: String.self) == "deterministic")
            #expect(try row.decode("fit_score", as: Int.self) == fit.score)
            #expect(try row.decode("tier", as: String.self) == FitTier.tier(for: fit.score))
            #expect(try row.decode("fit_category", as: String.self) == fit.category.rawValue)
            #expect(fit.rationale.contains("required skills"))

            #expect(try await context.redis.send("XLEN", context.streams.jobsExtracted).int == 1)
            let steps = try await events(context).map { "\($0.step):\($0.phase.rawValue)" }
            #expect(steps == ["structure:started", "structure:finished", "analyze:started", "analyze:finished",
                              "fit:started", "fit:finished", "save:started", "save:finished"])
        }
    }

    @Test("A message delivered twice leaves one result and one save event, and still forwards")
    func redeliveryIsIdempotent() async throws {
        try await withContext { context, handler in
            let jobID = try await storeCoderManager(context)
            let message = try received(JobIngested(jobID: jobID), jobID: jobID, on: context.streams.jobsIngested)
            func redelivery(_ count: Int) -> ReceivedMessage {
                ReceivedMessage(stream: message.stream, entryID: message.entryID, envelope: message.envelope, deliveryCount: count)
            }
            func saves() async throws -> Int {
                try await events(context).filter { $0.step == "save" && $0.phase == .finished }.count
            }
            try await handler.handle(message)
            let first = try await context.database.query("SELECT extracted_at::text AS at FROM job_extractions WHERE job_id = $1", [jobID])
            let eventsAfterFirst = try await events(context).count

            // Redelivered after a crash that came after the commit and the event: nothing new.
            try await handler.handle(redelivery(2))
            // The same message published twice (a stage that forwarded twice): nothing new either.
            try await handler.handle(message)
            let second = try await context.database.query("SELECT extracted_at::text AS at FROM job_extractions WHERE job_id = $1", [jobID])
            #expect(try first.first?.decode("at", as: String.self) == second.first?.decode("at", as: String.self))
            #expect(try await context.database.query("SELECT count(*) AS n FROM job_extractions").first?.decode("n", as: Int.self) == 1)
            #expect(try await events(context).count == eventsAfterFirst)
            #expect(try await saves() == 1)

            // A crash between the commit and its event: the redelivery reports the result, once.
            try await context.redis.send("DEL", context.streams.events)
            try await handler.handle(redelivery(3))
            try await handler.handle(redelivery(4))
            #expect(try await saves() == 1)
            #expect(try await context.database.query("SELECT count(*) AS n FROM job_extractions").first?.decode("n", as: Int.self) == 1)
            // Every delivery forwards: a crash may have come before the forward.
            #expect(try await context.redis.send("XLEN", context.streams.jobsExtracted).int == 5)
        }
    }

    @Test("structure-jd restructures on request, keeps the analysis and stays out of the pipeline")
    func structureOperation() async throws {
        try await withContext { context, handler in
            let jobID = try await storeCoderManager(context)
            try await handler.handle(try received(JobIngested(jobID: jobID), jobID: jobID, on: context.streams.jobsIngested))
            let command = OperationCommand(operationID: "op-1", jobID: jobID, operation: .structureJD, force: true)
            try await handler.handle(try received(command, jobID: jobID, on: context.streams.commands(for: .extraction)))

            let row = try #require(try await context.database.query(
                "SELECT analysis IS NOT NULL AS analysed, jsonb_array_length(sections) AS sections FROM job_extractions WHERE job_id = $1", [jobID]
            ).first)
            #expect(try row.decode("analysed", as: Bool.self))
            #expect(try row.decode("sections", as: Int.self) >= 5)
            #expect(try await context.redis.send("XLEN", context.streams.jobsExtracted).int == 1)
            let operationEvents = try await events(context).filter { $0.operationID == "op-1" }
            #expect(operationEvents.map(\.step) == ["structure", "structure", "save", "save"])
        }
    }

    @Test("An operation extraction does not run is refused as unprocessable; a deleted job is skipped")
    func refusesForeignOperations() async throws {
        try await withContext { context, handler in
            let jobID = try await storeCoderManager(context)
            let command = OperationCommand(operationID: "op-2", jobID: jobID, operation: .generateCV)
            await #expect(throws: MessagingError.self) {
                try await handler.handle(try received(command, jobID: jobID, on: context.streams.commands(for: .extraction)))
            }
            try await context.database.query("DELETE FROM jobs WHERE id = $1", [jobID])
            try await handler.handle(try received(JobIngested(jobID: jobID), jobID: jobID, on: context.streams.jobsIngested))
            #expect(try await events(context).last?.phase == .skipped)
            #expect(try await context.redis.send("XLEN", context.streams.jobsExtracted).int == 0)
        }
    }

    @Test("An LLM answer is merged only where the posting supports it; the provider and usage are recorded")
    func llmRefinementIsGrounded() async throws {
        // The model's answer, in the Anthropic Messages wire format: one real skill moved to preferred,
        // one skill the posting never names, one quote that is in the posting and one that is not.
        let answer = """
            Here is the corrected analysis:
            ```json
            {"role_category": "engineering_manager", "seniority": "manager", "remote_policy": "fully_remote",
             "years_experience": 5, "responsibilities": ["Lead a team of engineers"], "qualifications": ["5+ years in software development"],
             "nice_to_haves": [], "required_skills": ["TypeScript", "COBOL"], "preferred_skills": ["Go"],
             "soft_skills": [], "top_keywords": ["engineering management", "TypeScript", "Go", "developer tools", "remote",
             "hiring", "mentoring", "delivery", "open source", "cloud"],
             "implied_pain_points": [{"summary": "Invented", "sentence": "We are drowning in legacy mainframe code."}],
             "success_metrics": []}
            ```
            """
        let requests = RequestCounter()
        let router = Router()
        router.post("v1/messages") { request, _ -> Response in
            await requests.increment()
            #expect(request.headers.first { $0.name.canonicalName == "x-api-key" }?.value == "test-key")
            let body: [String: Any] = [
                "id": "msg_01", "type": "message", "role": "assistant", "model": "claude-test",
                "content": [["type": "text", "text": answer]], "stop_reason": "end_turn",
                "usage": ["input_tokens": 1200, "output_tokens": 300],
            ]
            let data = try JSONSerialization.data(withJSONObject: body)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        let server = try await LoopbackServer.start(router)
        defer { Task { await server.stop() } }
        let environment = ["JOBSMITH_LLM_PROVIDERS": "anthropic", "ANTHROPIC_API_KEY": "test-key", "ANTHROPIC_BASE_URL": server.baseURL]
        try await withContext(refiner: { context in
            let factory = try LanguageModelChainFactory(
                configuration: try LanguageModelConfiguration(environment: environment),
                httpClient: HTTPClient(threadPool: context.threadPool),
                threadPool: context.threadPool
            )
            return AnalysisRefiner(chain: factory.chain(forStep: "extraction"))
        }) { context, handler in
            let jobID = try await storeCoderManager(context)
            try await handler.handle(try received(JobIngested(jobID: jobID), jobID: jobID, on: context.streams.jobsIngested))
            let row = try #require(try await context.database.query(
                "SELECT analysis::text AS analysis, producer, attempts::text AS attempts FROM job_extractions WHERE job_id = $1", [jobID]
            ).first)
            let analysis = try JSONDecoder().decode(JobDescriptionAnalysis.self, from: Data((try row.decode("analysis", as: String.self)).utf8))
            #expect(try row.decode("producer", as: String.self) == "anthropic")
            #expect(analysis.requiredSkills.contains("TypeScript"))
            #expect(!analysis.requiredSkills.contains("COBOL"))
            #expect(!analysis.painPoints.contains { $0.sentence.contains("mainframe") })
            #expect(analysis.responsibilities == ["Lead a team of engineers"])
            #expect(try row.decode("attempts", as: String.self).contains("\"input_tokens\": 1200"))
            #expect(await requests.count == 1)
            #expect(try await events(context).contains { $0.step == "llm" && $0.phase == .finished })
        }
    }
}

/// Counts requests a loopback server received.
actor RequestCounter {
    private(set) var count = 0
    func increment() { count += 1 }
}
