import Domain
import Foundation
import LanguageModels

/// A tailored CV after a language model reworded it, with the grounding check that decided what stayed.
public struct PolishedCV: Sendable, Equatable {
    /// The CV as Markdown: the deterministic CV with every accepted rewrite applied.
    public var markdown: String
    /// Every claim of ``markdown`` and its source; ``IntegrityReport/removed`` lists what was rejected.
    public var report: IntegrityReport
    /// The provider whose rewrite was used, or `"deterministic"` when the chain fell back (then
    /// ``markdown`` is the deterministic CV).
    public var producedBy: String
    /// Claims the model made up that nothing in the master CV supports; the lines holding them were
    /// put back to the deterministic text.
    public var rejected: [IntegrityReport.Claim]
    /// The chain's record of what it tried, for a job's notes.
    public var generationSummary: String

    public init(
        markdown: String,
        report: IntegrityReport,
        producedBy: String,
        rejected: [IntegrityReport.Claim],
        generationSummary: String = ""
    ) {
        self.markdown = markdown
        self.report = report
        self.producedBy = producedBy
        self.rejected = rejected
        self.generationSummary = generationSummary
    }
}

/// Asks a language model to reword a deterministic CV's tagline and experience bullets for one posting,
/// and keeps only the rewording that the master CV supports.
///
/// The deterministic CV is already truthful; a model makes it read better but may invent a metric or a
/// skill. So the model only ever *replaces* lines the writer printed, each replacement is checked on its
/// own by ``IntegrityChecker``, and a replacement with an ungrounded claim is dropped in favour of the
/// line it would have replaced — a weaker sentence beats a missing achievement. The whole document is
/// then checked again with ``IntegrityChecker/removingUngrounded(from:)`` so nothing ungrounded can
/// reach a CV marked ready, whoever wrote it.
///
/// Only lines the writer can be recognised to have printed are touched: the tagline that opens the
/// summary (``TailoredCV/tagline``), and Experience bullets whose text is one of the achievement's core
/// fact or variants. The Key achievements section keeps its own wordings, so a rewrite is never printed
/// twice.
///
/// ```swift
/// let cv = CVWriter.write(for: job, master: master)
/// let polished = await CVPolisher(chain: factory.chain(forStep: "cv")).polish(cv, master: master, job: job)
/// notes.append("cv: \(polished.producedBy) — \(polished.report.summary)")
/// ```
public struct CVPolisher: Sendable {
    /// Characters of the posting put into the prompt: enough for its requirements, bounded in cost.
    private static let postingExcerptLength = 4_000

    private let chain: LanguageModelChain

    /// - Parameter chain: The providers for the `cv` step.
    public init(chain: LanguageModelChain) {
        self.chain = chain
    }

