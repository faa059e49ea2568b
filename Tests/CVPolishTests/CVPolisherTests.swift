import CVGeneratorService
import Domain
import Foundation
import HTTPClient
import JobsmithTesting
import LanguageModels
import NIOPosix
import Testing

/// The LLM rewrite of a CV, end to end through a loopback OpenAI-compatible server: faithful rewording
/// is kept, anything the model made up is caught, and a failing provider leaves the deterministic CV.
@Suite("CVPolisher against a loopback chat-completions API")
struct CVPolisherTests {
    let master: MasterCV
    let job = JobForCV(
        title: "Senior Backend Engineer",
        company: "Harbourline",
        descriptionText: """
            Harbourline builds freight visibility software. We are looking for a Senior Backend Engineer to \
            design distributed systems in Go on Kafka and Kubernetes, run PostgreSQL at scale on AWS and own \
            reliability with Prometheus and Grafana. You will mentor engineers and lead design reviews.
            """
    )
    let cv: TailoredCV

    init() throws {
        master = try MasterCV.load(from: TestEnvironment.repositoryRoot.appendingPathComponent("samples/master-cv.json"))
        cv = CVWriter.write(for: job, master: master)
    }

    // MARK: Cases

    @Test("A faithful rewrite is applied and its report is clean")
    func faithfulRewriteIsApplied() async throws {
        let rewrites = experienceBullets().map { (id: $0.id, text: faithfulText(for: $0.id)) }
        try #require(rewrites.count >= 3)
        let tagline = "Staff Software Engineer focused on distributed systems and data platforms, skilled in Go, Kafka and Kubernetes."
        let reply = Self.replyJSON(tagline: tagline, bullets: rewrites)

        let (polished, bodies) = try await polish(answers: [.content(reply)])

        #expect(polished.producedBy == "openai")
        #expect(polished.report.isClean, "\(polished.report.summary)")
        #expect(polished.rejected.isEmpty)
        #expect(polished.report.removed.isEmpty)
        #expect(polished.markdown.contains("## Summary\n\n\(tagline)\n"))
        #expect(!polished.markdown.contains(cv.tagline))
        for rewrite in rewrites {
            #expect(polished.markdown.contains("\n- \(rewrite.text)\n"), "rewrite of \(rewrite.id) applied")
        }
        #expect(polished.markdown != cv.markdown)

        // The model was given the facts to stay within, and told to stay within them.
        let body = try #require(bodies.first)
        let request = try JSONValue(parsing: body)
        let messages = try #require(request["messages"])
        let system = try #require(messages[0]?["content"]?.stringValue)
        let prompt = try #require(messages[1]?["content"]?.stringValue)
        #expect(system.contains("Never add a number"))
        for bullet in experienceBullets() {
            let facts = try #require(achievement(bullet.id))
            #expect(prompt.contains("id: \(bullet.id)"))
            #expect(prompt.contains("core fact: \(facts.coreFact)"))
            for variant in facts.variants {
                #expect(prompt.contains(variant.text))
            }
        }
    }

    @Test("A fabricated number and skill in one bullet are caught; that bullet falls back, the others stay")
    func fabricatedClaimsAreRejected() async throws {
        let bullets = experienceBullets()
        try #require(bullets.count >= 3)
        let poisoned = bullets[1]
        let fabricated = "Rewrote the tracking services in Elixir and cut costs by 73% across the platform"
        let rewrites = bullets.map { bullet in
            (id: bullet.id, text: bullet.id == poisoned.id ? fabricated : faithfulText(for: bullet.id))
        }
        let reply = Self.replyJSON(tagline: cv.tagline, bullets: rewrites)

        let (polished, _) = try await polish(answers: [.content(reply)])

        #expect(polished.producedBy == "openai")
        let rejected = polished.rejected.map(\.text)
        #expect(rejected.contains("73%"))
        #expect(rejected.contains("Elixir"))
        #expect(polished.rejected.allSatisfy { $0.source == nil })
        #expect(polished.report.isClean, "\(polished.report.summary)")
        #expect(polished.report.removed.map(\.text).contains("73%"))
        #expect(polished.report.removed.map(\.text).contains("Elixir"))
        #expect(!polished.markdown.contains("73%"))
        #expect(!polished.markdown.contains("Elixir"))

        // The poisoned bullet is the writer's original line, at its place; the others are rewritten.
        #expect(experienceLines(of: polished.markdown).contains(poisoned.line))
        for rewrite in rewrites where rewrite.id != poisoned.id {
            #expect(polished.markdown.contains("\n- \(rewrite.text)\n"), "rewrite of \(rewrite.id) kept")
        }
        #expect(experienceLines(of: polished.markdown).count == experienceLines(of: cv.markdown).count)
    }

