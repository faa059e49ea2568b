import Domain
import Foundation
import Runtime
import JobAnalysis
import TextAnalysis

/// `extraction bench <folder> [--master-cv <file>] [--passes <n>]`: structures, analyses and scores
/// every posting of a folder of Ashby board files on one thread, and prints descriptions per second
/// and peak memory. The same code the service runs per message, without Redis and PostgreSQL.
public enum ExtractionBenchmark {
    public struct Report: Codable, Sendable {
        public var descriptions: Int
        public var passes: Int
        public var bestPassSeconds: Double
        public var descriptionsPerSecond: Double
        public var structureMicroseconds: Double
        public var analyzeMicroseconds: Double
        public var fitMicroseconds: Double
        public var taxonomyLoadMilliseconds: Double
        public var peakResidentMegabytes: Double
        public var skillsFound: Int
    }

    /// The part of an Ashby posting the benchmark reads.
    private struct AshbyBoard: Decodable {
        struct Job: Decodable {
            var title: String
            var descriptionHtml: String?
            var department: String?
            var location: String?
            var isRemote: Bool?
            var workplaceType: String?
        }

        var jobs: [Job]
    }

    /// Runs the benchmark when `arguments` (without the program name) ask for it; returns whether they did.
    public static func runIfRequested(_ arguments: [String]) -> Bool {
        OfflineBenchmark.runIfRequested(arguments, program: "extraction", run(arguments:))
    }

    static func run(arguments: [String]) throws -> Report {
        var folder: String?
        var masterPath: String?
        var passes = 3
        var index = 0
        while index < arguments.count {
            switch arguments[index] {
            case "--master-cv" where index + 1 < arguments.count:
                masterPath = arguments[index + 1]
                index += 1
            case "--passes" where index + 1 < arguments.count:
                passes = max(1, Int(arguments[index + 1]) ?? passes)
                index += 1
            default:
                folder = arguments[index]
            }
            index += 1
        }
        guard let folder else { throw OfflineBenchmark.UsageError("usage: extraction bench <folder of Ashby board JSON files> [--master-cv <file>] [--passes <n>]") }

        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".json") }.sorted()
        var postings: [(JobDescriptionAnalyzer.Posting, String)] = []
        for file in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent(file))
            guard let board = try? JSONDecoder().decode(AshbyBoard.self, from: data) else { continue }
            let company = String(file.dropLast(5))
            for job in board.jobs {
                let posting = JobDescriptionAnalyzer.Posting(
                    title: job.title,
                    company: company,
                    location: job.location,
                    workplaceType: job.workplaceType?.lowercased(),
                    isRemote: job.isRemote,
                    department: job.department
                )
                postings.append((posting, job.descriptionHtml ?? ""))
            }
        }
        guard !postings.isEmpty else { throw OfflineBenchmark.UsageError("no Ashby postings in \(folder)") }

        let loadStart = ContinuousClock.now
        let analyzer = JobDescriptionAnalyzer()
        let taxonomyLoad = ContinuousClock.now - loadStart
        let scorer = try masterPath.map { FitScorer(master: try MasterCV.load(from: URL(fileURLWithPath: $0))) }

        var best = Duration.seconds(1_000_000)
        var stages = [Duration.zero, .zero, .zero]
        var skills = 0
        for _ in 0..<passes {
            var pass = [Duration.zero, .zero, .zero]
            skills = 0
            let clock = ContinuousClock()
            let start = clock.now
            for (posting, html) in postings {
                let t0 = clock.now
                let structure = DescriptionStructurer.structure(html: html)
                let t1 = clock.now
                let analysis = analyzer.analyze(posting, structure: structure)
                let t2 = clock.now
                if let scorer { _ = scorer.assess(analysis) }
                let t3 = clock.now
                pass[0] += t1 - t0
                pass[1] += t2 - t1
                pass[2] += t3 - t2
                skills += analysis.technicalSkills.count
            }
            let elapsed = clock.now - start
            if elapsed < best {
                best = elapsed
                stages = pass
            }
        }
        let seconds = best.seconds
        let count = Double(postings.count)
        return Report(
            descriptions: postings.count,
            passes: passes,
            bestPassSeconds: seconds,
            descriptionsPerSecond: count / seconds,
            structureMicroseconds: stages[0].seconds / count * 1_000_000,
            analyzeMicroseconds: stages[1].seconds / count * 1_000_000,
            fitMicroseconds: stages[2].seconds / count * 1_000_000,
            taxonomyLoadMilliseconds: taxonomyLoad.seconds * 1000,
            peakResidentMegabytes: OfflineBenchmark.peakResidentMegabytes(),
            skillsFound: skills
        )
    }
}
