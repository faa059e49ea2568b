import Domain
import Foundation
import TextAnalysis

/// The parts of a posting and its company research that the letter writers read.
///
/// Independent of how jobs and research are stored, so the writers stay pure functions of text that
/// tests can feed directly. Every fact a letter states about the company comes from these fields.
public struct LetterJob: Sendable, Equatable {
    /// The posting's title, repeated verbatim in the letters.
    public var title: String
    public var company: String
    /// Skills the posting requires, in its own spelling.
    public var requiredSkills: [String]
    /// The posting's most prominent keywords.
    public var topKeywords: [String]
    /// Short summaries of the problems the posting wants solved ("slow customer dashboards").
    public var painPoints: [String]
    /// One or two sentences about the company from research; quoted, never paraphrased.
    public var companySummary: String?
    /// Research findings, one sentence each ("raised a $40M Series B in March 2025").
    public var companySignals: [String]

    public init(
        title: String,
        company: String,
        requiredSkills: [String] = [],
        topKeywords: [String] = [],
        painPoints: [String] = [],
        companySummary: String? = nil,
        companySignals: [String] = []
    ) {
        self.title = title
        self.company = company
        self.requiredSkills = requiredSkills
        self.topKeywords = topKeywords
        self.painPoints = painPoints
        self.companySummary = companySummary
        self.companySignals = companySignals
    }
}

/// The person an outreach message is addressed to.
public struct LetterContact: Sendable, Equatable {
    public var name: String
    public var role: String
    /// A placeholder for a role ("Engineering Manager") rather than a person research found; such a
    /// contact is never greeted by name, because the name would be invented.
    public var isSynthetic: Bool

    public init(name: String, role: String, isSynthetic: Bool) {
        self.name = name
        self.role = role
        self.isSynthetic = isSynthetic
    }
}

// MARK: - Evidence shared by the writers

/// Achievements of the master CV ranked for one job, with the wordings each may be told in.
///
/// Shared by the cover letter and outreach writers so both pick the same proof for the same job. Like
/// ``CVWriter`` it only selects: a variant is usable only when each of its numbers is in the core fact.
struct LetterEvidence {
    /// One achievement with everything a writer needs to phrase it.
    struct Item {
        var achievement: MasterCV.Achievement
        var role: MasterCV.Role
        var roleIndex: Int
        var score: Int
        /// The job's pain point this achievement answers best, when the overlap is clear.
        var painPoint: String?
        /// Usable long wordings (non-`short` variants and the core fact), best fit for the job first.
        var texts: [String]
        /// Every usable wording that carries a number (including `short` variants), shortest first.
        var metricTexts: [String]

        var hasMetric: Bool { !metricTexts.isEmpty }
    }

    let items: [Item]
    /// Skills of the candidate (master CV spelling) that the posting asks for, most prominent first.
    let matchedSkills: [String]
    /// Themes of the candidate's work (master CV spelling) that the posting names.
    let matchedKeywords: [String]

