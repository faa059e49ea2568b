import Domain
import Foundation
import Runtime
import JobAnalysis
import TextAnalysis

/// `cv-generator bench <folder> --master-cv <file> [--jobs 500] [--example <job title prefix> <out.md>]`:
/// writes the CV (with its integrity and ATS reports and HTML), the cover letter and outreach for
/// real postings of a folder of Ashby boards on one thread, and prints how many per second — the
/// deterministic engine's cost, without Redis and PostgreSQL.
public enum CVBenchmark {
    public struct Report: Codable, Sendable {
        public var jobs: Int
        public var cvsPerSecond: Double
        public var applicationsPerSecond: Double
        public var cvMilliseconds: Double
        public var lettersMilliseconds: Double
        public var ready: Int
        public var claimsChecked: Int
        public var peakResidentMegabytes: Double
    }

    private struct AshbyBoard: Decodable {
        struct Job: Decodable {
            var title: String
            var descriptionHtml: String?
        }

        var jobs: [Job]
    }

    /// Runs the benchmark when `arguments` (without the program name) ask for it; returns whether they did.
    public static func runIfRequested(_ arguments: [String]) -> Bool {
        OfflineBenchmark.runIfRequested(arguments, program: "cv-generator", run(arguments:))
    }

    static func run(arguments: [String]) throws -> Report {
        var folder: String?
        var masterPath = "samples/master-cv.json"
        var limit = 500
        var example: (prefix: String, output: String)?
        var index = 0
        while index < arguments.count {
            switch arguments[index] {
            case "--master-cv" where index + 1 < arguments.count:
                masterPath = arguments[index + 1]
                index += 1
            case "--jobs" where index + 1 < arguments.count:
                limit = max(1, Int(arguments[index + 1]) ?? limit)
                index += 1
            case "--example" where index + 2 < arguments.count:
                example = (arguments[index + 1], arguments[index + 2])
                index += 2
            default:
                folder = arguments[index]
            }
            index += 1
        }
        guard let folder else { throw OfflineBenchmark.UsageError("usage: cv-generator bench <folder of Ashby boards> [--master-cv <file>] [--jobs <n>] [--example <title prefix> <out.md>]") }
        let master = try MasterCV.load(from: URL(fileURLWithPath: masterPath))

        // The jobs, analysed as extraction would have stored them (not timed).
        var jobs: [(job: JobForCV, analysis: JobDescriptionAnalysis)] = []
        let analyzer = JobDescriptionAnalyzer()
        for file in try FileManager.default.contentsOfDirectory(atPath: folder).filter({ $0.hasSuffix(".json") }).sorted() where jobs.count < limit {
            let data = try Data(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent(file))
            guard let board = try? JSONDecoder().decode(AshbyBoard.self, from: data) else { continue }
            let company = String(file.dropLast(5))
            for posting in board.jobs where jobs.count < limit {
                let structure = DescriptionStructurer.structure(html: posting.descriptionHtml ?? "")
                let analysis = analyzer.analyze(.init(title: posting.title, company: company), structure: structure)
                jobs.append((JobForCV(title: posting.title, company: company, descriptionText: structure.text), analysis))
            }
        }
        guard !jobs.isEmpty else { throw OfflineBenchmark.UsageError("no Ashby postings in \(folder)") }

        let clock = ContinuousClock()
        var cvTime = Duration.zero
        var lettersTime = Duration.zero
        var ready = 0
        var claims = 0
        for (job, analysis) in jobs {
            let start = clock.now
            let documents = ApplicationDocuments(master: master, job: job, analysis: analysis, company: nil, contacts: [])
            let cv = documents.write(kinds: [.cv])
            let middle = clock.now
            let contact = ApplicationDocuments.Contact(name: "Hiring Manager at \(job.company)", role: "Hiring Manager", isSynthetic: true)
            _ = ApplicationDocuments(master: master, job: job, analysis: analysis, company: nil, contacts: [contact]).write(kinds: [.coverLetter, .outreach])
            cvTime += middle - start
            lettersTime += clock.now - middle
            if cv.integrity.isClean { ready += 1 }
            claims += cv.integrity.claims.count
            if let example, job.title.hasPrefix(example.prefix) {
                try Self.example(cv: cv, job: job).write(toFile: example.output, atomically: true, encoding: .utf8)
            }
        }
        let count = Double(jobs.count)
        return Report(
            jobs: jobs.count,
            cvsPerSecond: count / cvTime.seconds,
            applicationsPerSecond: count / (cvTime + lettersTime).seconds,
            cvMilliseconds: cvTime.seconds / count * 1000,
            lettersMilliseconds: lettersTime.seconds / count * 1000,
            ready: ready,
            claimsChecked: claims,
            peakResidentMegabytes: OfflineBenchmark.peakResidentMegabytes()
        )
    }

    /// The CV as written for one real posting, with its reports, for the documentation.
    private static func example(cv: ApplicationDocuments.Written, job: JobForCV) -> String {
        var lines = [
            "# Example: the CV written for a real posting",
            "",
            "Written by `cv-generator bench … --example` with the deterministic engine from the sample master CV",
            "(`samples/master-cv.json`) for **\(job.title)** at \(job.company) (from `shared/datasets/ashby`).",
            "",
            "Integrity: \(cv.integrity.summary).",
        ]
        if let ats = cv.ats {
            lines.append("ATS coverage \(ats.coverage)%: required skills covered \(ats.requiredCovered.joined(separator: ", ")); missing \(ats.requiredMissing.isEmpty ? "none" : ats.requiredMissing.joined(separator: ", ")).")
        }
        lines += ["", "---", "", cv.cvMarkdown]
        return lines.joined(separator: "\n") + "\n"
    }
}
