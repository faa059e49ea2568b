import CVGeneratorService
import Domain
import Foundation
import JobAnalysis
import JobsmithTesting
import Testing
import TextAnalysis

/// Tailoring with a job analysis: real Ashby postings, analysed the way the pipeline analyses them,
/// against the sample master CV.
///
/// What is under test is that the choices fit the job (a data job gets the data work, a manager job
/// the leadership wording) and that the header keeps its shape: a 15–25 word third-person tagline,
/// 5–6 key achievements, 6–8 competencies, no bullet twice, and no number the master CV lacks.
@Suite struct CVTailoringTests {
    /// Real postings from `shared/datasets/ashby`.
    enum Posting: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case dataEngineer
        case engineeringManager
        case sales

        var board: String {
            switch self {
            case .dataEngineer: "candidhealth"
            case .engineeringManager: "procurify"
            case .sales: "ClassDojo"
            }
        }

        var title: String {
            switch self {
            case .dataEngineer: "Data Engineer"
            case .engineeringManager: "Engineering Manager, Payments"
            case .sales: "Senior Account Executive"
            }
        }

        var testDescription: String { "\(board) / \(title)" }

        func load(emphasis: [String] = []) throws -> JobForCV {
            struct Board: Decodable {
                struct Job: Decodable {
                    var title: String
                    var location: String?
                    var descriptionHtml: String?
                    var descriptionPlain: String?
                }
                var jobs: [Job]
            }
            let url = TestEnvironment.ashbyDatasetDirectory.appendingPathComponent("\(board).json")
            let jobs = try JSONDecoder().decode(Board.self, from: Data(contentsOf: url)).jobs
            let job = try #require(
                jobs.first { $0.title.trimmingCharacters(in: .whitespaces) == title }, "no '\(title)' in \(url.path)")
            let html = try #require(job.descriptionHtml)
            let analysis = JobDescriptionAnalyzer().analyze(
                .init(title: job.title, company: board, location: job.location),
                structure: DescriptionStructurer.structure(html: html)
            )
            return JobForCV(
                title: job.title, company: board, descriptionText: job.descriptionPlain ?? "", analysis: analysis,
                emphasis: emphasis)
        }
    }

    /// A fixed day, so the years of experience do not change with the calendar.
    static let writtenOn = Date(timeIntervalSince1970: 1_780_272_000)  // 2026-06-01

    let master: MasterCV

    init() throws {
        master = try MasterCV.load(from: CVWriterTests.masterURL)
    }

    func write(_ posting: Posting) throws -> (job: JobForCV, cv: TailoredCV) {
        let job = try posting.load()
        return (job, CVWriter.write(for: job, master: master, asOf: Self.writtenOn))
    }

    // MARK: Choice of achievements

    @Test func dataJobGetsTheDataPlatformAchievements() throws {
        let (_, cv) = try write(.dataEngineer)
        // The sample's data work: the Spark/Airflow ETL rebuild and the PostgreSQL schema redesign.
        for id in ["fm-etl-rebuild", "ngl-postgres-partitioning"] {
            #expect(cv.selectedAchievementIDs.contains(id), "\(cv.selectedAchievementIDs)")
        }
        #expect(cv.keyAchievementIDs.first == "fm-etl-rebuild", "\(cv.keyAchievementIDs)")
        // The posting says "Airflow"; the taxonomy's "Apache Airflow" and the CV's "Airflow" are one skill.
        #expect(cv.matchedKeywords.contains("Airflow") && cv.matchedKeywords.contains("PostgreSQL"))
        // Payments work the posting does not ask about stays out of the header.
        #expect(!cv.keyAchievementIDs.contains("qp-idempotent-payments"))
    }

    @Test func managerJobLeadsWithLeadershipVariants() throws {
        let (_, cv) = try write(.engineeringManager)
        let roles = Self.experience(of: cv.markdown)
        #expect(roles.count == master.roles.count)
        for (role, bullets) in zip(master.roles, roles) {
            let leadership = Set(role.achievements.flatMap { $0.variants.filter { $0.type == .leadership }.map(\.text) })
            guard !leadership.isEmpty else { continue }
            // Every role with leadership wording available opens with it.
            let first = try #require(bullets.first)
            #expect(leadership.contains(first), "\(role.company) opens with '\(first)'")
        }
        #expect(cv.selectedAchievementIDs.first == "ngl-mentoring")
        #expect(cv.selectedAchievementIDs.contains("qp-card-issuing"))
    }

    @Test func salesJobTellsImpactAndDiffersFromTheEngineeringJobs() throws {
        let (_, sales) = try write(.sales)
        let (_, data) = try write(.dataEngineer)
        #expect(sales.selectedAchievementIDs != data.selectedAchievementIDs)
        let impact = Set(master.roles.flatMap { $0.achievements.flatMap { $0.variants.filter { $0.type == .impact }.map(\.text) } })
        let first = try #require(Self.experience(of: sales.markdown).first?.first)
        #expect(impact.contains(first), "\(first)")
    }

    @Test func emphasisWeighsLikeARequiredSkill() throws {
        let plain = CVWriter.write(for: try Posting.sales.load(), master: master, asOf: Self.writtenOn)
        let emphasised = CVWriter.write(for: try Posting.sales.load(emphasis: ["A/B testing"]), master: master, asOf: Self.writtenOn)
        #expect(!plain.keyAchievementIDs.contains("cm-ab-testing"))
        #expect(emphasised.keyAchievementIDs.first == "cm-ab-testing", "\(emphasised.keyAchievementIDs)")
        #expect(emphasised.matchedKeywords.contains("A/B testing"))
    }

    @Test func skillsMatchThroughTheTaxonomyAndKeepTheMasterSpelling() {
        let job = JobForCV(title: "Platform Engineer", company: "Acme", descriptionText: "We run Postgres on k8s in Amazon Web Services.")
        let cv = CVWriter.write(for: job, master: master, asOf: Self.writtenOn)
        #expect(Set(cv.matchedKeywords).isSuperset(of: ["PostgreSQL", "Kubernetes", "AWS"]), "\(cv.matchedKeywords)")
        #expect(!cv.matchedKeywords.contains("Postgres"))
        #expect(cv.markdown.contains("PostgreSQL · Kubernetes · AWS") || cv.markdown.contains("Kubernetes · PostgreSQL"))
        #expect(!cv.markdown.contains("k8s") && !cv.markdown.contains("Amazon Web Services"))
    }

    // MARK: Header

    @Test(arguments: Posting.allCases)
    func taglineIsAThirdPersonSentenceOf15To25Words(posting: Posting) throws {
        let (_, cv) = try write(posting)
        let words = cv.tagline.split(whereSeparator: \.isWhitespace)
        #expect((15...25).contains(words.count), "\(words.count): \(cv.tagline)")
        let lowered = Set(words.map { $0.lowercased().trimmingCharacters(in: .punctuationCharacters) })
        #expect(lowered.isDisjoint(with: ["i", "me", "my", "mine", "we", "our", "i'm", "i've"]), "\(cv.tagline)")
        #expect(cv.tagline.hasPrefix("Staff Software Engineer with 13 years of experience"), "\(cv.tagline)")
        #expect(cv.tagline.hasSuffix("."))
        // It opens the summary.
        let summary = try #require(CVWriterTests.sections(of: cv.markdown).first { $0.title == "Summary" })
        #expect(summary.body.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix(cv.tagline))
        // Only the master CV's skills are named, and the job's skills come first.
        let list = try #require(cv.tagline.components(separatedBy: ", skilled in ").last?.dropLast())
        let skills = list.replacingOccurrences(of: " and ", with: ", ").components(separatedBy: ", ")
        #expect((2...4).contains(skills.count), "\(cv.tagline)")
        #expect(Set(skills).isSubset(of: Set(master.skills.flatMap(\.skills))), "\(skills)")
        if posting != .sales { #expect(skills.allSatisfy(cv.matchedKeywords.contains), "\(skills)") }
    }

    @Test func yearsOfExperienceAreCountedFromTheRoleDates() throws {
        // 2012-09 to 2026-06 is 13 years and 9 months; to 2026-09 it is 14 years.
        let september = Date(timeIntervalSince1970: 1_788_220_800)  // 2026-09-01
        let later = CVWriter.write(for: try Posting.dataEngineer.load(), master: master, asOf: september)
        #expect(later.tagline.contains("with 14 years of experience"))
        // The summary's own "12 years" would contradict the count and is left out.
        #expect(!later.markdown.contains("12 years"))
    }

    @Test(arguments: Posting.allCases)
    func headerHasTheAgreedSizes(posting: Posting) throws {
        let (job, cv) = try write(posting)
        let body = Dictionary(uniqueKeysWithValues: CVWriterTests.sections(of: cv.markdown).map { ($0.title, $0.body) })
        let key = CVWriterTests.bullets(in: body["Key achievements"] ?? "")
        #expect((5...6).contains(key.count))
        #expect(key.count == cv.keyAchievementIDs.count)
        #expect(Set(cv.keyAchievementIDs).isSubset(of: Set(cv.selectedAchievementIDs)))
        let competencies = (body["Core competencies"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            .components(separatedBy: " · ")
        #expect((6...8).contains(competencies.count), "\(competencies)")
        // The headline carries the posting's exact title.
        let title = job.title.trimmingCharacters(in: .whitespaces)
        #expect(cv.markdown.split(separator: "\n").dropFirst().first?.hasPrefix("**\(title)** · ") == true)
    }

    // MARK: Truthfulness

    @Test(arguments: Posting.allCases)
    func noBulletIsRepeatedOrNearlyRepeated(posting: Posting) throws {
        let (_, cv) = try write(posting)
        let bullets = CVWriterTests.bullets(in: cv.markdown).map(String.init)
        #expect(Set(bullets).count == bullets.count, "\(bullets)")
        let experience = Self.experience(of: cv.markdown).flatMap { $0 }
        #expect(Set(cv.selectedAchievementIDs).count == cv.selectedAchievementIDs.count)
        for (index, bullet) in experience.enumerated() {
            for other in experience[..<index] {
                #expect(Self.similarity(bullet, other) < 0.6, "'\(bullet)' repeats '\(other)'")
            }
        }
    }

    @Test(arguments: Posting.allCases)
    func everyNumberComesFromTheMasterCV(posting: Posting) throws {
        let (job, cv) = try write(posting)
        let source = Set(try CVWriterTests.numbers(in: String(contentsOf: CVWriterTests.masterURL, encoding: .utf8)))
        // The posting's title and the counted years of experience are the only numbers not copied from the master CV.
        let output = cv.markdown.replacingOccurrences(of: job.title, with: "")
            .replacingOccurrences(of: "with 13 years of experience", with: "")
        let numbers = try CVWriterTests.numbers(in: output)
        #expect(!numbers.isEmpty)
        for number in numbers { #expect(source.contains(number), "\(number) is not in the master CV") }
    }

    @Test func writingWithAnAnalysisIsDeterministic() throws {
        let job = try Posting.engineeringManager.load()
        #expect(CVWriter.write(for: job, master: master, asOf: Self.writtenOn) == CVWriter.write(for: job, master: master, asOf: Self.writtenOn))
    }

    // MARK: Helpers

    /// The bullets of each role under Experience, unescaped enough to compare with the master CV's text.
    static func experience(of markdown: String) -> [[String]] {
        let body = CVWriterTests.sections(of: markdown).first { $0.title == "Experience" }?.body ?? ""
        return body.components(separatedBy: "### ").dropFirst().map { role in
            CVWriterTests.bullets(in: role).map { String($0.dropFirst(2)).replacingOccurrences(of: "\\", with: "") }
        }
    }

    static func similarity(_ lhs: String, _ rhs: String) -> Double {
        let left = Set(lhs.lowercased().split { !$0.isLetter && !$0.isNumber }.filter { $0.count > 2 })
        let right = Set(rhs.lowercased().split { !$0.isLetter && !$0.isNumber }.filter { $0.count > 2 })
        let union = left.union(right).count
        return union == 0 ? 1 : Double(left.intersection(right).count) / Double(union)
    }
}
