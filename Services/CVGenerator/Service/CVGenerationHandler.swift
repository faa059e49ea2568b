import Domain
import Foundation
import JobAnalysis
import Logging
import Messaging
import NIOPosix
import Postgres
import Runtime
import Store

/// Writes a tailored Markdown CV for a researched job from the master CV, checks that every claim in
/// it traces to the master CV, reports its ATS coverage, stores all three, and records the finished
/// job on the `cv-generated` stream.
///
/// A CV with a claim the master CV does not support has the offending lines removed; if that is not
/// enough (a role heading that does not exist), it is stored for review, not marked ready, and not
/// announced as generated.
public struct CVGenerationHandler: MessageHandler {
    let context: ServiceContext
    let masterCV: MasterCVSource

    /// - Parameter masterCV: Where the current master CV is read for each job, so an edit made through
    ///   the gateway applies to the next CV without a restart.
    public init(context: ServiceContext, masterCV: MasterCVSource) {
        self.context = context
        self.masterCV = masterCV
    }

    public func handle(_ message: ReceivedMessage) async throws {
        let jobID = try message.envelope.decode(JobResearched.self).jobID
        let progress = context.progress(jobID: jobID, operationID: nil, after: message)
        guard let input = try await context.store.cvInput(jobID: jobID) else {
            await progress.report("cv", .skipped, "The job no longer exists")
            return
        }
        guard let current = try await masterCV.current() else {
            // Retried after the visibility timeout: the user may be about to upload one.
            throw CVGenerationError.noMasterCV
        }
        let master = current.master
        let job = JobForCV(title: input.title, company: input.company, descriptionText: input.descriptionText)
        let analysis = try? input.analysis?.decode(JobDescriptionAnalysis.self)
        let written = try await progress.step("cv", "Tailoring the CV") {
            try await context.threadPool.runIfActive { () -> (TailoredCV, String, IntegrityReport, ATSReport?) in
                let cv = CVWriter.write(for: job, master: master)
                let checker = IntegrityChecker(master: master, jobTitle: job.title, company: job.company)
                let (markdown, report) = checker.removingUngrounded(from: cv.markdown)
                return (cv, markdown, report, analysis.map { ATSReport(cv: markdown, job: $0) })
            }
        } finished: { written in
            "Integrity: \(written.2.summary)" + (written.3.map { "; ATS coverage \($0.coverage)%" } ?? "")
        }
        let (cv, markdown, integrity, ats) = written
        try await context.store.saveCV(
            jobID: jobID,
            markdown: markdown,
            matchedKeywords: cv.matchedKeywords,
            masterCVVersion: master.version ?? "v\(current.version)",
            integrity: try PostgresJSON(integrity),
            ats: try ats.map { try PostgresJSON($0) },
            ready: integrity.isClean
        )
        guard integrity.isClean else {
            await progress.report("integrity", .failed, "Not ready: " + integrity.summary)
            context.logger.error("A generated CV has ungrounded claims", metadata: ["job.id": "\(jobID)", "integrity": "\(integrity.summary)"])
            return
        }
        try await context.forward(CVGenerated(jobID: jobID), to: context.streams.cvGenerated, jobID: jobID, after: message)
    }
}

enum CVGenerationError: Error, CustomStringConvertible {
    case noMasterCV

    var description: String {
        "no master CV is stored and MASTER_CV_PATH could not be read; upload one with PUT /api/master-cv"
    }
}
