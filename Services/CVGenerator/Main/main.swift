import CVGeneratorService
import Foundation
import HTTPClient
import LanguageModels
import Messaging
import Runtime

// `cv-generator bench <folder>` measures the engine offline; anything else runs the service.
if !CVBenchmark.runIfRequested(Array(CommandLine.arguments.dropFirst())) {
    await ServiceRunner.main(.cvGenerator) { context in
        let environment = context.configuration.environment
        // LLM polish of the CV's wording, when a provider is configured for the `cv` step.
        let llm = try LanguageModelConfiguration(environment: environment.values)
        var polisher: CVPolisher?
        if !llm.providers(forStep: "cv").isEmpty {
            let factory = try LanguageModelChainFactory(
                configuration: llm, httpClient: HTTPClient(threadPool: context.threadPool), threadPool: context.threadPool, logger: context.logger
            )
            polisher = CVPolisher(chain: factory.chain(forStep: "cv"))
        }
        return ServiceParts(handler: CVGenerationHandler(
            context: context,
            masterCV: MasterCVSource(
                store: context.store,
                seedPath: environment.string("MASTER_CV_PATH", default: "samples/master-cv.json"),
                threadPool: context.threadPool,
                logger: context.logger
            ),
            outputFolder: URL(fileURLWithPath: environment.string("CV_OUTPUT_DIR", default: "output")),
            pdf: PDFRenderer(chromiumPath: environment.string("CHROMIUM_PATH"), threadPool: context.threadPool),
            pdfInPipeline: environment.string("CV_PDF", default: "0") == "1",
            polisher: polisher
        ))
    }
}
