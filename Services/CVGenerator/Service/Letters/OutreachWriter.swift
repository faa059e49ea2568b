import Domain
import Foundation

/// The messages for one contact at the company: a LinkedIn connection note, an InMail and an email.
public struct Outreach: Sendable, Equatable {
    public var linkedInNote: String
    public var inMailSubject: String
    public var inMailBody: String
    public var emailSubject: String
    public var emailBody: String
    /// The master CV achievement the messages cite.
    public var achievementID: String?

    public init(linkedInNote: String, inMailSubject: String, inMailBody: String, emailSubject: String, emailBody: String, achievementID: String? = nil) {
        self.linkedInNote = linkedInNote
        self.inMailSubject = inMailSubject
        self.inMailBody = inMailBody
        self.emailSubject = emailSubject
        self.emailBody = emailBody
        self.achievementID = achievementID
    }
}

/// Writes outreach messages that meet each platform's limit by construction.
///
/// Each message is assembled from whole sentences (the job, the candidate's current role, one
/// metric-bearing achievement from the master CV, optionally a second one and the research) and the
/// writer picks the fullest combination that fits, trying shorter wordings of the achievement before
/// dropping sentences; a subject that cannot fit whole is cut at a word boundary, never mid-word.
///
/// ```swift
/// let outreach = OutreachWriter.write(master: master, job: job, contact: contact)
/// assert(outreach.check().isValid)
/// ```
public enum OutreachWriter {
    /// Writes the messages.
    ///
    /// - Parameters:
    ///   - master: The candidate's master CV.
    ///   - job: The posting and its company research.
    ///   - contact: Who the messages are for; a synthetic contact is greeted without a name.
    /// - Returns: The messages and the achievement they cite.
    public static func write(master: MasterCV, job: LetterJob, contact: LetterContact) -> Outreach {
        let evidence = LetterEvidence(master: master, job: job)
        let lead = evidence.items.first(where: \.hasMetric) ?? evidence.items.first
        let second = evidence.items.first { $0.achievement.id != lead?.achievement.id && $0.hasMetric }
        let greetingName = contact.isSynthetic || contact.name.trimmingCharacters(in: .whitespaces).isEmpty
            ? nil : LetterPhrasing.firstName(contact.name)
        let current = master.roles.first
        let candidate = master.candidate

        let leadOptions = lead.map { proofs(for: $0) } ?? [""]
        // The second achievement in its own wording (not yet a sentence), so each message can phrase it.
        let secondOption = second.flatMap { $0.metricTexts.first(where: LetterPhrasing.isVerbLed) ?? $0.metricTexts.first } ?? ""
        let currentSentence = current.map {
            $0.end == nil ? "I currently work as \($0.title) at \($0.company)." : "Most recently I worked as \($0.title) at \($0.company)."
        } ?? ""
        let skills = Array(evidence.matchedSkills.prefix(3))
        let skillSentence = skills.isEmpty ? "" : "I have worked hands-on with \(LetterPhrasing.list(skills))."
        let signal = job.companySignals.map(LetterPhrasing.clause).first { !$0.isEmpty && LetterValidation.boilerplate(in: $0).isEmpty }
        let signalSentence = signal.map { $0.first?.isLowercase == true ? "I read that \(job.company) \($0)." : "I read that \(LetterPhrasing.inline($0))." } ?? ""

        let alsoSentence: String
        if secondOption.isEmpty {
            alsoSentence = ""
        } else {
            // Named, so a second result is never read as coming from the first one's employer.
            let place = second.map { "At \($0.role.company)" } ?? "There"
            alsoSentence = LetterPhrasing.isVerbLed(secondOption)
                ? "\(place), I also \(LetterPhrasing.predicate(secondOption))."
                : "\(place), another result: \(LetterPhrasing.clause(secondOption))."
        }

        // LinkedIn: a greeting, the role, one proof and a short ask.
        let hello = greetingName.map { "Hi \($0)," } ?? "Hello,"
        let note = fit(
            required: { proof in [hello, "I am applying for the \(job.title) role at \(job.company).", proof] },
            optional: ["I would be glad to connect."],
            proofs: leadOptions,
            separator: " ",
            measure: \.count,
            range: 1...LetterValidation.linkedInNoteMaximum
        ) ?? trimmed("\(hello) I am applying for the \(job.title) role at \(job.company).", to: LetterValidation.linkedInNoteMaximum)

        // InMail: the same, with the current role, skills and a second proof to reach its minimum.
        let ask = "Would you be open to a short conversation about the role and the team?"
        let thanks = "Thank you, \(LetterPhrasing.firstName(candidate.name))"
        let inMail = fit(
            required: { proof in [hello, "I am applying for the \(job.title) role at \(job.company).", currentSentence, proof, ask, thanks] },
            optional: [skillSentence, signalSentence, alsoSentence].filter { !$0.isEmpty },
            proofs: leadOptions,
            separator: " ",
            measure: \.count,
            range: LetterValidation.inMailBodyCharacters,
            insertBefore: 4
        ) ?? ""

        // Email: paragraphs, long enough to say who, what and why this company.
        let emailHello = greetingName.map { "Hi \($0)," } ?? "Hello,"
        let email = fit(
            required: { proof in
                [
                    emailHello,
                    "I am applying for the \(job.title) role at \(job.company) and wanted to introduce myself directly. \(currentSentence)",
                    proof,
                    "\(ask) I can walk you through the design and the results of this work.",
                    "Best regards,\n\(candidate.name)\n\(candidate.email)",
                ]
            },
            optional: [
                skillSentence,
                secondOption.isEmpty ? "" : LetterPhrasing.evidenceSentence(secondOption, role: second?.role ?? current ?? placeholderRole, isCurrent: false, firstInRole: true),
                signalSentence.isEmpty ? "" : "\(signalSentence) I would like to help \(job.company) with what comes next.",
                job.companySummary.map(LetterPhrasing.clause).flatMap { $0.isEmpty || !LetterValidation.boilerplate(in: $0).isEmpty ? nil : "Your description of \(job.company), “\($0)”, is what drew me to the role." } ?? "",
            ].filter { !$0.isEmpty },
            proofs: leadOptions.reversed(),
            separator: "\n\n",
            measure: LetterValidation.wordCount,
            range: LetterValidation.emailBodyWords,
            insertBefore: 3
        ) ?? ""

        let subjects = ["\(job.title) at \(job.company)", "\(job.title), \(job.company)", "\(job.title) role", job.title]
        let inMailSubject = subjects.first { $0.count <= LetterValidation.inMailSubjectMaximum }
            ?? trimmed(job.title, to: LetterValidation.inMailSubjectMaximum)
        let emailSubjects = [
            "\(job.title) at \(job.company): \(candidate.name), \(current?.title ?? candidate.headline)",
            "\(job.title) at \(job.company): \(candidate.name)",
            "\(job.title) at \(job.company)",
        ]
        let emailSubject = emailSubjects.first { $0.count <= LetterValidation.emailSubjectMaximum }
            ?? trimmed("\(job.title) at \(job.company)", to: LetterValidation.emailSubjectMaximum)

        return Outreach(
            linkedInNote: note,
            inMailSubject: inMailSubject,
            inMailBody: inMail,
            emailSubject: emailSubject,
            emailBody: email,
            achievementID: lead?.achievement.id
        )
    }

