import CVGeneratorService
import Domain
import ExtractionService
import Foundation
import HTTPClient
import Hummingbird
import IngestionService
import IntegrationTesting
import JobAnalysis
import JobsmithTesting
import LanguageModels
import Logging
import Messaging
import NIOCore
import Postgres
import Redis
import ResearchService
import Runtime
import Store
import Testing

/// Operation runs driven by the real handlers of the three working services, wrapped as the
/// service runner wraps them, on real PostgreSQL and Redis.
@Suite("Operation tracking", .serialized)
struct OperationTrackingTests {
    static let masterCVPath = TestEnvironment.repositoryRoot.appendingPathComponent("samples/master-cv.json").path

    /// Stores the Ashby postings of Coder as ingestion does and returns the first job's id.
    func storeJob(_ context: ServiceContext) async throws -> Int {
        let data = try Data(contentsOf: TestEnvironment.ashbyDatasetDirectory.appendingPathComponent("Coder.json"))
        let page = try AshbyBoardParser().parse(data, context: BoardContext(source: "ashby-coder", board: "coder"))
        let prepared = page.postings.prefix(1).map { PostingPreparer.prepare($0, scorer: nil, threshold: 0) }
        let outcome = try await context.store.ingest(Array(prepared), source: "ashby-coder", runID: UUID()) { _, _ in false }
        return try #require(outcome.touchedJobIDs.first)
    }

    func masterCV(_ context: ServiceContext, seed: String? = masterCVPath) -> MasterCVSource {
        MasterCVSource(store: context.store, seedPath: seed, threadPool: context.threadPool, logger: context.logger, refreshInterval: .zero)
    }

    /// Delivers the newest command for `service` to `handler`, wrapped in operation tracking.
    func deliver(_ context: ServiceContext, to service: ServiceName, _ handler: any MessageHandler, cancelCheck: Duration = .seconds(1)) async throws {
        let (id, command) = try #require(try await operationCommands(context, for: service).last)
        let message = ReceivedMessage(
            stream: context.streams.commands(for: service), entryID: id,
            envelope: try Envelope(command, producer: "test", jobID: command.jobID, correlationID: command.operationID),
            deliveryCount: 1
        )
        try await OperationTracking(wrapping: handler, context: context, cancelCheckInterval: cancelCheck).handle(message)
    }

    /// Creates a run as the gateway does and publishes its first stage's commands.
    func startRun(_ context: ServiceContext, jobID: Int, operation: String, steps: [(String, Int)]) async throws -> UUID {
        let run = JobStore.NewOperationRun(jobID: jobID, operation: operation, force: false, steps: steps.map { (operation: $0.0, stage: $0.1) })
        for step in try await context.store.createOperationRuns([run]) {
            let operation = try #require(JobOperation(rawValue: step.operation))
            try await context.producer.publish(
                OperationCommand(operationID: run.id.uuidString.lowercased(), jobID: jobID, operation: operation, attempt: step.attempt),
                to: context.streams.commands(for: operation.service), jobID: jobID
            )
        }
        return run.id
    }

