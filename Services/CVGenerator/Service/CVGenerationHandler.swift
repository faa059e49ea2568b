import Domain
import Logging
import Messaging
import NIOPosix
import Runtime
import Store

/// Writes a tailored Markdown CV for a researched job from the master CV, stores it, and records the
/// finished job on the `cv-generated` stream.
public struct CVGenerationHandler: MessageHandler {
    let context: ServiceContext
    let master: MasterCV

    public init(context: ServiceContext, master: MasterCV) {
        self.context = context
        self.master = master
    }

    public func handle(_ message: ReceivedMessage) async throws {
        let jobID = try message.envelope.decode(JobResearched.self).jobID
        guard let input = try await context.store.cvInput(jobID: jobID) else {
            context.logger.notice("Job no longer exists; no CV to write", metadata: ["job.id": "\(jobID)"])
            return
        }
        let job = JobForCV(title: input.title, company: input.company, descriptionText: input.descriptionText)
        let master = self.master
        let cv = try await context.threadPool.runIfActive { CVWriter.write(for: job, master: master) }
        try await context.store.saveCV(jobID: jobID, markdown: cv.markdown, matchedKeywords: cv.matchedKeywords, masterCVVersion: master.version)
        try await context.forward(CVGenerated(jobID: jobID), to: context.streams.cvGenerated, jobID: jobID, after: message)
    }
}
