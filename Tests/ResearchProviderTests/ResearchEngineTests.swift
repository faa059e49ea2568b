import Foundation
import HTTPClient
import Hummingbird
import LanguageModels
import NIOCore
import IntegrationTesting
import NIOPosix
import Testing

@testable import ResearchService

/// The research engine with the real providers: the posting, the company's site (the fake Northwind
/// Robotics site on loopback) and FireCrawl without a key, to show what each one contributes.
@Suite("Research engine: what each provider contributes")
struct ResearchEngineTests {
    static let posting = """
        Northwind Robotics builds autonomous forklifts for cold-storage warehouses.
        What you'll do
        - Build the fleet control plane in Go
        Questions? Reach out to Priya Raman, our Technical Recruiter.
        """

    private func subject(company: String = "Northwind Robotics", website: String?) -> ResearchEngine.Subject {
        ResearchEngine.Subject(
            company: company,
            normalizedName: company.lowercased().replacingOccurrences(of: " ", with: "-"),
            jobTitle: "Senior Robotics Software Engineer",
            department: "Engineering",
            postingText: Self.posting,
            website: website
        )
    }

    private func providers(website: String, pool: NIOThreadPool) throws -> [any CompanyResearchProvider] {
        let client = HTTPClient(threadPool: pool)
        return [
            PostingProvider(evidence: PostingEvidence(text: Self.posting, aboutCompany: "Northwind Robotics builds autonomous forklifts for cold-storage warehouses.", website: website)),
            CompanyWebsiteProvider(client: client, configuration: try CompanyWebsiteConfiguration(environment: ["RESEARCH_OFFLINE": "0", "RESEARCH_GUESS_DOMAIN": "0"])),
            FireCrawlProvider(configuration: try .init(environment: [:]), httpClient: client),
        ]
    }

    @Test("The site adds pages, people and dated signals; FireCrawl without a key is skipped with the reason")
    func contributions() async throws {
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        let server = try await WebsiteServer.start()
        do {
            let reports = ReportLog()
            let engine = ResearchEngine(providers: try providers(website: server.baseURL, pool: pool), summarizer: nil)
            let profile = await engine.research(subject(website: server.baseURL)) { await reports.append($0) }
            let byProvider = Dictionary(profile.providers.map { ($0.provider, $0) }, uniquingKeysWith: { first, _ in first })
            #expect(byProvider["posting"]?.outcome == .used)
            let website = try #require(byProvider["website"])
            #expect(website.outcome == .used)
            #expect(website.pages >= 3 && website.people >= 5 && website.signals >= 3, "\(website)")
            #expect(website.detail?.contains("cookie") == true, "the cookie wall is reported: \(website.detail ?? "")")
            #expect(byProvider["firecrawl"]?.outcome == .skipped)
            #expect(byProvider["firecrawl"]?.detail?.contains("FIRECRAWL_API_KEY") == true)
            #expect(await reports.count == 3)

            #expect(profile.website == server.baseURL)
            #expect(profile.summary?.isEmpty == false)
            #expect(profile.signals.contains { $0.date != nil && $0.sourceURL?.hasPrefix(server.baseURL) == true })
            let postingOnly = ResearchEngine.qualityScore(CompanyProfile(name: "x", normalizedName: "x", summary: "s"), pages: [])
            #expect(profile.qualityScore > postingOnly)

            let contacts = ContactFinder.contacts(
                for: .init(company: "Northwind Robotics", title: "Senior Robotics Software Engineer", department: "Engineering", isAgency: false),
                people: profile.people
            )
            #expect(contacts.count == 5 && contacts.allSatisfy { !$0.isSynthetic })
            #expect(contacts.filter { $0.priority == .primary }.count <= 3)
            #expect(contacts.contains { $0.contactType == .recruiter && $0.priority == .primary })
        } catch {
            await server.stop()
            try? await pool.shutdownGracefully()
            throw error
        }
        await server.stop()
        try await pool.shutdownGracefully()
    }

    @Test("A recruitment agency is read from its posting only")
    func agencyShortCircuit() async throws {
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        let engine = ResearchEngine(providers: try providers(website: "http://127.0.0.1:9", pool: pool), summarizer: nil)
        let profile = await engine.research(subject(company: "Hays", website: nil)) { _ in }
        #expect(profile.companyType == .recruitmentAgency)
        #expect(profile.providers.filter { $0.provider != "posting" }.allSatisfy { $0.outcome == .skipped && $0.detail?.contains("recruitment agency") == true })
        try await pool.shutdownGracefully()
    }
}

extension ResearchEngineTests {
    @Test("A configured LLM summarizes and classifies the evidence; the facts it was given stay")
    func llmSummary() async throws {
        let summary = "Northwind Robotics makes autonomous forklifts for cold-storage warehouses and sells them to grocers."
        let router = Router()
        router.post("v1/chat/completions") { _, _ -> Response in
            let content = #"{"summary": "\#(summary)", "industry": "Robotics", "company_type": "employer"}"#
            let body: [String: Any] = [
                "id": "chatcmpl-1", "object": "chat.completion", "model": "test-model",
                "choices": [["index": 0, "message": ["role": "assistant", "content": content], "finish_reason": "stop"]],
                "usage": ["prompt_tokens": 900, "completion_tokens": 60, "total_tokens": 960],
            ]
            let data = try JSONSerialization.data(withJSONObject: body)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        let server = try await LoopbackServer.start(router)
        let configuration = try LanguageModelConfiguration(environment: [
            "JOBSMITH_LLM_PROVIDERS_RESEARCH": "openai", "OPENAI_BASE_URL": server.baseURL + "/v1", "OPENAI_MODEL": "test-model",
        ])
        let factory = try LanguageModelChainFactory(configuration: configuration, httpClient: HTTPClient(threadPool: pool), threadPool: pool)
        let evidence = PostingEvidence(text: Self.posting, aboutCompany: "Northwind Robotics builds autonomous forklifts for cold-storage warehouses.")
        let engine = ResearchEngine(
            providers: [PostingProvider(evidence: evidence)],
            summarizer: ProfileSummarizer(chain: factory.chain(forStep: "research"))
        )
        let profile = await engine.research(subject(website: nil)) { _ in }
        await server.stop()
        try await pool.shutdownGracefully()
        #expect(profile.summary == summary)
        #expect(profile.industry == "Robotics")
        #expect(profile.summarizedBy == "openai")
        #expect(profile.providers.last?.provider == "llm" && profile.providers.last?.outcome == .used)
    }
}

actor ReportLog {
    private(set) var reports: [ProviderReport] = []
    var count: Int { reports.count }
    func append(_ report: ProviderReport) { reports.append(report) }
}
