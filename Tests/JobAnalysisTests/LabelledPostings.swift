import Domain
import Foundation
import IngestionService
import JobAnalysis
import JobsmithTesting
import Testing
import TextAnalysis

/// Real postings labelled by hand (`Fixtures/labelled-postings.json`), read from the board payloads
/// they came from with the same parsers ingestion uses.
struct LabelledPosting: Decodable, Sendable, CustomTestStringConvertible {
    struct Source: Decodable, Sendable {
        var path: String
        var jobID: String

        enum CodingKeys: String, CodingKey {
            case path
            case jobID = "job_id"
        }
    }

    struct Section: Decodable, Sendable {
        var title: String
        var type: SectionType
    }

    struct Pay: Decodable, Sendable {
        var min: Double
        var max: Double
        var currency: String
        var period: String
    }

    var key: String
    var source: Source
    var company: String
    var title: String
    var family: JobFamily
    var roleCategory: RoleCategory
    var seniority: Seniority
    var remotePolicy: RemotePolicy
    var yearsExperience: Int?
    var education: EducationRequirement.Level?
    var salary: Pay?
    var sections: [Section]
    var requiredSkills: [String]
    var preferredSkills: [String]
    var softSkills: [String]

    enum CodingKeys: String, CodingKey {
        case key, source, company, title, family
        case roleCategory = "role_category"
        case seniority
        case remotePolicy = "remote_policy"
        case yearsExperience = "years_experience"
        case education, salary, sections
        case requiredSkills = "required_skills"
        case preferredSkills = "preferred_skills"
        case softSkills = "soft_skills"
    }

    var testDescription: String { key }

    static let all: [LabelledPosting] = {
        struct File: Decodable { var postings: [LabelledPosting] }
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/labelled-postings.json")
        do {
            return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).postings
        } catch {
            fatalError("Cannot read \(url.path): \(error)")
        }
    }()

    /// The posting as ingestion would store it.
    func posting() throws -> JobPosting {
        let url = TestEnvironment.sharedDirectory.appendingPathComponent(source.path)
        let data = try Data(contentsOf: url)
        guard let format = BoardFormat.detect(data, fileName: url.lastPathComponent) else {
            throw LabelError("\(source.path) is in no known board format")
        }
        let board = url.deletingPathExtension().lastPathComponent
        let page = try format.parser.parse(data, context: BoardContext(source: "\(format.rawValue)-\(board)", board: board))
        guard let posting = page.postings.first(where: { $0.externalID == source.jobID }) else {
            throw LabelError("\(source.path) has no posting \(source.jobID)")
        }
        return posting
    }

    /// What the engine makes of it.
    func analyze(with analyzer: JobDescriptionAnalyzer) throws -> (DescriptionStructure, JobDescriptionAnalysis) {
        let posting = try posting()
        let structure = DescriptionStructurer.structure(html: posting.descriptionHTML)
        let input = JobDescriptionAnalyzer.Posting(
            title: posting.title,
            company: posting.company,
            location: posting.locations.isEmpty ? nil : posting.locations.joined(separator: "; "),
            workplaceType: posting.workplaceType?.rawValue,
            isRemote: posting.isRemote,
            department: posting.department,
            boardSalary: posting.salary.flatMap { salary in
                guard let currency = salary.currency, let low = salary.minimum ?? salary.maximum else { return nil }
                return StatedSalary(minimum: low, maximum: salary.maximum ?? low, currency: currency, period: .init(rawValue: salary.interval?.rawValue ?? "year") ?? .year, text: "board")
            }
        )
        return (structure, analyzer.analyze(input, structure: structure))
    }

    struct LabelError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

/// A header title compared loosely: case, curly quotes, punctuation and emoji do not matter.
func normalizedTitle(_ title: String) -> String {
    let folded = title.lowercased().replacingOccurrences(of: "’", with: "'")
    return String(folded.unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == " " || $0 == "'" }.map(Character.init))
        .split(separator: " ").joined(separator: " ")
}
