import Foundation
import JobAnalysis
import TextAnalysis

/// How the engine's output compares with the hand labels, posting by posting and overall.
struct ExtractionQuality: Sendable {
    struct PostingScore: Sendable {
        var key: String
        var sectionsLabelled = 0
        var sectionsFound = 0
        var sectionsCorrect = 0
        var sectionMistakes: [String] = []
        var skillsPredicted: Set<String> = []
        var skillsLabelled: Set<String> = []
        var requiredPredicted: Set<String> = []
        var requiredLabelled: Set<String> = []
        var softPredicted: Set<String> = []
        var softLabelled: Set<String> = []
        /// Field name → (expected, actual) for every field that disagrees.
        var fieldMistakes: [String: (String, String)] = [:]
        var fieldsChecked = 0

        var skillHits: Int { skillsPredicted.intersection(skillsLabelled).count }
    }

    var postings: [PostingScore] = []

    static func measure(_ labelled: [LabelledPosting], analyzer: JobDescriptionAnalyzer = JobDescriptionAnalyzer()) throws -> ExtractionQuality {
        var quality = ExtractionQuality()
        for label in labelled {
            let (structure, analysis) = try label.analyze(with: analyzer)
            quality.postings.append(score(label, structure: structure, analysis: analysis))
        }
        return quality
    }

    static func score(_ label: LabelledPosting, structure: DescriptionStructure, analysis: JobDescriptionAnalysis) -> PostingScore {
        var score = PostingScore(key: label.key)
        // A labelled header is looked up as a line of the clean text; the section holding that line
        // is what the engine says the text under it is. A sub-header the engine folded into its parent
        // section (a "Who you are" under "Requirements") is then judged by the parent's type.
        var lines: [(text: String, offset: Int)] = []
        var offset = 0
        for line in structure.text.split(separator: "\n", omittingEmptySubsequences: false) {
            lines.append((normalizedTitle(String(line)), offset))
            offset += line.utf16.count + 1
        }
        let titles = Set(structure.sections.compactMap { $0.title.map(normalizedTitle) })
        var searchFrom = 0
        for section in label.sections {
            score.sectionsLabelled += 1
            let wanted = normalizedTitle(section.title)
            let candidates = lines.indices.filter { lines[$0].offset >= searchFrom }
            guard let index = candidates.first(where: { lines[$0].text == wanted })
                ?? candidates.first(where: { !wanted.isEmpty && lines[$0].text.hasPrefix(wanted) }) else {
                score.sectionMistakes.append("\"\(section.title)\": not in the clean text (want \(section.type.rawValue))")
                continue
            }
            searchFrom = lines[index].offset
            if titles.contains(lines[index].text) || titles.contains(wanted) { score.sectionsFound += 1 }
            guard let holder = structure.sections.last(where: { $0.start <= lines[index].offset }) else { continue }
            if holder.type == section.type {
                score.sectionsCorrect += 1
            } else {
                score.sectionMistakes.append("\"\(section.title)\": \(holder.type.rawValue), want \(section.type.rawValue)")
            }
        }
        score.skillsPredicted = Set(analysis.requiredSkills + analysis.preferredSkills)
        score.skillsLabelled = Set(label.requiredSkills + label.preferredSkills)
        score.requiredPredicted = Set(analysis.requiredSkills)
        score.requiredLabelled = Set(label.requiredSkills)
        score.softPredicted = Set(analysis.softSkills)
        score.softLabelled = Set(label.softSkills)

        func check(_ name: String, _ expected: String, _ actual: String) {
            score.fieldsChecked += 1
            if expected != actual { score.fieldMistakes[name] = (expected, actual) }
        }
        check("family", label.family.rawValue, analysis.jobFamily.rawValue)
        check("role_category", label.roleCategory.rawValue, analysis.roleCategory.rawValue)
        check("seniority", label.seniority.rawValue, analysis.seniority.rawValue)
        check("remote_policy", label.remotePolicy.rawValue, analysis.remotePolicy.rawValue)
        check("years_experience", label.yearsExperience.map(String.init) ?? "none", analysis.yearsExperience.map(String.init) ?? "none")
        check("education", label.education?.rawValue ?? "none", analysis.education?.level.rawValue ?? "none")
        check("salary", label.salary.map { "\(Int($0.min))-\(Int($0.max)) \($0.currency)/\($0.period)" } ?? "none",
              analysis.salary.map { "\(Int($0.minimum))-\(Int($0.maximum)) \($0.currency)/\($0.period.rawValue)" } ?? "none")
        return score
    }

