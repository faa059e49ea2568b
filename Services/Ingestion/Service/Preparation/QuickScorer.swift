import Domain
import TextAnalysis

/// A fast, deterministic fit score of a posting against the master CV, for triage at ingestion.
///
/// Up to 70 points for the CV's skills the posting names (12 distinct ones earn them all) and up to 30
/// for how much of the posting's title the CV's titles and headline cover. Extraction computes the full
/// fit analysis later; this only decides what is worth sending down the pipeline.
public struct QuickScorer: Sendable {
    private let skills: KeywordMatcher
    private let titleWords: Set<String>

    public init(master: MasterCV) {
        var terms = master.skills.flatMap(\.skills)
        for role in master.roles { terms += role.skills + role.keywords }
        skills = KeywordMatcher(terms: terms)
        let titles = [master.candidate.headline] + master.roles.map(\.title)
        titleWords = Set(titles.flatMap(Self.words))
    }

    public struct Score: Sendable, Equatable {
        public var value: Int
        public var tier: String
    }

    public func score(title: String, text: String) -> Score {
        // The matcher keeps one pattern per distinct term, so each match is one skill.
        let matched = skills.matches(in: title + "\n" + text).count
        let skillPoints = min(1.0, Double(matched) / 12) * 70
        let words = Self.words(title)
        let covered = words.isEmpty ? 0 : Double(words.filter(titleWords.contains).count) / Double(words.count)
        let value = Int((skillPoints + covered * 30).rounded())
        return Score(value: value, tier: Self.tier(for: value))
    }

    /// A ≥ 80, B ≥ 60, C ≥ 40, else D.
    public static func tier(for score: Int) -> String {
        FitTier.tier(for: score)
    }

    static func words(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init).filter { $0.count > 2 }
    }
}
