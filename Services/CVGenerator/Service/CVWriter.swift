import Domain
import Foundation
import TextAnalysis

/// The parts of a posting the CV writer reads.
///
/// Kept apart from the stored job type so the writer stays a pure function of text that tests can
/// feed with real postings.
public struct JobForCV: Sendable {
    /// The posting's title, printed verbatim in the CV headline.
    public var title: String
    public var company: String
    /// The posting as plain text (HTML already stripped).
    public var descriptionText: String

    public init(title: String, company: String, descriptionText: String) {
        self.title = title
        self.company = company
        self.descriptionText = descriptionText
    }
}

/// A CV tailored to one posting, with what the tailoring chose.
public struct TailoredCV: Sendable, Equatable {
    public var markdown: String
    /// Master-CV terms (in the master CV's spelling) that occur in the posting, most prominent first.
    public var matchedKeywords: [String]
    /// The achievements shown under Experience, in the order they appear.
    public var selectedAchievementIDs: [String]

    public init(markdown: String, matchedKeywords: [String], selectedAchievementIDs: [String]) {
        self.markdown = markdown
        self.matchedKeywords = matchedKeywords
        self.selectedAchievementIDs = selectedAchievementIDs
    }
}

/// Tailors the master CV to a posting and writes it as Markdown, deterministically and offline.
///
/// This is the engine that works with no LLM configured, and the promise users care about most is
/// that it never invents anything: it only selects, orders and escapes text from the master CV.
/// Sentences of the summary are kept whole; a variant is used only if each of its numbers also
/// appears in its achievement's core fact, so a careless variant cannot smuggle in a metric.
///
/// How it chooses:
/// - the posting (title and text) is searched for every skill and keyword of the master CV with
///   ``KeywordMatcher`` (whole words, multi-word terms, `C++`/`Node.js`/`.NET`);
/// - an achievement scores 2 per keyword of its own that the posting names, plus 1 per matched term
///   its texts mention; per role the 3 best are kept, and a 4th when it scores above zero, ties
///   going to the master CV's order; a bullet too similar to one already chosen is skipped;
/// - each kept achievement is told by the variant that mentions the most matched terms, or by its
///   core fact when no variant mentions any; a `short` variant is kept for the key achievements;
/// - skills the posting names come first, in the competencies and in each skills line.
///
/// ```swift
/// let cv = CVWriter.write(for: JobForCV(title: "Staff Engineer", company: "Acme", descriptionText: text), master: master)
/// try cv.markdown.write(to: url, atomically: true, encoding: .utf8)
/// ```
public enum CVWriter {
    private static let minimumBulletsPerRole = 3
    private static let maximumBulletsPerRole = 4
    private static let keyAchievementCount = 5
    private static let competencyCount = 8
    private static let summaryWordBudget = 60
    /// Share of words two bullets have in common above which the later one is a repeat.
    private static let nearDuplicateSimilarity = 0.6

    /// Writes the master CV tailored to `job`.
    ///
    /// - Parameters:
    ///   - job: The posting.
    ///   - master: The candidate's master CV.
    /// - Returns: The Markdown and what the tailoring matched and selected.
    public static func write(for job: JobForCV, master: MasterCV) -> TailoredCV {
        let jobText = job.title + "\n" + job.descriptionText
        // A posting names its own company throughout ("At Docker, we..."); that is not a skill it asks for.
        let companyKey = KeywordMatcher.key(for: job.company)
        let found = KeywordMatcher(terms: vocabulary(of: master)).matches(in: jobText)
            .filter { companyKey.isEmpty || KeywordMatcher.key(for: $0.term) != companyKey }
        let matchedTerms = found.map(\.term)
        let jobTerms = KeywordMatcher(terms: matchedTerms)
        let matchedKeys = Set(matchedTerms.map(KeywordMatcher.key(for:)))

        let experience = selectAchievements(master: master, jobTerms: jobTerms, matchedKeys: matchedKeys)
        // Position of each matched term by prominence in the posting, to order skills.
        var rank: [String: Int] = [:]
        for (position, term) in matchedTerms.enumerated() where rank[KeywordMatcher.key(for: term)] == nil {
            rank[KeywordMatcher.key(for: term)] = position
        }

        var document = MarkdownDocument()
        writeHeader(job: job, candidate: master.candidate, into: &document)
        let summaryText = summary(of: master.candidate.summary, jobTerms: jobTerms)
        if !summaryText.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            document.section("Summary")
            document.paragraph(Markdown.escape(summaryText))
        }
        writeKeyAchievements(experience, into: &document)
        let competencyList = competencies(master: master, rank: rank)
        if !competencyList.isEmpty {
            document.section("Core competencies")
            document.paragraph(competencyList.map(Markdown.escape).joined(separator: " · "))
        }
        writeExperience(master.roles, experience, into: &document)
        writeSkills(master.skills, rank: rank, into: &document)
        writeBackground(master.candidate, into: &document)