    init(master: MasterCV, job: LetterJob) {
        let jobTerms = job.requiredSkills + job.topKeywords
        let jobMatcher = KeywordMatcher(terms: jobTerms)
        let jobKeys = Set(jobTerms.map(KeywordMatcher.key(for:)).filter { !$0.isEmpty })
        let preferred = Self.preferredVariant(forTitle: job.title, hasMatches: !jobKeys.isEmpty)
        let painStems = job.painPoints.map { ($0, Self.stems($0)) }

        var items: [Item] = []
        for (roleIndex, role) in master.roles.enumerated() {
            for achievement in role.achievements {
                let usable = Self.usableVariants(of: achievement)
                let allText = ([achievement.coreFact] + usable.map(\.text)).joined(separator: "\n")
                let ownKeywords = Set(achievement.keywords.map(KeywordMatcher.key(for:))).intersection(jobKeys).count
                let mentioned = jobMatcher.matches(in: allText).count
                let textStems = Self.stems(allText)
                var bestPain: (text: String, overlap: Int)?
                for (pain, stems) in painStems {
                    let overlap = stems.intersection(textStems).count
                    if overlap > (bestPain?.overlap ?? 0) { bestPain = (pain, overlap) }
                }
                let long = usable.filter { $0.type != .short }
                let longTexts = Self.ranked(
                    long.map { ($0.text, $0.type) } + [(achievement.coreFact, nil)],
                    matcher: jobMatcher,
                    preferred: preferred
                )
                let metricTexts = (usable.map(\.text) + [achievement.coreFact])
                    .filter { !LetterValidation.numbers(in: $0).isEmpty }
                    .sorted { $0.count < $1.count }
                var score = 3 * ownKeywords + 2 * mentioned + 2 * min(bestPain?.overlap ?? 0, 3)
                if long.contains(where: { $0.type == preferred }) { score += 1 }
                if !metricTexts.isEmpty { score += 1 }
                if roleIndex == 0 { score += 1 }
                items.append(Item(
                    achievement: achievement,
                    role: role,
                    roleIndex: roleIndex,
                    score: score,
                    painPoint: (bestPain?.overlap ?? 0) >= 2 ? bestPain?.text : nil,
                    texts: longTexts,
                    metricTexts: metricTexts
                ))
            }
        }
        // Stable: ties keep the master CV's order (recent roles first, the candidate's own ranking).
        self.items = items.enumerated()
            .sorted { $0.element.score != $1.element.score ? $0.element.score > $1.element.score : $0.offset < $1.offset }
            .map(\.element)

        let skills = master.skills.flatMap(\.skills) + master.roles.flatMap(\.skills)
        let skillMatcher = KeywordMatcher(terms: skills)
        let companyKey = KeywordMatcher.key(for: job.company)
        self.matchedSkills = skillMatcher.matches(in: job.requiredSkills.joined(separator: "\n"))
            .map(\.term)
            .filter { KeywordMatcher.key(for: $0) != companyKey }
        let themes = master.roles.flatMap(\.keywords) + master.roles.flatMap { $0.achievements.flatMap(\.keywords) }
        let matchedSkillKeys = Set(matchedSkills.map(KeywordMatcher.key(for:)))
        self.matchedKeywords = KeywordMatcher(terms: themes).matches(in: job.topKeywords.joined(separator: "\n"))
            .map(\.term)
            .filter { !matchedSkillKeys.contains(KeywordMatcher.key(for: $0)) && KeywordMatcher.key(for: $0) != companyKey }
    }

    /// The most relevant items, always including one with a metric when the master CV has any.
    func top(_ count: Int) -> [Item] {
        var chosen = Array(items.prefix(count))
        if !chosen.isEmpty, !chosen.contains(where: \.hasMetric), let withMetric = items.first(where: \.hasMetric) {
            chosen[chosen.count - 1] = withMetric
        }
        return chosen
    }

    /// A manager reads leadership wording best, a staff or architect reader the architecture; with no
    /// overlap at all (a different field) the plain outcome travels furthest.
    private static func preferredVariant(forTitle title: String, hasMatches: Bool) -> MasterCV.VariantType {
        let words = Set(KeywordMatcher.words(in: title))
        if !words.isDisjoint(with: ["manager", "head", "director", "lead", "vp"]) { return .leadership }
        if !words.isDisjoint(with: ["staff", "principal", "architect"]) { return .architecture }
        return hasMatches ? .technical : .impact
    }

    private static func ranked(
        _ texts: [(text: String, type: MasterCV.VariantType?)],
        matcher: KeywordMatcher,
        preferred: MasterCV.VariantType
    ) -> [String] {
        texts.enumerated().map { entry in
            let text = entry.element.text
            let hits = matcher.matches(in: text).count
            let rank = (
                hits,
                entry.element.type == preferred ? 1 : 0,
                LetterValidation.numbers(in: text).isEmpty ? 0 : 1,
                LetterPhrasing.isVerbLed(text) ? 1 : 0
            )
            return (text: text, rank: rank, offset: entry.offset)
        }
        .sorted { lhs, rhs in
            if lhs.rank != rhs.rank { return lhs.rank > rhs.rank }
            return lhs.offset < rhs.offset
        }
        .map(\.text)
    }