    private static let placeholderRole = MasterCV.Role(company: "", title: "", start: "")

    /// An achievement told as one sentence with its role, in every metric-bearing wording, shortest first.
    private static func proofs(for item: LetterEvidence.Item) -> [String] {
        let wordings = item.metricTexts.isEmpty ? item.texts : item.metricTexts
        return wordings.map { wording in
            LetterPhrasing.isVerbLed(wording)
                ? "At \(item.role.company), I \(LetterPhrasing.predicate(wording))."
                : "From my work at \(item.role.company): \(LetterPhrasing.clause(wording))."
        }
        .sorted { $0.count < $1.count }
    }

    /// The message with the most optional sentences that fits `range`, trying each proof in turn.
    ///
    /// Optional sentences are inserted at `insertBefore` (before the ask) in the order given.
    private static func fit(
        required: (String) -> [String],
        optional: [String],
        proofs: [String],
        separator: String,
        measure: (String) -> Int,
        range: ClosedRange<Int>,
        insertBefore: Int? = nil
    ) -> String? {
        for proof in proofs {
            let base = required(proof).filter { !$0.isEmpty }
            for count in stride(from: optional.count, through: 0, by: -1) {
                var parts = base
                let position = min(insertBefore ?? parts.count, parts.count)
                parts.insert(contentsOf: optional.prefix(count), at: position)
                let text = parts.joined(separator: separator)
                if range.contains(measure(text)) { return text }
            }
        }
        return nil
    }

    /// `text` cut at the last word boundary within `limit` characters.
    private static func trimmed(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        var result = ""
        for word in text.split(separator: " ") {
            let next = result.isEmpty ? String(word) : result + " " + word
            if next.count > limit { break }
            result = next
        }
        // "Staff Backend Engineer," reads as cut off; the dangling separator goes.
        while let last = result.last, ",;:-–—".contains(last) { result.removeLast() }
        return result.trimmingCharacters(in: .whitespaces)
    }
}
