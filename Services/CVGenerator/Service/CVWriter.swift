import Domain
import Foundation
import JobAnalysis
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
    /// The analysis of the posting, when one was made: its required and preferred skills, top keywords,
    /// pain points and role category sharpen the choice of achievements and of their wording.
    public var analysis: JobDescriptionAnalysis?
    /// Terms or passages the user marked as important in the posting (the quotes of their
    /// annotations); the master CV's terms they name weigh like required skills.
    public var emphasis: [String]

    public init(
        title: String,
        company: String,
        descriptionText: String,
        analysis: JobDescriptionAnalysis? = nil,
        emphasis: [String] = []
    ) {
        self.title = title
        self.company = company
        self.descriptionText = descriptionText
        self.analysis = analysis
        self.emphasis = emphasis
    }
}

/// A CV tailored to one posting, with what the tailoring chose.
public struct TailoredCV: Sendable, Equatable {
    public var markdown: String
    /// Master-CV terms (in the master CV's spelling) that occur in the posting, most prominent first.
    public var matchedKeywords: [String]
    /// The achievements shown under Experience, in the order they appear.
    public var selectedAchievementIDs: [String]
    /// The achievements shown under Key achievements, in the order they appear.
    public var keyAchievementIDs: [String]
    /// The third-person sentence that opens the summary.
    public var tagline: String

