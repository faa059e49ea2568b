import CVGeneratorService
import Domain
import Foundation
import IntegrationTesting
import JobAnalysis
import JobsmithTesting
import Messaging
import Postgres
import Runtime
import Store
import Testing
import TextAnalysis

/// The user's annotations steer the CV: a real posting, extracted as the pipeline extracts it, gets a
/// different CV once the user marks a passage as a strength, through the real handler and store.
@Suite("CV emphasis from annotations", .serialized)
struct CVAnnotationEmphasisTests {
    /// Nango's Senior Backend Engineer posting asks to "solve integration challenges"; the sample
    /// master CV's integration work (HL7 and FHIR interfaces to 14 NHS trusts) is healthcare, so
    /// without a hint it stays out of the CV.
    static let passage = "Collaborate directly with customers to solve integration challenges."
    /// Words only the integration achievement's wordings have.
    static let integrationWork = "14 NHS trusts"

    private func withHandler(_ body: (ServiceContext, CVGenerationHandler) async throws -> Void) async throws {
        try await withServiceContext(.cvGenerator) { context in
            let masterCV = MasterCVSource(
                store: context.store,
                seedPath: TestEnvironment.repositoryRoot.appendingPathComponent("samples/master-cv.json").path,
                threadPool: context.threadPool,
                logger: context.logger,
                refreshInterval: .zero
            )
            try await body(context, CVGenerationHandler(context: context, masterCV: masterCV))
        }
    }

    /// The span of `passage` in the job's stored sections, as the gateway would store it.
    private func span(of passage: String, jobID: Int, _ context: ServiceContext) async throws -> AnnotationSpan {
        let description = try #require(try await context.store.annotatableDescription(jobID: jobID))
        let section = try #require(description.sections.first { $0.text.contains(passage) })
        let range = try #require(section.text.range(of: passage))
        let start = section.text.utf16.distance(from: section.text.utf16.startIndex, to: range.lowerBound)
        return AnnotationSpan(sectionIndex: section.index, sectionType: section.type, start: start, end: start + passage.utf16.count, quote: passage)
    }

    private func generateCV(_ handler: CVGenerationHandler, _ context: ServiceContext, jobID: Int) async throws {
        let command = OperationCommand(operationID: UUID().uuidString, jobID: jobID, operation: .generateCV)
        let envelope = try Envelope(command, producer: "test", jobID: jobID)
        try await handler.handle(ReceivedMessage(stream: context.streams.commands(for: .cvGenerator), entryID: "1-1", envelope: envelope, deliveryCount: 1))
    }

    /// The job's CV versions, oldest first.
    private func cvs(_ context: ServiceContext, jobID: Int) async throws -> [String] {
        try await context.store.documents(jobID: jobID, kind: .cv).reversed().map(\.markdown)
    }

    /// The bullets under the CV's Key achievements heading.
    private func keyAchievements(_ markdown: String) -> [String] {
        let body = markdown.components(separatedBy: "\n## ").first { $0.hasPrefix("Key achievements") } ?? ""
        return body.split(separator: "\n").filter { $0.hasPrefix("- ") }.map(String.init)
    }

    @Test("Marking a passage as a strength brings the matching achievement to the top of the next CV")
    func strengthLeadsTheKeyAchievements() async throws {
        try await withHandler { context, handler in
            let jobID = try await storeNangoBackendJob(context)
            try await generateCV(handler, context, jobID: jobID)
            let plain = try #require(try await cvs(context, jobID: jobID).last)
            #expect(!plain.contains(Self.integrationWork))

            // A gap is not something to stress: the next CV is the same, so no new version.
            let span = try await span(of: Self.passage, jobID: jobID, context)
            let annotation = try await context.store.createAnnotation(jobID: jobID, span: span, labels: AnnotationLabels(relevance: .gap))
            try await generateCV(handler, context, jobID: jobID)
            #expect(try await cvs(context, jobID: jobID).count == 1)

            // The same passage as a core strength: the integration work now leads the header.
            _ = try await context.store.updateAnnotation(id: annotation.id, jobID: jobID, AnnotationChanges(relevance: .set(.coreStrength)))
            try await generateCV(handler, context, jobID: jobID)
            let versions = try await cvs(context, jobID: jobID)
            #expect(versions.count == 2)
            let stressed = try #require(versions.last)
            #expect(keyAchievements(stressed).first?.contains(Self.integrationWork) == true, "\(keyAchievements(stressed))")
            #expect(try await context.store.jobDetail(id: jobID)?.cv?.markdown == stressed)

            // Unchanged annotations, unchanged CV: no new version.
            try await generateCV(handler, context, jobID: jobID)
            #expect(try await cvs(context, jobID: jobID).count == 2)

            // Without the annotation the CV is the plain one again.
            #expect(try await context.store.deleteAnnotation(id: annotation.id, jobID: jobID))
            try await generateCV(handler, context, jobID: jobID)
            #expect(try await cvs(context, jobID: jobID).last == plain)
        }
    }

    @Test("A marked passage stresses the master CV terms it names, as if each were named alone")
    func markedPassagesStressTheTermsTheyName() throws {
        let master = try MasterCV.load(from: TestEnvironment.repositoryRoot.appendingPathComponent("samples/master-cv.json"))
        let job = JobForCV(title: "Platform Engineer", company: "Acme", descriptionText: "You will run Kafka and build integration tooling.")
        let asTerm = CVWriter.write(for: JobForCV(title: job.title, company: job.company, descriptionText: job.descriptionText, emphasis: ["integration"]), master: master)
        let asPassage = CVWriter.write(for: JobForCV(title: job.title, company: job.company, descriptionText: job.descriptionText, emphasis: ["build integration tooling"]), master: master)
        #expect(asPassage.keyAchievementIDs == asTerm.keyAchievementIDs)
        #expect(asPassage.keyAchievementIDs.first == "fm-fhir-integration", "\(asPassage.keyAchievementIDs)")
        #expect(CVWriter.write(for: job, master: master).keyAchievementIDs.first != "fm-fhir-integration")
    }
}