    @Test func allOpsRunsExtractionAndResearchThenTheCVAndLogsEveryStep() async throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("applications"))
        defer { try? FileManager.default.removeItem(at: output) }
        try await withServiceContext(.extraction) { context in
            let jobID = try await storeJob(context)
            let runID = try await startRun(context, jobID: jobID, operation: "all-ops",
                                           steps: [("full-extraction", 1), ("research-company", 1), ("generate-cv", 2)])
            let extraction = ExtractionHandler(context: context, analyzer: JobDescriptionAnalyzer(), masterCV: masterCV(context))
            let research = ResearchHandler(context: context, providers: [], cacheLifetime: .seconds(3600))
            let cvGenerator = CVGenerationHandler(context: context, masterCV: masterCV(context), outputFolder: output)

            try await deliver(context, to: .extraction, extraction)
            var run = try #require(try await context.store.operationRun(id: runID))
            #expect(run.status == .running)
            #expect(try await operationCommands(context, for: .cvGenerator).isEmpty, "the CV waits for research")

            try await deliver(context, to: .research, research)
            let cvCommand = try #require(try await operationCommands(context, for: .cvGenerator).first?.command)
            #expect(cvCommand.operation == .generateCV)
            #expect(cvCommand.operationID == runID.uuidString.lowercased())

            try await deliver(context, to: .cvGenerator, cvGenerator)
            run = try #require(try await context.store.operationRun(id: runID))
            #expect(run.status == .succeeded)
            #expect(run.steps.allSatisfy { $0.status == .succeeded })
            #expect(try await context.store.documents(jobID: jobID, kind: .cv).count == 1)

            let log = try await context.store.operationLog(runID: runID)
            let steps = Set(log.map(\.step))
            #expect(steps.isSuperset(of: ["full-extraction", "structure", "analyze", "save", "research-company", "generate-cv", "run"]))
            #expect(log.last?.step == "run")
            #expect(log.last?.phase == "finished")
            #expect(log.map(\.id) == log.map(\.id).sorted { StreamPosition($0)! < StreamPosition($1)! })

            // A redelivery of the finished extraction command does nothing more.
            try await deliver(context, to: .extraction, extraction)
            #expect(try await context.store.operationLog(runID: runID).count == log.count)
        }
    }

    @Test func aFailingHandlerFailsTheRunWithItsReasonAndTheMessageIsDone() async throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("applications"))
        defer { try? FileManager.default.removeItem(at: output) }
        try await withServiceContext(.cvGenerator) { context in
            let jobID = try await storeJob(context)
            let runID = try await startRun(context, jobID: jobID, operation: "generate-cv", steps: [("generate-cv", 1)])
            // No master CV stored and none to seed from: the CV cannot be written.
            let handler = CVGenerationHandler(context: context, masterCV: masterCV(context, seed: nil), outputFolder: output)
            try await deliver(context, to: .cvGenerator, handler)
            let run = try #require(try await context.store.operationRun(id: runID))
            #expect(run.status == .failed)
            #expect(run.error?.hasPrefix("generate-cv: ") == true)
            let log = try await context.store.operationLog(runID: runID)
            #expect(log.contains { $0.step == "run" && $0.phase == "failed" })
        }
    }

    @Test func cancellingARunningStepStopsTheWorkBeforeItSaves() async throws {
        // An LLM that takes half a minute to answer keeps the extraction step running.
        let router = Router()
        router.post("v1/messages") { _, _ -> Response in
            try? await Task.sleep(for: .seconds(30))
            return Response(status: .serviceUnavailable)
        }
        let server = try await LoopbackServer.start(router)
        defer { Task { await server.stop() } }
        let environment = ["JOBSMITH_LLM_PROVIDERS": "anthropic", "ANTHROPIC_API_KEY": "test-key", "ANTHROPIC_BASE_URL": server.baseURL]
        try await withServiceContext(.extraction) { context in
            let jobID = try await storeJob(context)
            let runID = try await startRun(context, jobID: jobID, operation: "full-extraction", steps: [("full-extraction", 1)])
            let factory = try LanguageModelChainFactory(
                configuration: try LanguageModelConfiguration(environment: environment),
                httpClient: HTTPClient(threadPool: context.threadPool),
                threadPool: context.threadPool
            )
            let handler = ExtractionHandler(
                context: context, analyzer: JobDescriptionAnalyzer(), masterCV: masterCV(context),
                refiner: AnalysisRefiner(chain: factory.chain(forStep: "extraction"))
            )
            let started = ContinuousClock.now
            let work = Task { try await deliver(context, to: .extraction, handler, cancelCheck: .milliseconds(200)) }
            // Wait until the model is being asked, then cancel as the gateway does.
            while try await !(context.store.operationLog(runID: runID).contains { $0.step == "llm" && $0.phase == "started" }) {
                try await Task.sleep(for: .milliseconds(100))
                if ContinuousClock.now - started > .seconds(20) { Issue.record("the LLM step never started"); break }
            }
            #expect(try await context.store.cancelRun(id: runID) == .changed(due: [], ended: false))
            try await work.value
            #expect(ContinuousClock.now - started < .seconds(25), "the step waited for the model instead of stopping")
            let run = try #require(try await context.store.operationRun(id: runID))
            #expect(run.status == .cancelled)
            let saved = try await context.database.query("SELECT job_id FROM job_extractions WHERE job_id = $1", [jobID])
            #expect(saved.isEmpty, "a cancelled extraction saved its result")
        }
    }
}