    // MARK: Totals

    private func ratio(_ part: Int, _ whole: Int) -> Double { whole == 0 ? 1 : Double(part) / Double(whole) }

    var sectionAccuracy: Double { ratio(postings.map(\.sectionsCorrect).reduce(0, +), postings.map(\.sectionsLabelled).reduce(0, +)) }
    var headerRecall: Double { ratio(postings.map(\.sectionsFound).reduce(0, +), postings.map(\.sectionsLabelled).reduce(0, +)) }
    var skillPrecision: Double { ratio(postings.map(\.skillHits).reduce(0, +), postings.map(\.skillsPredicted.count).reduce(0, +)) }
    var skillRecall: Double { ratio(postings.map(\.skillHits).reduce(0, +), postings.map(\.skillsLabelled.count).reduce(0, +)) }
    var requiredSkillRecall: Double {
        ratio(postings.map { $0.requiredPredicted.intersection($0.requiredLabelled).count }.reduce(0, +), postings.map(\.requiredLabelled.count).reduce(0, +))
    }
    var softPrecision: Double {
        ratio(postings.map { $0.softPredicted.intersection($0.softLabelled).count }.reduce(0, +), postings.map(\.softPredicted.count).reduce(0, +))
    }
    var softRecall: Double {
        ratio(postings.map { $0.softPredicted.intersection($0.softLabelled).count }.reduce(0, +), postings.map(\.softLabelled.count).reduce(0, +))
    }

    func fieldAccuracy(_ field: String) -> Double {
        ratio(postings.filter { $0.fieldMistakes[field] == nil }.count, postings.count)
    }

    static let fields = ["family", "role_category", "seniority", "remote_policy", "years_experience", "education", "salary"]

    /// The report `scripts/bench extraction-quality` puts in `docs/benchmarks.md`.
    var markdown: String {
        func percent(_ value: Double) -> String { String(format: "%.1f %%", value * 100) }
        var lines = [
            "| Measure | Value |",
            "|---|---|",
            "| Postings labelled | \(postings.count) |",
            "| Section headers labelled | \(postings.map(\.sectionsLabelled).reduce(0, +)) |",
            "| Labelled headers the engine also starts a section at | \(percent(headerRecall)) |",
            "| Section-type accuracy | \(percent(sectionAccuracy)) |",
            "| Skills precision (required + preferred) | \(percent(skillPrecision)) |",
            "| Skills recall (required + preferred) | \(percent(skillRecall)) |",
            "| Required-skills recall (found as required) | \(percent(requiredSkillRecall)) |",
            "| Soft skills precision / recall | \(percent(softPrecision)) / \(percent(softRecall)) |",
        ]
        for field in Self.fields { lines.append("| Field `\(field)` accuracy | \(percent(fieldAccuracy(field))) |") }
        lines.append("")
        lines.append("Disagreements with the labels:")
        lines.append("")
        for posting in postings {
            var notes = posting.sectionMistakes
            notes += posting.fieldMistakes.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.1), want \($0.value.0)" }
            let missed = posting.skillsLabelled.subtracting(posting.skillsPredicted).sorted()
            let extra = posting.skillsPredicted.subtracting(posting.skillsLabelled).sorted()
            if !missed.isEmpty { notes.append("skills missed: \(missed.joined(separator: ", "))") }
            if !extra.isEmpty { notes.append("skills not in the labels: \(extra.joined(separator: ", "))") }
            guard !notes.isEmpty else { continue }
            lines.append("- `\(posting.key)`: " + notes.joined(separator: "; "))
        }
        return lines.joined(separator: "\n")
    }
}
