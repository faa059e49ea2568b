import Domain
import Foundation
import JobAnalysis
import Logging
import Messaging
import NIOPosix
import Postgres
import Redis
import Runtime
import Store

/// Writes a job's application documents — the tailored CV (Markdown, HTML and, when asked, PDF), the
/// cover letter and outreach for each contact — from the current master CV, for researched jobs and
/// for the `generate-cv`, `generate-cover-letter` and `generate-outreach` operations.
///
/// Every document is checked before it is stored: the CV's claims are traced to the master CV (lines
/// with unsupported claims removed; a CV that still has one is stored for review, never marked ready),
/// the letters against their limits and for invented numbers. All versions of one run are stored in
/// one transaction, identical ones only once, and written as files under
/// `<CV_OUTPUT_DIR>/applications/<company>/<role>/`.
public struct CVGenerationHandler: MessageHandler {
    let context: ServiceContext
    let masterCV: MasterCVSource
    let folder: ApplicationFolder?
    let pdf: PDFRenderer?
    /// Whether pipeline runs render a PDF too (operations always try).
    let pdfInPipeline: Bool
    /// Rewrites the CV's tagline and bullets with an LLM when one is configured for the `cv` step.
    let polisher: CVPolisher?

    /// - Parameters:
    ///   - masterCV: Where the current master CV is read for each job, so an edit made through the
    ///     gateway applies to the next CV without a restart.
    ///   - outputFolder: Where the files are written; nil to keep documents in PostgreSQL only.
    ///   - pdf: Renders PDFs; nil or without Chromium, PDF requests get a clear error and the rest works.
    public init(
        context: ServiceContext,
        masterCV: MasterCVSource,
        outputFolder: URL? = nil,
        pdf: PDFRenderer? = nil,
        pdfInPipeline: Bool = false,
        polisher: CVPolisher? = nil
    ) {
        self.context = context
        self.masterCV = masterCV
        self.folder = outputFolder.map(ApplicationFolder.init(root:))
        self.pdf = pdf
        self.pdfInPipeline = pdfInPipeline
        self.polisher = polisher
    }

    public func handle(_ message: ReceivedMessage) async throws {
        switch message.envelope.type {
        case JobResearched.type:
            let jobID = try message.envelope.decode(JobResearched.self).jobID
            try await generate(jobID: jobID, operationID: nil, kinds: [.cv, .coverLetter, .outreach], pdf: pdfInPipeline, forward: true, message: message)
        case OperationCommand.type:
            let command = try message.envelope.decode(OperationCommand.self)
            let kind: JobDocumentKind
            switch command.operation {
            case .generateCV: kind = .cv
            case .generateCoverLetter: kind = .coverLetter
            case .generateOutreach: kind = .outreach
            default: throw MessagingError.unprocessable("the CV generator does not run \(command.operation.rawValue)")
            }
            try await generate(jobID: command.jobID, operationID: command.operationID, kinds: [kind], pdf: kind == .cv, forward: command.continuePipeline, message: message)
        default:
            throw MessagingError.unprocessable("the CV generator cannot handle \(message.envelope.type) messages")
        }
    }

