import Domain
import Foundation
import JobAnalysis
import Logging
import NIOPosix
import Runtime

/// Assembles the extraction service from its configuration:
///
/// - `MASTER_CV_PATH` (default `samples/master-cv.json`): the master CV stored as the first version
///   when PostgreSQL has none; fit scores are computed against the current stored version, and without
///   one jobs are analysed but not scored.
/// - the LLM variables of ``LanguageModelConfiguration`` (step `extraction`): providers that refine
///   the deterministic analysis when configured.
public enum ExtractionService {
    public static func parts(context: ServiceContext) async throws -> ServiceParts {
        let environment = context.configuration.environment
        let masterCV = MasterCVSource(
            store: context.store,
            seedPath: environment.string("MASTER_CV_PATH", default: "samples/master-cv.json"),
            threadPool: context.threadPool,
            logger: context.logger
        )
        let refiner = try AnalysisRefiner.configured(context: context)
        if let refiner {
            context.logger.info("LLM refinement of extraction is on", metadata: ["llm.providers": "\(refiner.providerNames.joined(separator: ","))"])
        }
        let handler = ExtractionHandler(context: context, analyzer: JobDescriptionAnalyzer(), masterCV: masterCV, refiner: refiner)
        return ServiceParts(handler: handler)
    }
}