        return TailoredCV(
            markdown: document.text,
            matchedKeywords: matchedTerms,
            selectedAchievementIDs: experience.flatMap { $0.map(\.achievement.id) }
        )
    }

    // MARK: Matching

    /// Every term the candidate claims: skills first so they keep the master CV's spelling.
    private static func vocabulary(of master: MasterCV) -> [String] {
        master.skills.flatMap(\.skills)
            + master.roles.flatMap(\.skills)
            + master.roles.flatMap(\.keywords)
            + master.roles.flatMap { $0.achievements.flatMap(\.keywords) }
    }

    /// An achievement chosen for the CV, with the text to print.
    private struct Selected {
        var achievement: MasterCV.Achievement
        var roleIndex: Int
        var index: Int
        var score: Int
        /// The best-fitting variant, or the core fact.
        var text: String
        /// The `short` variant for the header, when one is usable.
        var shortText: String?
    }

    /// Picks, per role, the most relevant achievements, skipping near-repeats of bullets already chosen.
    private static func selectAchievements(master: MasterCV, jobTerms: KeywordMatcher, matchedKeys: Set<String>) -> [[Selected]] {
        var chosenWords: [Set<String>] = []
        var result: [[Selected]] = []
        for (roleIndex, role) in master.roles.enumerated() {
            let candidates = role.achievements.enumerated()
                .map { score($0.element, roleIndex: roleIndex, index: $0.offset, jobTerms: jobTerms, matchedKeys: matchedKeys) }
                .sorted { $0.score != $1.score ? $0.score > $1.score : $0.index < $1.index }
            var picked: [Selected] = []
            for candidate in candidates {
                if picked.count == maximumBulletsPerRole { break }
                if picked.count >= minimumBulletsPerRole, candidate.score == 0 { break }
                let words = significantWords(candidate.text)
                if chosenWords.contains(where: { similarity($0, words) >= nearDuplicateSimilarity }) { continue }
                chosenWords.append(words)
                picked.append(candidate)
            }
            result.append(picked)
        }
        return result
    }

    private static func score(
        _ achievement: MasterCV.Achievement,
        roleIndex: Int,
        index: Int,
        jobTerms: KeywordMatcher,
        matchedKeys: Set<String>
    ) -> Selected {
        let variants = usableVariants(of: achievement)
        let ownKeywords = Set(achievement.keywords.map(KeywordMatcher.key(for:))).intersection(matchedKeys).count
        let allText = ([achievement.coreFact] + variants.map(\.text)).joined(separator: "\n")
        let mentioned = jobTerms.matches(in: allText).count

        var text = achievement.coreFact
        var bestHits = 0
        for variant in variants where variant.type != .short {
            let hits = jobTerms.matches(in: variant.text).count
            if hits > bestHits {
                bestHits = hits
                text = variant.text
            }
        }
        return Selected(
            achievement: achievement,
            roleIndex: roleIndex,
            index: index,
            score: 2 * ownKeywords + mentioned,
            text: text,
            shortText: variants.first { $0.type == .short }?.text
        )
    }

    /// Variants with text whose every number is also in the core fact: the guard against invented metrics.
    private static func usableVariants(of achievement: MasterCV.Achievement) -> [MasterCV.Variant] {
        let facts = Set(numbers(in: achievement.coreFact))
        return achievement.variants.filter { variant in
            !variant.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
                && Set(numbers(in: variant.text)).isSubset(of: facts)
        }
    }

    /// Numbers as a reader sees them: `4.2`, `31%`, `2` and `400` in `2,400`.
    private static func numbers(in text: String) -> [String] {
        let characters = Array(text)
        var result: [String] = []
        var index = 0
        while index < characters.count {
            guard characters[index].isASCIIDigit else {
                index += 1
                continue
            }
            var end = index
            while end < characters.count, characters[end].isASCIIDigit { end += 1 }
            if end + 1 < characters.count, characters[end] == ".", characters[end + 1].isASCIIDigit {
                end += 1
                while end < characters.count, characters[end].isASCIIDigit { end += 1 }
            }
            if end < characters.count, characters[end] == "%" { end += 1 }
            result.append(String(characters[index..<end]))
            index = end
        }
        return result
    }

    private static func significantWords(_ text: String) -> Set<String> {
        Set(KeywordMatcher.words(in: text).filter { $0.count > 2 })
    }

    private static func similarity(_ lhs: Set<String>, _ rhs: Set<String>) -> Double {
        let union = lhs.union(rhs).count
        return union == 0 ? 1 : Double(lhs.intersection(rhs).count) / Double(union)
    }

    // MARK: Summary and competencies

    /// The master summary's first sentence plus the sentences that name the most matched terms, within
    /// a word budget, in their original order; sentences are never cut or reworded.
    private static func summary(of text: String, jobTerms: KeywordMatcher) -> String {
        let sentences = splitSentences(text)
        let wordCounts = sentences.map { $0.split(whereSeparator: \.isWhitespace).count }
        guard wordCounts.reduce(0, +) > summaryWordBudget, sentences.count > 1 else { return text }

        var kept: Set<Int> = [0]
        var words = wordCounts[0]
        let ranked = sentences.indices.dropFirst()
            .map { (index: $0, hits: jobTerms.matches(in: sentences[$0]).count) }
            .sorted { $0.hits != $1.hits ? $0.hits > $1.hits : $0.index < $1.index }
        for candidate in ranked where words + wordCounts[candidate.index] <= summaryWordBudget {
            kept.insert(candidate.index)
            words += wordCounts[candidate.index]
        }
        return sentences.indices.filter(kept.contains).map { sentences[$0] }.joined(separator: " ")
    }

    /// Splits after `.`, `!` or `?` followed by a space and a capital letter, so "2.5" and "e.g. x" stay whole.
    private static func splitSentences(_ text: String) -> [String] {
        let characters = Array(text.split(whereSeparator: \.isWhitespace).joined(separator: " "))
        var sentences: [String] = []
        var start = 0
        for index in characters.indices where ".!?".contains(characters[index]) {
            guard index + 2 < characters.count, characters[index + 1] == " ", characters[index + 2].isUppercase else { continue }
            sentences.append(String(characters[start...index]))
            start = index + 2
        }
        if start < characters.count { sentences.append(String(characters[start...])) }
        return sentences
    }

    /// Up to eight skills: those the posting names, most prominent first, then the ones the candidate's
    /// roles and achievements use most.
    private static func competencies(master: MasterCV, rank: [String: Int]) -> [String] {
        var usage: [String: Int] = [:]
        for role in master.roles {
            for term in role.skills + role.keywords + role.achievements.flatMap(\.keywords) {
                usage[KeywordMatcher.key(for: term), default: 0] += 1
            }
        }
        var seen = Set<String>()
        let skills = master.skills.flatMap(\.skills).enumerated().compactMap {
            entry -> (skill: String, key: String, order: Int)? in
            let key = KeywordMatcher.key(for: entry.element)
            guard !key.isEmpty, seen.insert(key).inserted else { return nil }
            return (entry.element, key, entry.offset)
        }
        let ordered = skills.sorted { lhs, rhs in
            switch (rank[lhs.key], rank[rhs.key]) {
            case (let left?, let right?): return left < right
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil):
                let left = usage[lhs.key, default: 0]
                let right = usage[rhs.key, default: 0]
                return left != right ? left > right : lhs.order < rhs.order
            }
        }
        return ordered.prefix(competencyCount).map(\.skill)
    }

    // MARK: Sections

    private static func writeHeader(job: JobForCV, candidate: MasterCV.Candidate, into document: inout MarkdownDocument) {
        document.heading(1, Markdown.escape(candidate.name))
        let title = job.title.trimmingCharacters(in: .whitespacesAndNewlines)
        let headline = Markdown.escape(candidate.headline)
        document.paragraph(title.isEmpty ? headline : "**\(Markdown.escape(title))** · \(headline)")
        var contacts = [candidate.email, candidate.phone ?? "", candidate.location]
            .filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
            .map(Markdown.escape)
        contacts += candidate.links.map { Markdown.link($0.label, to: $0.url) }
        document.paragraph(contacts.joined(separator: " · "))
    }

    private static func writeKeyAchievements(_ experience: [[Selected]], into document: inout MarkdownDocument) {
        let top = experience.flatMap { $0.enumerated().map { (position: $0.offset, selected: $0.element) } }
            .sorted { lhs, rhs in
                if lhs.selected.score != rhs.selected.score { return lhs.selected.score > rhs.selected.score }
                if lhs.selected.roleIndex != rhs.selected.roleIndex { return lhs.selected.roleIndex < rhs.selected.roleIndex }
                return lhs.position < rhs.position
            }
            .prefix(keyAchievementCount)
        guard !top.isEmpty else { return }
        document.section("Key achievements")
        document.bullets(top.map { $0.selected.shortText ?? $0.selected.text })
    }

    private static func writeExperience(
        _ roles: [MasterCV.Role], _ experience: [[Selected]], into document: inout MarkdownDocument
    ) {
        guard !roles.isEmpty else { return }
        document.section("Experience")
        for (role, selected) in zip(roles, experience) {
            document.heading(3, "\(Markdown.escape(role.title)) — \(Markdown.escape(role.company))")
            var when = "\(Markdown.month(role.start)) – \(role.end.map(Markdown.month) ?? "Present")"
            if let location = role.location, !location.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                when += " · " + Markdown.escape(location)
            }
            document.paragraph("*\(when)*")
            if !selected.isEmpty { document.bullets(selected.map(\.text)) }
        }
    }

    /// One line per group, groups naming more of the posting's terms first, matched skills first.
    private static func writeSkills(_ groups: [MasterCV.SkillGroup], rank: [String: Int], into document: inout MarkdownDocument) {
        let ordered = groups.enumerated()
            .filter { !$0.element.skills.isEmpty }
            .map { entry -> (group: MasterCV.SkillGroup, skills: [String], matched: Int, order: Int) in
                let skills = entry.element.skills.enumerated()
                    .sorted { lhs, rhs in
                        let left = rank[KeywordMatcher.key(for: lhs.element)] ?? Int.max
                        let right = rank[KeywordMatcher.key(for: rhs.element)] ?? Int.max
                        return left != right ? left < right : lhs.offset < rhs.offset
                    }
                    .map(\.element)
                let matched = entry.element.skills.filter { rank[KeywordMatcher.key(for: $0)] != nil }.count
                return (entry.element, skills, matched, entry.offset)
            }
            .sorted { $0.matched != $1.matched ? $0.matched > $1.matched : $0.order < $1.order }
        guard !ordered.isEmpty else { return }
        document.section("Skills")
        for entry in ordered {
            let skills = entry.skills.map(Markdown.escape).joined(separator: ", ")
            document.line("- **\(Markdown.escape(entry.group.category)):** \(skills)")
        }
        document.blank()
    }

    private static func writeBackground(_ candidate: MasterCV.Candidate, into document: inout MarkdownDocument) {
        if !candidate.education.isEmpty {
            document.section("Education")
            document.bullets(
                candidate.education.map { education in
                    var text = education.degree
                    if let field = education.field, !field.isEmpty { text += ", " + field }
                    text += " — " + education.institution
                    switch (education.startYear, education.endYear) {
                    case (let start?, let end?): text += " (\(start)–\(end))"
                    case (let start?, nil): text += " (\(start)–)"
                    case (nil, let end?): text += " (\(end))"
                    case (nil, nil): break
                    }
                    return text
                }
            )
        }
        if !candidate.certifications.isEmpty {
            document.section("Certifications")
            document.bullets(candidate.certifications)
        }
        if !candidate.languages.isEmpty {
            document.section("Languages")
            document.paragraph(candidate.languages.map(Markdown.escape).joined(separator: " · "))
        }
    }
}

