import CVGeneratorService
import Domain
import Foundation
import JobAnalysis
import JobsmithTesting
import Testing
import TextAnalysis

/// The grounding check on real CVs: what the writer produces for real postings traces to the master
/// CV, and anything added to it that does not is caught and removed.
@Suite("Integrity of generated documents")
struct IntegrityCheckerTests {
    let master: MasterCV

    init() throws {
        master = try MasterCV.load(from: TestEnvironment.repositoryRoot.appendingPathComponent("samples/master-cv.json"))
    }

    /// The first few postings of several real boards, across job families.
    static func realJobs() throws -> [JobForCV] {
        struct Board: Decodable {
            struct Job: Decodable {
                var title: String
                var descriptionPlain: String?
            }
            var jobs: [Job]
        }
        var jobs: [JobForCV] = []
        for board in ["docker", "ClassDojo", "Coder", "notion", "Levelpath", "DailyPay"] {
            let url = TestEnvironment.ashbyDatasetDirectory.appendingPathComponent("\(board).json")
            guard let data = try? Data(contentsOf: url) else { continue }
            for job in try JSONDecoder().decode(Board.self, from: data).jobs.prefix(4) {
                jobs.append(JobForCV(title: job.title, company: board, descriptionText: job.descriptionPlain ?? ""))
            }
        }
        return jobs
    }

    @Test("Every claim of the CVs written for real postings traces to the master CV")
    func writtenCVsAreGrounded() throws {
        let jobs = try Self.realJobs()
        #expect(jobs.count >= 16)
        for job in jobs {
            let cv = CVWriter.write(for: job, master: master)
            let report = IntegrityChecker(master: master, jobTitle: job.title, company: job.company).check(cv.markdown)
            #expect(report.isClean, "\(job.company) / \(job.title): \(report.summary)")
            #expect(report.claims.contains { $0.kind == .number })
            #expect(report.claims.contains { $0.kind == .employer && $0.source != nil })
        }
    }

    @Test("A fabricated number, skill or employer is caught; removing it leaves a clean document")
    func fabricationsAreCaught() throws {
        let job = try #require(try Self.realJobs().first)
        let cv = CVWriter.write(for: job, master: master).markdown
        let checker = IntegrityChecker(master: master, jobTitle: job.title, company: job.company)
        let tampered = cv
            + "\n- Cut cloud spend by 73% in two quarters"
            + "\n- Rewrote the billing core in Elixir"
            + "\n\n### Principal Engineer — Globex Corporation\n"
        let report = checker.check(tampered)
        let ungrounded = Set(report.ungrounded.map(\.text))
        #expect(ungrounded.contains("73%"))
        #expect(ungrounded.contains("Elixir"))
        #expect(ungrounded.contains("Globex Corporation"))
        #expect(!report.isClean)

        let (cleaned, after) = checker.removingUngrounded(from: tampered)
        #expect(!cleaned.contains("73%") && !cleaned.contains("Elixir"))
        #expect(Set(after.removed.map(\.text)).isSuperset(of: ["73%", "Elixir"]))
        // A role heading is never silently dropped: the document still fails.
        #expect(after.ungrounded.map(\.text).contains("Globex Corporation"))
        #expect(checker.removingUngrounded(from: cv + "\n- Cut cloud spend by 73% in two quarters").report.isClean)
    }

    @Test("Numbers are compared by value and unit", arguments: [
        ("grew 40 % year on year", ["40%"]),
        ("a $2.5 million contract", ["$2.5m"]),
        ("12,000 requests per second, 3x faster", ["12000", "3x"]),
        ("99.9% uptime since 2019", ["99.9%", "2019"]),
        ("cut p99 from 800ms to 120ms", ["800", "120"]),
    ])
    func numberReading(text: String, expected: [String]) {
        #expect(IntegrityChecker.numbers(in: text) == expected)
    }

    @Test("The ATS report lists covered and missing skills and acronym pairs")
    func atsReport() throws {
        let analysis = JobDescriptionAnalyzer().analyze(
            .init(title: "Senior Data Engineer", company: "Acme"),
            structure: DescriptionStructurer.structure(text: """
                Requirements

                - Python, SQL and Apache Kafka in production
                - Amazon Web Services

                Nice to have

                - Rust
                """)
        )
        let cv = CVWriter.write(for: JobForCV(title: "Senior Data Engineer", company: "Acme", descriptionText: "Python SQL Kafka AWS Rust"), master: master)
        let report = ATSReport(cv: cv.markdown, job: analysis)
        #expect(Set(report.requiredCovered + report.requiredMissing) == Set(analysis.requiredSkills))
        #expect(report.requiredCovered.contains("Python"))
        // The sample master CV has no Rust, so the CV cannot cover it.
        #expect(report.preferredMissing == ["Rust"])
        #expect((0...100).contains(report.coverage))
        #expect(report.termPairs.allSatisfy { ["both", "acronym", "full_term"].contains($0.present) })
    }
}