    private func generate(jobID: Int, operationID: String?, kinds: Set<JobDocumentKind>, pdf renderPDF: Bool, forward: Bool, message: ReceivedMessage) async throws {
        let progress = context.progress(jobID: jobID, operationID: operationID, after: message)
        guard let input = try await context.store.cvInput(jobID: jobID) else {
            await progress.report("cv", .skipped, "The job no longer exists")
            return
        }
        // The pipeline always writes the CV and the cover letter (outreach only when there are contacts).
        if operationID == nil, message.mayHaveRunBefore, let published = StreamPosition(message.entryID),
           let stored = try await context.store.documentsStored(
               jobID: jobID, kinds: ["cv", "cover_letter"], since: Date(timeIntervalSince1970: Double(published.milliseconds) / 1000)
           ) {
            // An earlier attempt at this very message saved the documents (they are newer than the
            // message) and then stopped: writing them again could word them differently and add
            // versions. Report the result once and pass the job on.
            try await progress.reportSavedUnlessRecorded(after: message)
            if forward, stored.allSatisfy({ $0.kind != "cv" || $0.ready }) {
                try await context.forward(CVGenerated(jobID: jobID), to: context.streams.cvGenerated, jobID: jobID, after: message)
            }
            return
        }
        guard let current = try await masterCV.current() else {
            // Retried after the visibility timeout: the user may be about to upload one.
            throw CVGenerationError.noMasterCV
        }
        let letters = try await context.store.letterInput(jobID: jobID)
        // Read on every run, so a generate-cv after the user annotates the posting writes a CV that
        // reflects it; the documents' fingerprints keep an unchanged CV from becoming a new version.
        let emphasis = try await context.store.emphasisedQuotes(jobID: jobID)
        let documents = ApplicationDocuments(
            master: current.master,
            job: JobForCV(title: input.title, company: input.company, descriptionText: input.descriptionText, emphasis: emphasis),
            analysis: try? input.analysis?.decode(JobDescriptionAnalysis.self),
            company: try? letters.profile?.decode(ApplicationDocuments.Company.self),
            contacts: (try? letters.contacts?.decode([ApplicationDocuments.Contact].self)) ?? []
        )
        var written = try await progress.step("write", "Writing \(Self.describe(kinds))") {
            try await context.threadPool.runIfActive { documents.write(kinds: kinds) }
        } finished: { written in
            var parts = ["CV integrity: \(written.integrity.summary)"]
            if !emphasis.isEmpty { parts.append("stressing \(emphasis.count) annotated passages") }
            if let ats = written.ats { parts.append("ATS coverage \(ats.coverage)%") }
            if let check = written.coverLetterCheck { parts.append("cover letter " + (check.isValid ? "within its limits" : check.problems.joined(separator: "; "))) }
            if !written.outreach.isEmpty { parts.append("outreach for \(written.outreach.count) contacts") }
            return parts.joined(separator: "; ")
        }

        if let polisher, kinds.contains(.cv) {
            await progress.report("llm", .started, "Asking the LLM to polish the CV's wording")
            var job = documents.job
            job.analysis = documents.analysis
            let polished = await polisher.polish(written.cv, master: current.master, job: job)
            if polished.producedBy == "deterministic" {
                await progress.report("llm", .skipped, "Kept the deterministic wording: " + polished.generationSummary)
            } else {
                written.cvMarkdown = polished.markdown
                written.integrity = polished.report
                written.cvHTML = MarkdownHTMLRenderer.document(markdown: polished.markdown, title: "\(current.master.candidate.name) — \(job.title)")
                written.ats = documents.analysis.map { ATSReport(cv: polished.markdown, job: $0) }
                let rejected = polished.rejected.isEmpty ? "" : "; rejected unsupported claims: " + polished.rejected.map(\.text).joined(separator: ", ")
                await progress.report("llm", .finished, "Polished by \(polished.producedBy)" + rejected)
            }
        }
        var newDocuments: [JobStore.NewDocument] = []
        var files: [(name: String, contents: Data)] = []
        if kinds.contains(.cv) {
            newDocuments.append(.init(
                kind: .cv, source: "generated", markdown: written.cvMarkdown, html: written.cvHTML,
                details: try PostgresJSON(CVDetails(integrity: written.integrity, ats: written.ats)),
                ready: written.integrity.isClean, fingerprint: Self.fingerprint(written.cvMarkdown)
            ))
            files += [("cv.md", Data(written.cvMarkdown.utf8)), ("cv.html", Data(written.cvHTML.utf8))]
        }
        if let letter = written.coverLetter, let check = written.coverLetterCheck {
            let problems = check.problems + written.coverLetterUngrounded.map { "ungrounded number \($0)" }
            newDocuments.append(.init(
                kind: .coverLetter, source: "generated", markdown: letter.text, html: nil,
                details: try PostgresJSON(["problems": problems]), ready: problems.isEmpty, fingerprint: Self.fingerprint(letter.text)
            ))
            files.append(("cover-letter.md", Data(letter.text.utf8)))
        }
        if kinds.contains(.outreach), !written.outreach.isEmpty {
            let markdown = ApplicationDocuments.outreachMarkdown(written.outreach)
            let problems = written.outreach.flatMap { item in item.check.problems + item.ungrounded.map { "ungrounded number \($0)" } }
            newDocuments.append(.init(
                kind: .outreach, source: "generated", markdown: markdown, html: nil,
                details: try PostgresJSON(["problems": problems]), ready: problems.isEmpty, fingerprint: Self.fingerprint(markdown)
            ))
            files.append(("outreach.md", Data(markdown.utf8)))
        }
        if operationID == nil, try await context.store.hasDocuments(jobID: jobID, matching: newDocuments) {
            // The pipeline delivered this job again (a redelivery, or a stage that forwarded twice)
            // and the documents came out as already stored: report the result once, not again.
            if message.mayHaveRunBefore { try await progress.reportSavedUnlessRecorded(after: message) }
            if forward, !kinds.contains(.cv) || written.integrity.isClean {
                try await context.forward(CVGenerated(jobID: jobID), to: context.streams.cvGenerated, jobID: jobID, after: message)
            }
            return
        }
        try await progress.save("Saving \(newDocuments.count) documents") {
            try await context.store.saveDocuments(
                jobID: jobID,
                newDocuments,
                cv: kinds.contains(.cv) ? (
                    written.cv.matchedKeywords,
                    current.master.version ?? "v\(current.version)",
                    try PostgresJSON(written.integrity),
                    try written.ats.map { try PostgresJSON($0) }
                ) : nil
            )
        } finished: { _ in "Saved" }

        if renderPDF, kinds.contains(.cv) {
            if let pdf, pdf.unavailableReason == nil {
                do {
                    let bytes = try await pdf.render(html: written.cvHTML)
                    files.append(("cv.pdf", Data(bytes)))
                    await progress.report("pdf", .finished, "Rendered the CV as PDF (\(bytes.count / 1024) KB)")
                } catch {
                    await progress.report("pdf", .failed, "\(error)")
                }
            } else {
                await progress.report("pdf", .skipped, pdf?.unavailableReason ?? "PDF rendering is not configured; Markdown and HTML are saved")
            }
        }
        if let folder, !files.isEmpty {
            let (company, title, toWrite) = (input.company, input.title, files)
            let paths = try await context.threadPool.runIfActive { try folder.write(company: company, role: title, files: toWrite) }
            await progress.report("files", .finished, "Wrote \(paths.count) files to \(folder.folder(company: company, role: title).path)")
        }

        guard !kinds.contains(.cv) || written.integrity.isClean else {
            await progress.report("integrity", .failed, "The CV is not ready: " + written.integrity.summary)
            context.logger.error("A generated CV has ungrounded claims", metadata: ["job.id": "\(jobID)", "integrity": "\(written.integrity.summary)"])
            return
        }
        if forward {
            try await context.forward(CVGenerated(jobID: jobID), to: context.streams.cvGenerated, jobID: jobID, after: message)
        }
    }

    private struct CVDetails: Encodable {
        var integrity: IntegrityReport
        var ats: ATSReport?
    }

    private static func describe(_ kinds: Set<JobDocumentKind>) -> String {
        [(JobDocumentKind.cv, "the CV"), (.coverLetter, "the cover letter"), (.outreach, "outreach")]
            .filter { kinds.contains($0.0) }.map(\.1).joined(separator: ", ")
    }

    private static func fingerprint(_ text: String) -> String {
        var hash = FNV1a()
        hash.combine(text.utf8)
        return hash.hex
    }
}

enum CVGenerationError: Error, CustomStringConvertible {
    case noMasterCV

    var description: String {
        "no master CV is stored and MASTER_CV_PATH could not be read; upload one with PUT /api/master-cv"
    }
}
