import Logging
import Messaging
import Runtime
import Store

/// Records a job's company (shared between its jobs) and passes the job on to the CV generator.
public struct ResearchHandler: MessageHandler {
    let context: ServiceContext

    public init(context: ServiceContext) {
        self.context = context
    }

    public func handle(_ message: ReceivedMessage) async throws {
        let jobID = try message.envelope.decode(JobExtracted.self).jobID
        guard let input = try await context.store.researchInput(jobID: jobID) else {
            context.logger.notice("Job no longer exists; nothing to research", metadata: ["job.id": "\(jobID)"])
            return
        }
        let identity = CompanyIdentity(company: input.company, jobURL: input.jobURL, applyURL: input.applyURL)
        try await context.store.saveResearch(
            jobID: jobID,
            companyName: identity.name,
            normalizedName: identity.normalizedName,
            domain: identity.domain,
            careersHost: identity.careersHost
        )
        try await context.forward(JobResearched(jobID: jobID), to: context.streams.jobsResearched, jobID: jobID, after: message)
    }
}