    /// Rewords `cv` for `job`, keeping only grounded rewrites.
    ///
    /// Never fails: when no provider gives a usable answer, the deterministic CV comes back unchanged
    /// (unless it held an ungrounded claim itself, which is removed like any other).
    ///
    /// - Parameters:
    ///   - cv: What ``CVWriter/write(for:master:)`` produced for `job` from `master`.
    ///   - master: The master CV every claim must trace to.
    ///   - job: The posting; its title and company may appear in the CV by design.
    /// - Returns: The CV, its integrity report and what was rejected.
    public func polish(_ cv: TailoredCV, master: MasterCV, job: JobForCV) async -> PolishedCV {
        let checker = IntegrityChecker(master: master, jobTitle: job.title, company: job.company)
        var lines = cv.markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let tagline = Self.taglineLine(in: lines, tagline: cv.tagline)
        let bullets = Self.bulletLines(in: lines, cv: cv, master: master)

        guard tagline != nil || !bullets.isEmpty else {
            let checked = checker.removingUngrounded(from: cv.markdown)
            return PolishedCV(
                markdown: checked.text, report: checked.report, producedBy: Generated<Rewrite>.deterministic,
                rejected: [], generationSummary: "nothing to polish"
            )
        }

        let generated = await chain.generateJSON(
            Rewrite.self,
            request: Self.request(job: job, master: master, tagline: cv.tagline, bullets: bullets),
            schema: Self.schema(ids: bullets.map(\.achievement.id)),
            fallback: { Rewrite(tagline: "", bullets: []) }
        )
        guard !generated.usedFallback else {
            let checked = checker.removingUngrounded(from: cv.markdown)
            return PolishedCV(
                markdown: checked.text, report: checked.report, producedBy: generated.producedBy,
                rejected: [], generationSummary: generated.summary
            )
        }

        var rejected: [IntegrityReport.Claim] = []
        /// Puts `replacement` at `index` when every claim in it is grounded; otherwise keeps the line.
        func apply(_ replacement: String, at index: Int) {
            let ungrounded = checker.check(replacement).ungrounded
            guard ungrounded.isEmpty else {
                for claim in ungrounded where !rejected.contains(where: { $0.kind == claim.kind && $0.text == claim.text }) {
                    rejected.append(claim)
                }
                return
            }
            lines[index] = replacement
        }

        let rewrite = generated.value
        if let tagline, let text = Self.plainText(rewrite.tagline) {
            apply(MarkdownText.paragraph(text), at: tagline)
        }
        var rewritten = Set<String>()
        for bullet in rewrite.bullets where rewritten.insert(bullet.id).inserted {
            guard let target = bullets.first(where: { $0.achievement.id == bullet.id }), let text = Self.plainText(bullet.text) else {
                continue
            }
            apply(MarkdownText.bullet(text), at: target.index)
        }

        let checked = checker.removingUngrounded(from: lines.joined(separator: "\n"))
        var report = checked.report
        report.removed = rejected + report.removed
        return PolishedCV(
            markdown: checked.text, report: report, producedBy: generated.producedBy,
            rejected: rejected, generationSummary: generated.summary
        )
    }

    // MARK: Finding the writer's lines

    /// The index of the tagline's paragraph: the first line of the Summary section, when it is the
    /// tagline as the writer prints it. Looking only there means a sentence elsewhere that happens to
    /// read the same is never taken for it.
    static func taglineLine(in lines: [String], tagline: String) -> Int? {
        guard Self.plainText(tagline) != nil, let heading = lines.firstIndex(of: "## Summary") else { return nil }
        guard let index = lines[(heading + 1)...].firstIndex(where: { !$0.isEmpty }) else { return nil }
        return lines[index] == MarkdownText.paragraph(tagline) ? index : nil
    }

    /// An Experience bullet the writer printed for one selected achievement.
    struct BulletLine {
        var index: Int
        var achievement: MasterCV.Achievement
        /// The text as the master CV has it (unescaped).
        var printed: String
    }

    /// The Experience bullet of each selected achievement, found by comparing each bullet with the
    /// achievement's core fact and variants as the writer renders them. An achievement whose bullet
    /// cannot be found is left out: it is not offered to the model, so it cannot be rewritten.
    static func bulletLines(in lines: [String], cv: TailoredCV, master: MasterCV) -> [BulletLine] {
        guard let start = lines.firstIndex(of: "## Experience") else { return [] }
        let end = lines[(start + 1)...].firstIndex { $0.hasPrefix("## ") } ?? lines.endIndex
        let achievements = Dictionary(
            master.roles.flatMap(\.achievements).map { ($0.id, $0) },
            uniquingKeysWith: { first, _ in first }
        )
        var found: [BulletLine] = []
        var taken = Set<Int>()
        for id in cv.selectedAchievementIDs {
            guard let achievement = achievements[id], !found.contains(where: { $0.achievement.id == id }) else { continue }
            let texts = [achievement.coreFact] + achievement.variants.map(\.text)
            search: for index in (start + 1)..<end where !taken.contains(index) {
                for text in texts where lines[index] == MarkdownText.bullet(text) {
                    taken.insert(index)
                    found.append(BulletLine(index: index, achievement: achievement, printed: text))
                    break search
                }
            }
        }
        return found.sorted { $0.index < $1.index }
    }