// MARK: - Markdown

extension CVWriter {
    /// Text assembled block by block, with a blank line between blocks.
    ///
    /// Every block's text arrives inline-escaped; the document adds the escapes that depend on where the
    /// text lands (the start of a line, the end of a heading).
    fileprivate struct MarkdownDocument {
        private(set) var text = ""

        mutating func line(_ line: String) {
            text += line + "\n"
        }

        mutating func blank() {
            text += "\n"
        }

        mutating func heading(_ level: Int, _ title: String) {
            line(String(repeating: "#", count: level) + " " + Markdown.guardHeadingEnd(title))
            blank()
        }

        mutating func section(_ title: String) {
            heading(2, title)
        }

        mutating func paragraph(_ text: String) {
            line(Markdown.guardLineStart(text))
            blank()
        }

        /// A list of master-CV texts, escaped here.
        mutating func bullets(_ items: [String]) {
            for item in items { line("- " + Markdown.guardLineStart(Markdown.escape(item))) }
            blank()
        }
    }

    /// Escaping and formatting of master-CV text, which is user-written and may contain Markdown syntax.
    fileprivate enum Markdown {
        /// Makes `text` render literally inside a line: inline syntax is backslash-escaped and line breaks
        /// are folded into spaces, so a value cannot open a block of its own.
        static func escape(_ text: String) -> String {
            let folded = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            var result = ""
            for character in folded {
                if "\\`*_[]<>~|".contains(character) { result.append("\\") }
                result.append(character)
            }
            return result
        }

        /// At the start of a line, `#`, `>`, `+`, `-`, `=` or `1.` would turn a bullet or paragraph into a
        /// heading, quote or list; elsewhere they are plain text and stay unescaped.
        static func guardLineStart(_ text: String) -> String {
            var result = text
            if let first = result.first, "#>+-=".contains(first) {
                result.insert("\\", at: result.startIndex)
            } else if let marker = result.firstIndex(where: { !$0.isASCIIDigit }), marker != result.startIndex,
                result.distance(from: result.startIndex, to: marker) <= 9, ".)".contains(result[marker])
            {
                result.insert("\\", at: marker)
            }
            return result
        }

        /// A heading ending in a space and a run of `#` would lose the run as a closing sequence.
        static func guardHeadingEnd(_ text: String) -> String {
            var result = guardLineStart(text)
            if result.hasSuffix("#"), let before = result.lastIndex(where: { $0 != "#" }), result[before] == " " {
                result.insert("\\", at: result.index(after: before))
            }
            return result
        }

        /// A link, or plain text when the address is not http(s) or mailto (a master CV must not be able
        /// to put a `javascript:` link into a rendered CV).
        static func link(_ label: String, to address: String) -> String {
            let trimmed = address.trimmingCharacters(in: .whitespacesAndNewlines)
            let lower = trimmed.lowercased()
            guard ["https://", "http://", "mailto:"].contains(where: lower.hasPrefix) else {
                return escape(trimmed.isEmpty ? label : "\(label): \(trimmed)")
            }
            var target = ""
            for character in trimmed {
                switch character {
                case " ": target += "%20"
                case "(": target += "%28"
                case ")": target += "%29"
                case "<": target += "%3C"
                case ">": target += "%3E"
                default: target.append(character)
                }
            }
            return "[\(escape(label))](\(target))"
        }

        /// `2021-04` as `Apr 2021`; anything else is printed as written.
        static func month(_ yearMonth: String) -> String {
            let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            let parts = yearMonth.split(separator: "-")
            guard parts.count == 2, parts[0].count == 4, let month = Int(parts[1]), (1...12).contains(month) else {
                return escape(yearMonth)
            }
            return "\(names[month - 1]) \(parts[0])"
        }
    }

}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
