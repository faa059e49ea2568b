import Domain
import Foundation

/// A cover letter for one job, with the achievements it cites.
public struct CoverLetter: Sendable, Equatable {
    public var greeting: String
    /// The body, one entry per paragraph; the limits apply to these.
    public var paragraphs: [String]
    public var signOff: String
    /// The master CV achievements the letter cites, in order.
    public var achievementIDs: [String]

    public init(greeting: String, paragraphs: [String], signOff: String, achievementIDs: [String] = []) {
        self.greeting = greeting
        self.paragraphs = paragraphs
        self.signOff = signOff
        self.achievementIDs = achievementIDs
    }

    /// The letter as sent: greeting, body paragraphs and sign-off separated by blank lines.
    public var text: String {
        ([greeting] + paragraphs + [signOff]).joined(separator: "\n\n")
    }
}

/// Writes a cover letter from the master CV and the job, deterministically and offline.
///
/// Like ``CVWriter`` it never invents: sentences about the candidate are achievements, titles and
/// employers from the master CV, and sentences about the company quote the job's research inputs; the
/// templates only add connective words. The letter is assembled in several sizes (more or fewer
/// achievements and company signals, longer or shorter wordings) and the first that meets the limits
/// is kept, so it fits by construction rather than by cutting text.
///
/// ```swift
/// let letter = CoverLetterWriter.write(master: master, job: job)
/// assert(letter.check(company: job.company).isValid)
/// ```
public enum CoverLetterWriter {
    /// Writes the letter.
    ///
    /// - Parameters:
    ///   - master: The candidate's master CV.
    ///   - job: The posting and its company research.
    /// - Returns: The letter and the achievements it cites.
    public static func write(master: MasterCV, job: LetterJob) -> CoverLetter {
        let evidence = LetterEvidence(master: master, job: job)
        let greeting = "Dear \(job.company) hiring team,"
        let signOff = "Kind regards,\n\(master.candidate.name)"

        var fallback: CoverLetter?
        for shape in shapes(available: evidence.items.count) {
            let letter = CoverLetter(
                greeting: greeting,
                paragraphs: paragraphs(master: master, job: job, evidence: evidence, shape: shape),
                signOff: signOff,
                achievementIDs: evidence.top(shape.achievements).map(\.achievement.id)
            )
            if letter.check(company: job.company).isValid { return letter }
            if fallback == nil { fallback = letter }
        }
        // No shape fits (a master CV with almost nothing in it): the first try, which the check flags.
        return fallback ?? CoverLetter(greeting: greeting, paragraphs: [], signOff: signOff)
    }

    /// One way to size the letter.
    private struct Shape {
        var achievements: Int
        var signals: Int
        /// Tell each achievement by its shortest usable wording rather than its best-fitting one.
        var compact: Bool
    }

    /// Sizes from the preferred (three achievements, all research) to the sparest and the fullest.
    private static func shapes(available: Int) -> [Shape] {
        var shapes: [Shape] = []
        for achievements in [3, 2, 4, 5] where achievements <= max(available, 1) {
            for compact in [false, true] {
                for signals in [2, 1, 0] {
                    shapes.append(Shape(achievements: achievements, signals: signals, compact: compact))
                }
            }
        }
        return shapes
    }

    private static func paragraphs(master: MasterCV, job: LetterJob, evidence: LetterEvidence, shape: Shape) -> [String] {
        var result = [opening(master: master, job: job, evidence: evidence)]
        let items = evidence.top(shape.achievements)
        let sentences = evidenceSentences(items, compact: shape.compact)
        // Two or three cited results read as one paragraph; more are split so neither runs long.
        let split = sentences.count > 3 ? (sentences.count + 1) / 2 : sentences.count
        result.append(sentences.prefix(split).joined(separator: " "))
        if split < sentences.count { result.append(sentences.dropFirst(split).joined(separator: " ")) }
        if let company = companyParagraph(job: job, signals: shape.signals) { result.append(company) }
        result.append(closing(master: master, job: job))
        return result.filter { !$0.isEmpty }
    }

