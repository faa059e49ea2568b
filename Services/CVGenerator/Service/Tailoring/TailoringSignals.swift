import Domain
import JobAnalysis
import TextAnalysis

/// The variant wording a hiring team for a role category reads best.
enum VariantPreference {
    /// Leadership for people managers, architecture for staff engineers and tech leads, technical for
    /// other engineering roles, impact for everyone else; `nil` when the category says nothing.
    static func preferredType(for category: RoleCategory) -> MasterCV.VariantType? {
        switch category {
        case .engineeringManager, .director, .head, .vp, .cto:
            .leadership
        case .staffPrincipalEngineer, .techLead:
            .architecture
        case .softwareEngineer, .seniorEngineer, .dataEngineering, .dataScience, .machineLearning, .devopsInfrastructure,
            .security, .qualityAssurance:
            .technical
        case .productManagement, .design, .sales, .accountManagement, .customerSuccess, .customerSupport, .marketing,
            .finance, .operations, .people, .legal, .executive:
            .impact
        case .other:
            nil
        }
    }
}

/// How close an achievement is to the problems a posting says the hire will solve.
///
/// Each pain point's sentence and the achievement's texts are reduced to their significant words
/// (no stop words, a plural `s` dropped); the similarity is the largest share of a pain point's words
/// the achievement also uses, counted only when at least two words are shared.
struct PainPointSimilarity {
    private let painPoints: [Set<String>]

    init(_ painPoints: [Evidence]) {
        self.painPoints = painPoints.map { Self.words(in: $0.sentence + " " + $0.summary) }.filter { $0.count >= 2 }
    }

    var isEmpty: Bool { painPoints.isEmpty }

    /// 0...1.
    func similarity(to text: String) -> Double {
        let words = Self.words(in: text)
        var best = 0.0
        for painPoint in painPoints {
            let shared = painPoint.intersection(words).count
            guard shared >= 2 else { continue }
            best = max(best, Double(shared) / Double(painPoint.count))
        }
        return best
    }

    static func words(in text: String) -> Set<String> {
        Set(
            KeywordMatcher.words(in: text).compactMap { word -> String? in
                guard word.count > 2, word.allSatisfy({ $0.isLetter }), !stopWords.contains(word) else { return nil }
                return word.count > 4 && word.hasSuffix("s") && !word.hasSuffix("ss") ? String(word.dropLast()) : word
            }
        )
    }

    private static let stopWords: Set<String> = [
        "the", "and", "for", "with", "that", "this", "from", "into", "our", "your", "you", "are", "was", "were", "will",
        "have", "has", "had", "can", "all", "any", "but", "not", "its", "their", "they", "them", "who", "what", "when",
        "where", "which", "while", "how", "out", "about", "across", "over", "more", "most", "also", "such", "than",
        "then", "there", "these", "those", "each", "per", "via", "both", "able", "being", "been", "well", "very",
        "make", "help", "work", "team", "teams", "role", "need", "needs", "new", "use", "using", "within", "would",
        "should", "must", "may", "other", "own", "through", "including", "like", "just", "one", "two", "three",
    ]
}