    /// A model's text as one plain line: whitespace folded, a list marker it added dropped; `nil` when
    /// nothing is left, so an empty answer keeps the original line.
    static func plainText(_ text: String) -> String? {
        var folded = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for marker in ["- ", "* ", "• "] where folded.hasPrefix(marker) {
            folded = String(folded.dropFirst(marker.count))
        }
        return folded.isEmpty ? nil : folded
    }

    // MARK: Prompt

    /// What the model returns.
    struct Rewrite: Decodable, Sendable {
        struct Bullet: Decodable, Sendable {
            var id: String
            var text: String
        }

        var tagline: String
        var bullets: [Bullet]
    }

    static func schema(ids: [String]) -> JSONSchema {
        .object([
            "tagline": .string(minLength: 1, maxLength: 300, summary: "One sentence positioning the candidate for this job."),
            "bullets": .array(
                of: .object([
                    "id": .string(enum: ids, summary: "The achievement's id, as given."),
                    "text": .string(minLength: 1, maxLength: 600, summary: "The achievement retold in one sentence, plain text."),
                ]),
                maxItems: ids.count
            ),
        ])
    }

    static let instructions = """
        You reword a candidate's CV for one job posting. The CV must stay strictly truthful: every \
        statement must come from the facts given.

        Rules:
        - Never add a number, percentage, amount, duration, date, employer, job title, skill, tool or \
        technology that is not written in the facts you are given. Copy numbers exactly as written.
        - A bullet may use only its own achievement's core fact and variants, and the candidate's skills list.
        - The tagline is one third-person sentence of 15 to 25 words; it may use only the current \
        tagline, the candidate's headline and the candidate's skills list.
        - Prefer the posting's vocabulary where the facts support it; otherwise keep the facts' wording.
        - One sentence per bullet, plain text: no Markdown, no list markers.
        - Return one bullet per achievement id given, using the id exactly.

        Every claim is checked against the facts; a bullet with an invented claim is discarded.
        """

    static func request(job: JobForCV, master: MasterCV, tagline: String, bullets: [BulletLine]) -> CompletionRequest {
        let roles = Dictionary(
            master.roles.flatMap { role in role.achievements.map { ($0.id, role) } },
            uniquingKeysWith: { first, _ in first }
        )
        var facts: [String] = []
        for bullet in bullets {
            let achievement = bullet.achievement
            var block = ["id: \(achievement.id)"]
            if let role = roles[achievement.id] { block.append("role: \(role.title) at \(role.company)") }
            block.append("currently printed: \(bullet.printed)")
            block.append("core fact: \(achievement.coreFact)")
            block += achievement.variants.map { "variant (\($0.type.rawValue)): \($0.text)" }
            facts.append(block.joined(separator: "\n"))
        }
        let skills = master.skills.flatMap(\.skills).joined(separator: ", ")
        let posting = String(job.descriptionText.prefix(postingExcerptLength))
        let prompt = """
            Job: \(job.title) at \(job.company)

            Posting:
            \(posting)

            Current tagline (to rewrite): \(tagline)

            Candidate's headline: \(master.candidate.headline)

            Candidate's skills: \(skills)

            Achievements to rewrite:

            \(facts.joined(separator: "\n\n"))
            """
        return CompletionRequest(system: instructions, prompt: prompt, maxOutputTokens: 400 + 150 * bullets.count)
    }
}

// MARK: - Markdown

extension CVPolisher {
    /// Lines printed exactly as the writer prints its own text, so a rewrite looks like the line it
    /// replaces and a printed line can be recognised by rendering the master CV's text the same way.
    enum MarkdownText {
        /// A paragraph holding `text`, as the writer prints one.
        static func paragraph(_ text: String) -> String {
            CVWriter.Markdown.guardLineStart(CVWriter.Markdown.escape(text))
        }

        /// A list item holding `text`, as the writer prints one.
        static func bullet(_ text: String) -> String {
            "- " + CVWriter.Markdown.guardLineStart(CVWriter.Markdown.escape(text))
        }
    }
}
