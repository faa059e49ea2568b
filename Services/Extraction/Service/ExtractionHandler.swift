import Domain
import Foundation
import JobAnalysis
import Logging
import Messaging
import NIOPosix
import Postgres
import Runtime
import Store
import TextAnalysis

/// Structures and analyses job descriptions: from the ingestion stream (then hands the job to
/// research) and from `full-extraction` / `structure-jd` operations a user asked for.
///
/// Each step is reported to the events stream as it starts and finishes, the result is committed in
/// one transaction before the message is acknowledged, and a job whose content, engine and master CV
/// are unchanged since its last extraction is not recomputed (a redelivered message only forwards).
public struct ExtractionHandler: MessageHandler {
    /// Recorded with each result: a change of engine makes stored results stale.
    public static let engine = "deterministic-v2"

    let context: ServiceContext
    let analyzer: JobDescriptionAnalyzer
    let masterCV: MasterCVSource?
    let scorers = FitScorerCache()
    let refiner: AnalysisRefiner?

    /// - Parameter masterCV: Where the current master CV is read; nil to analyse without scoring.
    public init(context: ServiceContext, analyzer: JobDescriptionAnalyzer, masterCV: MasterCVSource?, refiner: AnalysisRefiner? = nil) {
        self.context = context
        self.analyzer = analyzer
        self.masterCV = masterCV
        self.refiner = refiner
    }

    private struct Request {
        var jobID: Int
        var operationID: String?
        var structureOnly: Bool
        var force: Bool
        var forward: Bool
    }

    public func handle(_ message: ReceivedMessage) async throws {
        switch message.envelope.type {
        case JobIngested.type:
            let jobID = try message.envelope.decode(JobIngested.self).jobID
            try await extract(Request(jobID: jobID, structureOnly: false, force: false, forward: true), message: message)
        case OperationCommand.type:
            let command = try message.envelope.decode(OperationCommand.self)
            guard command.operation == .fullExtraction || command.operation == .structureJD else {
                throw MessagingError.unprocessable("extraction does not run \(command.operation.rawValue)")
            }
            let request = Request(
                jobID: command.jobID,
                operationID: command.operationID,
                structureOnly: command.operation == .structureJD,
                force: command.force,
                forward: command.continuePipeline
            )
            try await extract(request, message: message)
        default:
            throw MessagingError.unprocessable("extraction cannot handle \(message.envelope.type) messages")
        }
    }

    private func extract(_ request: Request, message: ReceivedMessage) async throws {
        let progress = context.progress(jobID: request.jobID, operationID: request.operationID, after: message)
        guard let input = try await context.store.extractionInput(jobID: request.jobID) else {
            await progress.report("extract", .skipped, "The job no longer exists")
            context.logger.notice("Job no longer exists; nothing to extract", metadata: ["job.id": "\(request.jobID)"])
            return
        }
        var scoring: FitScorerCache.Scoring?
        if let current = try await masterCV?.current() {
            scoring = await scorers.scorer(for: current, taxonomy: analyzer.taxonomy)
        }
        if !request.force, isCurrent(input.previous, contentHash: input.contentHash, structureOnly: request.structureOnly, masterCVHash: scoring?.fingerprint) {
            if request.operationID != nil {
                await progress.report("extract", .skipped, "Already extracted from this content; nothing to redo")
            } else if message.mayHaveRunBefore {
                try await progress.reportSavedUnlessRecorded(after: message)
            }
            // Otherwise a duplicate of a pipeline message already handled (its stage forwarded it
            // twice): the job's log already says everything.
        } else {
            try await run(request, input: input, scoring: scoring, progress: progress)
        }
        if request.forward {
            try await context.forward(JobExtracted(jobID: request.jobID), to: context.streams.jobsExtracted, jobID: request.jobID, after: message)
        }
    }

    private func isCurrent(_ previous: JobStore.PreviousExtraction?, contentHash: String, structureOnly: Bool, masterCVHash: String?) -> Bool {
        guard let previous, previous.contentHash == contentHash, previous.engine == Self.engine else { return false }
        return structureOnly || (previous.hasAnalysis && previous.masterCVHash == masterCVHash)
    }