    /// Names the role and company and places the candidate's current work beside it.
    private static func opening(master: MasterCV, job: LetterJob, evidence: LetterEvidence) -> String {
        var sentences = ["I am applying for the \(job.title) role at \(job.company)."]
        if let current = master.roles.first {
            let verb = current.end == nil ? "I currently work as" : "Most recently I worked as"
            if let focus = LetterPhrasing.focus(ofHeadline: master.candidate.headline) {
                sentences.append("\(verb) \(current.title) at \(current.company), with a focus on \(focus).")
            } else {
                sentences.append("\(verb) \(current.title) at \(current.company).")
            }
        }
        let skills = Array(evidence.matchedSkills.prefix(4))
        let themes = Array(evidence.matchedKeywords.prefix(3))
        if !skills.isEmpty {
            sentences.append("Your posting asks for \(LetterPhrasing.list(skills)), all of which I have used in my own work.")
        } else if !themes.isEmpty {
            sentences.append("Your emphasis on \(LetterPhrasing.list(themes)) matches the work I describe below.")
        } else {
            sentences.append("Below are the results from my career that bear most directly on this role.")
        }
        return sentences.joined(separator: " ")
    }

    /// One sentence per achievement, each introduced by its role, with the pain point it answers.
    private static func evidenceSentences(_ items: [LetterEvidence.Item], compact: Bool) -> [String] {
        var sentences: [String] = []
        var previousRole: Int?
        var citedPain = Set<String>()
        let needsMetric = !items.contains { item in
            !LetterValidation.numbers(in: text(for: item, compact: compact)).isEmpty
        }
        for (position, item) in items.enumerated() {
            var wording = text(for: item, compact: compact)
            // The letter must carry a real metric: the first item switches to a wording that has one.
            if needsMetric, position == 0, let metric = item.metricTexts.first(where: LetterPhrasing.isVerbLed) ?? item.metricTexts.first {
                wording = metric
            }
            var sentence = LetterPhrasing.evidenceSentence(
                wording,
                role: item.role,
                isCurrent: item.roleIndex == 0 && item.role.end == nil,
                firstInRole: previousRole != item.roleIndex
            )
            if let pain = item.painPoint, citedPain.insert(pain).inserted, LetterValidation.boilerplate(in: pain).isEmpty {
                sentence = "You mention \(LetterPhrasing.inline(pain)). " + sentence
            }
            sentences.append(sentence)
            previousRole = item.roleIndex
        }
        return sentences
    }

    private static func text(for item: LetterEvidence.Item, compact: Bool) -> String {
        guard compact else { return item.texts.first ?? item.achievement.coreFact }
        let verbLed = item.texts.filter(LetterPhrasing.isVerbLed)
        return (verbLed.isEmpty ? item.texts : verbLed).min { $0.count < $1.count } ?? item.achievement.coreFact
    }

    /// What the research says about the company, quoted as the company's own; nil when there is none.
    private static func companyParagraph(job: LetterJob, signals count: Int) -> String? {
        var sentences: [String] = []
        if let summary = job.companySummary.map(LetterPhrasing.clause), !summary.isEmpty, LetterValidation.boilerplate(in: summary).isEmpty {
            sentences.append("Your own description of \(job.company), “\(summary)”, is what made me look closely at this role.")
        }
        let signals = job.companySignals.map(LetterPhrasing.clause)
            .filter { !$0.isEmpty && LetterValidation.boilerplate(in: $0).isEmpty }
            .prefix(count)
        for (position, signal) in signals.enumerated() {
            let lead = position == 0 ? (sentences.isEmpty ? "I read that" : "I also noted that") : "I saw, too, that"
            // A signal is written about the company ("raised a $40M Series B"), so the company is its subject.
            let startsLower = signal.first?.isLowercase == true
            sentences.append(startsLower ? "\(lead) \(job.company) \(signal)." : "\(lead) \(LetterPhrasing.inline(signal)).")
        }
        guard !sentences.isEmpty else { return nil }
        sentences.append("I would like to help \(job.company) with what comes next.")
        return sentences.joined(separator: " ")
    }

    /// A concrete next step and how to take it.
    private static func closing(master: MasterCV, job: LetterJob) -> String {
        "I would welcome a conversation about the \(job.title) role, and I am glad to walk you through the design and results of any project above. "
            + "You can reach me at \(master.candidate.email)."
    }
}
