import Messaging

/// The handler of `JOBSMITH_HANDLER=noop`: passes each pipeline message on to the next stage's
/// stream without doing the stage's work, so a benchmark measures the messaging alone — read, decode,
/// publish, acknowledge — through a real replica.
struct ForwardingHandler: MessageHandler {
    let context: ServiceContext

    func handle(_ message: ReceivedMessage) async throws {
        let streams = context.streams
        switch message.envelope.type {
        case JobIngested.type:
            let jobID = try message.envelope.decode(JobIngested.self).jobID
            try await context.forward(JobExtracted(jobID: jobID), to: streams.jobsExtracted, jobID: jobID, after: message)
        case JobExtracted.type:
            let jobID = try message.envelope.decode(JobExtracted.self).jobID
            try await context.forward(JobResearched(jobID: jobID), to: streams.jobsResearched, jobID: jobID, after: message)
        case JobResearched.type:
            let jobID = try message.envelope.decode(JobResearched.self).jobID
            try await context.forward(CVGenerated(jobID: jobID), to: streams.cvGenerated, jobID: jobID, after: message)
        default:
            // Commands and operations have no next stage: acknowledged and dropped.
            break
        }
    }
}