    @Test("A provider that answers 500 leaves the deterministic CV unchanged")
    func providerFailureFallsBack() async throws {
        let (polished, bodies) = try await polish(answers: [.status(500)], extraEnvironment: ["JOBSMITH_LLM_MAX_ATTEMPTS": "2"])

        #expect(bodies.count == 2, "the provider retried the 500 once, then the chain fell back")
        #expect(polished.producedBy == "deterministic")
        #expect(polished.markdown == cv.markdown)
        #expect(polished.rejected.isEmpty)
        #expect(polished.report == IntegrityChecker(master: master, jobTitle: job.title, company: job.company).check(cv.markdown))
        #expect(polished.report.isClean)
        #expect(polished.generationSummary.contains("fell back to the deterministic engine"))
    }

    @Test("A tagline with a fabricated number is rejected and the headline stays deterministic")
    func fabricatedTaglineIsRejected() async throws {
        let tagline = "Staff Software Engineer who cut cloud spend by 58%, skilled in Go, Kafka and Kubernetes."
        let reply = Self.replyJSON(tagline: tagline, bullets: [])

        let (polished, _) = try await polish(answers: [.content(reply)])

        #expect(polished.producedBy == "openai")
        #expect(polished.rejected.map(\.text) == ["58%"])
        #expect(polished.rejected.first?.kind == .number)
        #expect(polished.report.isClean)
        #expect(!polished.markdown.contains("58%"))
        #expect(polished.markdown == cv.markdown, "the tagline stayed and nothing else was rewritten")
        #expect(polished.markdown.contains("## Summary\n\n\(cv.tagline)\n"))
    }

    // MARK: Helpers

    /// Runs the polisher with a chain configured from the environment, as the service configures it.
    private func polish(
        answers: [ChatCompletionsServer.Answer],
        extraEnvironment: [String: String] = [:]
    ) async throws -> (PolishedCV, [String]) {
        try await withChatCompletionsServer(answers) { server, baseURL in
            var environment = ["JOBSMITH_LLM_PROVIDERS_CV": "openai", "OPENAI_BASE_URL": baseURL + "/v1", "OPENAI_MODEL": "test"]
            environment.merge(extraEnvironment) { _, new in new }
            let configuration = try LanguageModelConfiguration(environment: environment)
            let pool = NIOThreadPool(numberOfThreads: 1)
            pool.start()
            do {
                let factory = try LanguageModelChainFactory(configuration: configuration, httpClient: HTTPClient(threadPool: pool), threadPool: pool)
                let polished = await CVPolisher(chain: factory.chain(forStep: "cv")).polish(cv, master: master, job: job)
                try await pool.shutdownGracefully()
                return (polished, server.requestBodies)
            } catch {
                try? await pool.shutdownGracefully()
                throw error
            }
        }
    }

    private func achievement(_ id: String) -> MasterCV.Achievement? {
        master.roles.flatMap(\.achievements).first { $0.id == id }
    }

    /// The lines of the Experience section.
    private func experienceLines(of markdown: String) -> [String] {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(of: "## Experience") else { return [] }
        let end = lines[(start + 1)...].firstIndex { $0.hasPrefix("## ") } ?? lines.endIndex
        return Array(lines[(start + 1)..<end])
    }

    /// Each selected achievement and its Experience bullet in the deterministic CV.
    private func experienceBullets() -> [(id: String, line: String)] {
        let lines = experienceLines(of: cv.markdown)
        return cv.selectedAchievementIDs.compactMap { id in
            guard let achievement = achievement(id) else { return nil }
            let texts = [achievement.coreFact] + achievement.variants.map(\.text)
            guard let line = lines.first(where: { line in texts.contains { "- \($0)" == line } }) else { return nil }
            return (id, line)
        }
    }

    /// A rewording made only of the achievement's own facts: its core fact, introduced differently.
    private func faithfulText(for id: String) -> String {
        "Notably: " + (achievement(id)?.coreFact ?? "")
    }

    /// The JSON a model returns for the `cv` step.
    private static func replyJSON(tagline: String, bullets: [(id: String, text: String)]) -> String {
        let value: JSONValue = [
            "tagline": .string(tagline),
            "bullets": .array(bullets.map { ["id": .string($0.id), "text": .string($0.text)] }),
        ]
        return value.jsonText
    }
}