    /// Variants whose every number is also in the core fact: the guard against invented metrics.
    private static func usableVariants(of achievement: MasterCV.Achievement) -> [MasterCV.Variant] {
        let facts = Set(LetterValidation.numbers(in: achievement.coreFact).map(\.key))
        return achievement.variants.filter { variant in
            !variant.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
                && Set(LetterValidation.numbers(in: variant.text).map(\.key)).isSubset(of: facts)
        }
    }

    private static let stopWords: Set<String> = [
        "with", "that", "this", "from", "into", "over", "than", "they", "their", "there", "have", "been",
        "were", "what", "when", "which", "while", "across", "about", "team", "teams", "work", "need",
        "needs", "more", "most", "some", "also", "each", "every", "only", "very", "make", "makes",
    ]

    /// Four-letter word prefixes, a crude stem that lets "queries" meet "query" and "slowest" meet "slow".
    private static func stems(_ text: String) -> Set<String> {
        Set(KeywordMatcher.words(in: text).filter { $0.count >= 4 && !stopWords.contains($0) && $0.allSatisfy(\.isLetter) }
            .map { String($0.prefix(4)) })
    }
}

// MARK: - Phrasing

/// Small rules for turning CV wording into letter sentences without changing what it says.
enum LetterPhrasing {
    private static let irregularPastTense: Set<String> = [
        "built", "led", "ran", "grew", "cut", "set", "wrote", "gave", "made", "took", "drove", "won",
        "brought", "taught", "kept", "held", "rebuilt", "rewrote", "oversaw", "began", "spun", "sold",
    ]

    /// Whether the text opens with a past-tense verb, so "I" can stand in front of it.
    static func isVerbLed(_ text: String) -> Bool {
        guard let first = text.split(whereSeparator: { $0.isWhitespace }).first else { return false }
        let word = first.lowercased().filter(\.isLetter)
        guard first.first?.isUppercase == true, first.dropFirst().allSatisfy({ !$0.isUppercase }) else { return false }
        return irregularPastTense.contains(word) || (word.count >= 5 && word.hasSuffix("ed"))
    }

    /// The text after "I": its first letter lowered and its closing full stop removed.
    static func predicate(_ text: String) -> String {
        let body = clause(text)
        guard let first = body.first else { return body }
        return first.lowercased() + body.dropFirst()
    }

    /// The text without surrounding space and its closing full stop, to embed in a sentence.
    static func clause(_ text: String) -> String {
        var body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        while let last = body.last, ".;".contains(last) { body.removeLast() }
        return body
    }

    /// A phrase as it reads mid-sentence: the first letter lowered unless the word is an acronym or name.
    static func inline(_ text: String) -> String {
        let body = clause(text)
        let characters = Array(body)
        guard characters.count > 1, characters[0].isUppercase, characters[1].isLowercase else { return body }
        let firstWord = body.split(separator: " ").first.map(String.init) ?? body
        // "Kafka lag" keeps its capital; only an ordinary sentence opening is lowered.
        guard firstWord.dropFirst().allSatisfy({ $0.isLowercase || !$0.isLetter }) else { return body }
        return characters[0].lowercased() + String(characters.dropFirst())
    }

    /// "a", "a and b", "a, b and c".
    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " and " + (items.last ?? "")
        }
    }

    /// The part of a headline after its dash or bar ("Staff Engineer — distributed systems"), if any.
    static func focus(ofHeadline headline: String) -> String? {
        for separator in [" — ", " – ", " | ", " - ", ": "] {
            if let range = headline.range(of: separator) {
                let rest = clause(String(headline[range.upperBound...]))
                return rest.isEmpty ? nil : rest
            }
        }
        return nil
    }

    /// The first word of a name, for a greeting.
    static func firstName(_ name: String) -> String {
        name.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? name
    }

    /// A sentence telling one achievement, introduced by the role it belongs to.
    static func evidenceSentence(_ text: String, role: MasterCV.Role, isCurrent: Bool, firstInRole: Bool) -> String {
        let verbLed = isVerbLed(text)
        if !firstInRole {
            return verbLed ? "I also \(predicate(text))." : "Another result there: \(clause(text))."
        }
        let place = isCurrent ? "In my current role as \(role.title) at \(role.company)" : "As \(role.title) at \(role.company)"
        return verbLed ? "\(place), I \(predicate(text))." : "\(place), one result was this: \(clause(text))."
    }
}
