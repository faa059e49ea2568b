import Domain
import Foundation
import JobAnalysis

/// Everything the CV generator writes for one job: the tailored CV (Markdown and HTML) with its
/// integrity and ATS reports, the cover letter, and outreach for each contact — each checked against
/// its limits and against the master CV.
struct ApplicationDocuments: Sendable {
    struct Contact: Decodable, Sendable {
        var name: String
        var role: String
        var isSynthetic: Bool

        enum CodingKeys: String, CodingKey {
            case name, role
            case isSynthetic = "is_synthetic"
        }
    }

    /// The parts of a company profile the letters quote.
    struct Company: Decodable, Sendable {
        struct Signal: Decodable, Sendable {
            var summary: String
        }

        var summary: String?
        var signals: [Signal]?
    }

    struct Written: Sendable {
        var cv: TailoredCV
        var cvMarkdown: String
        var cvHTML: String
        var integrity: IntegrityReport
        var ats: ATSReport?
        var coverLetter: CoverLetter?
        var coverLetterCheck: LetterCheck?
        var coverLetterUngrounded: [String]
        var outreach: [(contact: Contact, messages: Outreach, check: LetterCheck, ungrounded: [String])]
    }

    let master: MasterCV
    let job: JobForCV
    let analysis: JobDescriptionAnalysis?
    let company: Company?
    let contacts: [Contact]

    func write(kinds: Set<JobDocumentKind>) -> Written {
        var job = self.job
        job.analysis = job.analysis ?? analysis
        let cv = CVWriter.write(for: job, master: master)
        let checker = IntegrityChecker(master: master, jobTitle: job.title, company: job.company)
        let (markdown, integrity) = checker.removingUngrounded(from: cv.markdown)
        let html = MarkdownHTMLRenderer.document(markdown: markdown, title: "\(master.candidate.name) — \(job.title)")
        var written = Written(
            cv: cv, cvMarkdown: markdown, cvHTML: html, integrity: integrity,
            ats: analysis.map { ATSReport(cv: markdown, job: $0) },
            coverLetterUngrounded: [], outreach: []
        )
        let letterJob = LetterJob(
            title: job.title,
            company: job.company,
            requiredSkills: analysis?.requiredSkills ?? [],
            topKeywords: analysis?.topKeywords ?? [],
            painPoints: analysis?.painPoints.map(\.summary) ?? [],
            companySummary: company?.summary,
            companySignals: company?.signals?.map(\.summary) ?? []
        )
        if kinds.contains(.coverLetter) {
            let letter = CoverLetterWriter.write(master: master, job: letterJob)
            written.coverLetter = letter
            written.coverLetterCheck = letter.check(company: job.company)
            written.coverLetterUngrounded = LetterValidation.ungroundedNumbers(in: letter.text, master: master, inputs: letterJob)
        }
        if kinds.contains(.outreach) {
            for contact in contacts.prefix(5) {
                let messages = OutreachWriter.write(master: master, job: letterJob, contact: LetterContact(name: contact.name, role: contact.role, isSynthetic: contact.isSynthetic))
                let text = [messages.linkedInNote, messages.inMailSubject, messages.inMailBody, messages.emailSubject, messages.emailBody].joined(separator: "\n")
                written.outreach.append((contact, messages, messages.check(), LetterValidation.ungroundedNumbers(in: text, master: master, inputs: letterJob)))
            }
        }
        return written
    }

    /// The outreach messages as one Markdown document, a section per contact.
    static func outreachMarkdown(_ outreach: [(contact: Contact, messages: Outreach, check: LetterCheck, ungrounded: [String])]) -> String {
        var lines: [String] = ["# Outreach", ""]
        for item in outreach {
            let who = item.contact.isSynthetic ? "\(item.contact.name) (to look up)" : "\(item.contact.name), \(item.contact.role)"
            lines += [
                "## \(who)", "",
                "**LinkedIn note** (\(item.messages.linkedInNote.count)/300 characters)", "", item.messages.linkedInNote, "",
                "**InMail** — \(item.messages.inMailSubject)", "", item.messages.inMailBody, "",
                "**Email** — \(item.messages.emailSubject)", "", item.messages.emailBody, "",
            ]
        }
        return lines.joined(separator: "\n")
    }
}

/// The documents a run writes; the pipeline writes all, an operation the one asked for.
enum JobDocumentKind: Hashable, Sendable {
    case cv, coverLetter, outreach
}
