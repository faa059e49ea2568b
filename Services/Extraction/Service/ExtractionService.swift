import Domain
import Foundation
import JobAnalysis
import Logging
import NIOPosix
import Runtime

/// Assembles the extraction service from its configuration:
///
/// - `MASTER_CV_PATH` (default `samples/master-cv.json`): the CV fit scores are computed against;
///   without one, jobs are analysed but not scored.
/// - the LLM variables of ``LanguageModelConfiguration`` (step `extraction`): providers that refine
///   the deterministic analysis when configured.
public enum ExtractionService {
    public static func parts(context: ServiceContext) async throws -> ServiceParts {
        let environment = context.configuration.environment
        let masterPath = environment.string("MASTER_CV_PATH", default: "samples/master-cv.json")
        let master: MasterCV?
        do {
            let url = URL(fileURLWithPath: masterPath)
            // Reading a file blocks; it runs on the pool like every other blocking call.
            master = try await context.threadPool.runIfActive { try MasterCV.load(from: url) }
        } catch {
            context.logger.warning("No master CV to score against; jobs are analysed but not scored", metadata: ["error": "\(error)"])
            master = nil
        }
        let refiner = try AnalysisRefiner.configured(context: context)
        if let refiner {
            context.logger.info("LLM refinement of extraction is on", metadata: ["llm.providers": "\(refiner.providerNames.joined(separator: ","))"])
        }
        let handler = ExtractionHandler(context: context, analyzer: JobDescriptionAnalyzer(), master: master, refiner: refiner)
        return ServiceParts(handler: handler)
    }
}