    public init(
        markdown: String,
        matchedKeywords: [String],
        selectedAchievementIDs: [String],
        keyAchievementIDs: [String] = [],
        tagline: String = ""
    ) {
        self.markdown = markdown
        self.matchedKeywords = matchedKeywords
        self.selectedAchievementIDs = selectedAchievementIDs
        self.keyAchievementIDs = keyAchievementIDs
        self.tagline = tagline
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
///   ``KeywordMatcher`` (whole words, multi-word terms, `C++`/`Node.js`/`.NET`) and through the
///   shared ``SkillTaxonomy``, so the CV's "Postgres" answers the posting's "PostgreSQL" (see
///   `JobTerms`); the master CV's spelling is what is printed;
/// - each matched term has a weight: 1 with no analysis; with a ``JobDescriptionAnalysis`` (or terms
///   the user emphasised) 3 for a required skill or an emphasised term, 1.5 for a preferred one, 1 for
///   a top keyword and 0.5 for a term the text only mentions;
/// - an achievement scores twice the weight of its own keywords that the posting names, plus the
///   weight of the matched terms its texts mention, plus up to 4 for words shared with one of the
///   analysis' pain points and 2 when it is told by the variant type the role category prefers; per
///   role the 3 best are kept, and a 4th when it scores above zero, ties going to the master CV's
///   order; a bullet too similar to one already chosen (in any role) is skipped;
/// - each kept achievement is told by the variant that mentions the most matched terms, or by its
///   core fact when no variant mentions any; the variant type the role category prefers (leadership
///   for managers, architecture for staff engineers and tech leads, technical for engineers, impact
///   for other roles) wins when it mentions at least as many matched terms as the other variants, and
///   the bullets told that way lead their role;
/// - the summary opens with a 15–25 word third-person tagline built from the master CV (see
///   `Tagline`), then the summary's own sentences that suit the posting;
/// - 5 key achievements (a 6th when it scores above zero and adds a role the five do not show), told
///   by their `short` variant or by a wording the Experience section does not already use;
/// - 6–8 core competencies, skills the posting names first; skills lines put the posting's skills
///   first, and skill groups with none of them are left out when at least three groups have some.
///
/// ```swift
/// let cv = CVWriter.write(for: JobForCV(title: "Staff Engineer", company: "Acme", descriptionText: text), master: master)
/// try cv.markdown.write(to: url, atomically: true, encoding: .utf8)
/// ```
public enum CVWriter {
    private static let minimumBulletsPerRole = 3
    private static let maximumBulletsPerRole = 4
    private static let keyAchievementCount = 5
    private static let maximumKeyAchievementCount = 6
    private static let minimumCompetencyCount = 6
    private static let competencyCount = 8
    private static let summaryWordBudget = 45
    /// Most a pain point's similarity adds to an achievement's score.
    private static let painPointWeight = 4.0
    /// What having a variant of the preferred type adds to an achievement's score.
    private static let preferredVariantBonus = 2.0
    /// Skill groups with a match needed before groups without one are left out of the skills section.
    private static let matchedGroupsToTrim = 3
    /// Share of words two bullets have in common above which the later one is a repeat.
    private static let nearDuplicateSimilarity = 0.6

    /// Writes the master CV tailored to `job`.
    ///
    /// - Parameters:
    ///   - job: The posting, with its analysis and the user's emphasis when there are any.
    ///   - master: The candidate's master CV.
    ///   - date: The day the CV is written, for the years of experience of a current role.
    /// - Returns: The Markdown and what the tailoring matched and selected.
    public static func write(for job: JobForCV, master: MasterCV, asOf date: Date = Date()) -> TailoredCV {
        let terms = JobTerms(job: job, master: master)
        let preferred = job.analysis.flatMap { VariantPreference.preferredType(for: $0.roleCategory) }
        let scoring = Scoring(terms: terms, painPoints: PainPointSimilarity(job.analysis?.painPoints ?? []), preferred: preferred)

        let experience = selectAchievements(master: master, scoring: scoring)
        // Position of each matched term: the heaviest first, then by prominence in the posting, to order skills.
        var rank: [String: Int] = [:]
        let ranked = terms.matched.enumerated().sorted { lhs, rhs in
            let left = terms.weight(ofIdentity: terms.identity(of: lhs.element))
            let right = terms.weight(ofIdentity: terms.identity(of: rhs.element))
            return left != right ? left > right : lhs.offset < rhs.offset
        }
        for (position, term) in ranked.map(\.element).enumerated() where rank[KeywordMatcher.key(for: term)] == nil {
            rank[KeywordMatcher.key(for: term)] = position
        }
        // A skill the posting names under another spelling ("Postgres" for "PostgreSQL") ranks with it.
        for skill in master.skills.flatMap(\.skills) where rank[KeywordMatcher.key(for: skill)] == nil {
            let identity = terms.identity(of: skill)
            guard terms.matchedIdentities.contains(identity),
                let position = ranked.first(where: { terms.identity(of: $0.element) == identity }).map({ rank[KeywordMatcher.key(for: $0.element)] })
            else { continue }
            rank[KeywordMatcher.key(for: skill)] = position
        }

        let competencyList = competencies(master: master, rank: rank)
        let tagline = Tagline.make(master: master, skills: competencyList.filter { rank[KeywordMatcher.key(for: $0)] != nil }
            .ifEmpty(competencyList), asOf: date)

        var document = MarkdownDocument()
        writeHeader(job: job, candidate: master.candidate, into: &document)
        document.section("Summary")
        document.paragraph(Markdown.escape(tagline))
        // The tagline states the years of experience; a summary sentence giving its own count would contradict it.
        let statesYears = Tagline.yearsOfExperience(master.roles, asOf: date) != nil
        let summaryText = summary(of: master.candidate.summary, jobTerms: terms, droppingYears: statesYears)
        if !summaryText.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            document.paragraph(Markdown.escape(summaryText))
        }
        let keyAchievements = keyAchievements(experience)
        if !keyAchievements.isEmpty {
            document.section("Key achievements")
            document.bullets(keyAchievements.map(\.text))
        }
        if !competencyList.isEmpty {
            document.section("Core competencies")
            document.paragraph(competencyList.map(Markdown.escape).joined(separator: " · "))
        }
        writeExperience(master.roles, experience, into: &document)
        writeSkills(master.skills, rank: rank, into: &document)
        writeBackground(master.candidate, into: &document)

        return TailoredCV(
            markdown: document.text,
            matchedKeywords: terms.matched,
            selectedAchievementIDs: experience.flatMap { $0.map(\.achievement.id) },
            keyAchievementIDs: keyAchievements.map(\.id),
            tagline: tagline
        )
    }

    // MARK: Matching

    /// What an achievement is scored against.
    private struct Scoring {
        var terms: JobTerms
        var painPoints: PainPointSimilarity
        /// The variant type the role category prefers, when an analysis says what the role is.
        var preferred: MasterCV.VariantType?
    }

    /// An achievement chosen for the CV, with the text to print.
    private struct Selected {
        var achievement: MasterCV.Achievement
        var roleIndex: Int
        var index: Int
        var score: Double
        /// The best-fitting variant, or the core fact.
        var text: String
        /// The `short` variant for the header, when one is usable.
        var shortText: String?
        /// The other usable wordings (non-short variants and the core fact), best first, for the header
        /// when there is no `short` variant.
        var alternatives: [String]
        /// Whether `text` is the variant type the role category prefers.
        var toldAsPreferred: Bool
    }

    /// Picks, per role, the most relevant achievements, skipping near-repeats of bullets already chosen.
    private static func selectAchievements(master: MasterCV, scoring: Scoring) -> [[Selected]] {
        var chosenWords: [Set<String>] = []
        var result: [[Selected]] = []
        for (roleIndex, role) in master.roles.enumerated() {
            let candidates = role.achievements.enumerated()
                .map { score($0.element, roleIndex: roleIndex, index: $0.offset, scoring: scoring) }
                .sorted { $0.score != $1.score ? $0.score > $1.score : $0.index < $1.index }
            var picked: [Selected] = []
            for candidate in candidates {
                if picked.count == maximumBulletsPerRole { break }
                if picked.count >= minimumBulletsPerRole, candidate.score <= 0 { break }
                let words = significantWords(candidate.text)
                if chosenWords.contains(where: { similarity($0, words) >= nearDuplicateSimilarity }) { continue }
                chosenWords.append(words)
                picked.append(candidate)
            }
            // A role leads with what is told the way the job's readers prefer (leadership for a manager),
            // keeping the score order otherwise.
            let leading = picked.filter(\.toldAsPreferred)
            result.append(leading + picked.filter { !$0.toldAsPreferred })
        }
        return result
    }

    private static func score(_ achievement: MasterCV.Achievement, roleIndex: Int, index: Int, scoring: Scoring) -> Selected {
        let terms = scoring.terms
        let variants = usableVariants(of: achievement)
        let own = Set(achievement.keywords.map(terms.identity(of:))).intersection(terms.matchedIdentities)
        let ownWeight = own.reduce(0) { $0 + terms.weight(ofIdentity: $1) }
        let allText = ([achievement.coreFact] + variants.map(\.text)).joined(separator: "\n")
        var score = 2 * ownWeight + terms.weightedMentions(in: allText)
        if !scoring.painPoints.isEmpty {
            score += painPointWeight * scoring.painPoints.similarity(to: allText)
        }

        let told = variants.filter { $0.type != .short }
        let hits = told.map { terms.mentioned(in: $0.text).count }
        var chosen: Int?
        var bestHits = 0
        for (position, count) in hits.enumerated() where count > bestHits {
            bestHits = count
            chosen = position
        }
        var toldAsPreferred = false
        if let preferred = scoring.preferred, let position = told.firstIndex(where: { $0.type == preferred }),
            hits[position] >= bestHits
        {
            chosen = position
            toldAsPreferred = true
            score += preferredVariantBonus
        }
        let text = chosen.map { told[$0].text } ?? achievement.coreFact

        // Other wordings for the header, the preferred type first, then impact, then by matched terms.
        let others = told.indices.filter { told[$0].text != text }.sorted { lhs, rhs in
            func rankOf(_ index: Int) -> Int {
                told[index].type == scoring.preferred ? 0 : told[index].type == .impact ? 1 : 2
            }
            if rankOf(lhs) != rankOf(rhs) { return rankOf(lhs) < rankOf(rhs) }
            return hits[lhs] != hits[rhs] ? hits[lhs] > hits[rhs] : lhs < rhs
        }
        var alternatives = others.map { told[$0].text }
        if achievement.coreFact != text { alternatives.append(achievement.coreFact) }
        return Selected(
            achievement: achievement,
            roleIndex: roleIndex,
            index: index,
            score: score,
            text: text,
            shortText: variants.first { $0.type == .short }?.text,
            alternatives: alternatives,
            toldAsPreferred: toldAsPreferred
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
    /// a word budget, in their original order; sentences are never cut or reworded. With
    /// `droppingYears`, a sentence stating a number of years ("12 years of experience") is left out.
    private static func summary(of text: String, jobTerms: JobTerms, droppingYears: Bool) -> String {
        var sentences = splitSentences(text)
        if droppingYears { sentences.removeAll(where: statesYears) }
        guard !sentences.isEmpty else { return "" }
        let wordCounts = sentences.map { $0.split(whereSeparator: \.isWhitespace).count }
        guard wordCounts.reduce(0, +) > summaryWordBudget, sentences.count > 1 else { return sentences.joined(separator: " ") }

        var kept: Set<Int> = [0]
        var words = wordCounts[0]
        let ranked = sentences.indices.dropFirst()
            .map { (index: $0, hits: jobTerms.weightedMentions(in: sentences[$0])) }
            .sorted { $0.hits != $1.hits ? $0.hits > $1.hits : $0.index < $1.index }
        for candidate in ranked where words + wordCounts[candidate.index] <= summaryWordBudget {
            kept.insert(candidate.index)
            words += wordCounts[candidate.index]
        }
        return sentences.indices.filter(kept.contains).map { sentences[$0] }.joined(separator: " ")
    }

    /// "12 years", "12+ years", "twelve years": a number, then "year" or "years".
    private static func statesYears(_ sentence: String) -> Bool {
        let words = KeywordMatcher.words(in: sentence)
        let spelled: Set<String> = [
            "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "fifteen", "twenty",
        ]
        return zip(words, words.dropFirst()).contains { number, unit in
            ["year", "years", "yrs"].contains(unit)
                && (number.first?.isASCIIDigit == true || spelled.contains(number))
        }
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

    /// Six to eight skills (fewer only when the master CV has fewer): those the posting names, heaviest
    /// and most prominent first, then the ones the candidate's roles and achievements use most; the
    /// list stops at six when fewer of the posting's skills would follow.
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
        let matched = ordered.filter { rank[$0.key] != nil }.count
        let count = min(competencyCount, max(minimumCompetencyCount, matched))
        return ordered.prefix(count).map(\.skill)
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

    /// The best-scoring selected achievements: five, and a sixth when it scores above zero and comes
    /// from a role the five do not show. Each is told by its `short` variant, or by a wording the
    /// Experience section does not use; one with no such wording is passed over so no bullet repeats.
    private static func keyAchievements(_ experience: [[Selected]]) -> [(id: String, text: String)] {
        let ordered = experience.flatMap { $0.enumerated().map { (position: $0.offset, selected: $0.element) } }
            .sorted { lhs, rhs in
                if lhs.selected.score != rhs.selected.score { return lhs.selected.score > rhs.selected.score }
                if lhs.selected.roleIndex != rhs.selected.roleIndex { return lhs.selected.roleIndex < rhs.selected.roleIndex }
                return lhs.position < rhs.position
            }
            .map(\.selected)
        let experienceTexts = Set(experience.flatMap { $0.map(\.text) })
        var result: [(id: String, text: String, selected: Selected)] = []
        for selected in ordered {
            guard result.count < maximumKeyAchievementCount else { break }
            let wordings = [selected.shortText].compactMap { $0 } + selected.alternatives
            guard let text = wordings.first(where: { !experienceTexts.contains($0) && !result.map(\.text).contains($0) }) else {
                continue
            }
            if result.count == keyAchievementCount {
                let shownRoles = Set(result.map(\.selected.roleIndex))
                guard selected.score > 0, !shownRoles.contains(selected.roleIndex) else { continue }
            }
            result.append((selected.achievement.id, text, selected))
        }
        return result.map { ($0.id, $0.text) }
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

    /// One line per group, groups naming more of the posting's terms first, matched skills first; when at
    /// least three groups name some of the posting's terms, groups naming none are left out.
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
        let relevant = ordered.filter { $0.matched > 0 }
        let shown = relevant.count >= matchedGroupsToTrim ? relevant : ordered
        guard !shown.isEmpty else { return }
        document.section("Skills")
        for entry in shown {
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
    /// Internal rather than private: the LLM polish prints its rewrites the same way, so a printed
    /// line can be recognised by rendering the master CV's text again.
    enum Markdown {
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

extension Array {
    /// The array, or `fallback` when it is empty.
    fileprivate func ifEmpty(_ fallback: [Element]) -> [Element] {
        isEmpty ? fallback : self
    }
}