    private func run(_ request: Request, input: JobStore.ExtractionInput, scoring: FitScorerCache.Scoring?, progress: ProgressReporter) async throws {
        // Structuring and analysis are pure CPU work; they run on the service's pool like every other piece of work.
        let structure = try await progress.step("structure", "Structuring the description") {
            try await context.threadPool.runIfActive { DescriptionStructurer.structure(html: input.descriptionHTML) }
        } finished: { structure in
            let titled = structure.sections.filter { $0.title != nil }.count
            return "\(structure.sections.count) sections (\(titled) with headers), \(structure.text.count) characters"
        }
        var result = JobStore.ExtractionResult(
            contentHash: input.contentHash,
            cleanText: structure.text,
            sections: try PostgresJSON(structure.sections),
            engine: Self.engine,
            attempts: try PostgresJSON([RefinementAttempt]())
        )
        if !request.structureOnly {
            let posting = JobDescriptionAnalyzer.Posting(input)
            var analysis = try await progress.step("analyze", "Reading skills, requirements and signals") {
                try await context.threadPool.runIfActive { analyzer.analyze(posting, structure: structure) }
            } finished: { analysis in
                "\(analysis.technicalSkills.count) skills (\(analysis.requiredSkills.count) required), "
                    + "\(analysis.seniority.rawValue) \(analysis.roleCategory.rawValue), \(analysis.remotePolicy.rawValue)"
            }
            if let refiner {
                let refined = await refiner.refine(analysis, structure: structure, progress: progress)
                analysis = refined.analysis
                result.producer = refined.producer
                result.attempts = try PostgresJSON(refined.attempts)
            }
            result.analysis = try PostgresJSON(analysis)
            if let scoring {
                let fit = try await progress.step("fit", "Scoring the fit against the master CV") {
                    scoring.scorer.assess(analysis)
                } finished: { $0.rationale }
                result.fit = try PostgresJSON(fit)
                result.fitScore = fit.score
                result.fitCategory = fit.category.rawValue
                result.masterCVHash = scoring.fingerprint
            } else {
                await progress.report("fit", .skipped, "No master CV is configured to score against")
            }
        }
        try await progress.save("Saving the results") {
            try await context.store.saveExtraction(jobID: request.jobID, result)
        } finished: { _ in "Saved" }
    }
}

extension JobDescriptionAnalyzer.Posting {
    init(_ input: JobStore.ExtractionInput) {
        self.init(
            title: input.title,
            company: input.company,
            location: input.locations.isEmpty ? nil : input.locations.joined(separator: "; "),
            workplaceType: input.workplaceType,
            isRemote: input.isRemote,
            department: input.department,
            boardSalary: input.salary.flatMap(StatedSalary.init(board:))
        )
    }
}

extension StatedSalary {
    /// The board's structured pay, when it has at least one bound and a currency.
    init?(board salary: Salary) {
        guard let currency = salary.currency, let low = salary.minimum ?? salary.maximum else { return nil }
        let period: Period = switch salary.interval {
        case .hour: .hour
        case .day: .day
        case .week: .week
        case .month: .month
        case .year, nil: .year
        }
        self.init(minimum: low, maximum: salary.maximum ?? low, currency: currency, period: period, text: "from the job board")
    }
}

/// The fit scorer for the current master CV, rebuilt only when a new version is saved.
actor FitScorerCache {
    struct Scoring: Sendable {
        var scorer: FitScorer
        var fingerprint: String
        var version: Int
    }

    private var cached: Scoring?

    func scorer(for current: MasterCVSource.Current, taxonomy: SkillTaxonomy) -> Scoring {
        if let cached, cached.version == current.version { return cached }
        let scoring = Scoring(scorer: FitScorer(master: current.master, taxonomy: taxonomy), fingerprint: current.master.fingerprint, version: current.version)
        cached = scoring
        return scoring
    }
}
