import CVGeneratorService
import Foundation
import Messaging
import Runtime

// `cv-generator bench <folder>` measures the engine offline; anything else runs the service.
if !CVBenchmark.runIfRequested(Array(CommandLine.arguments.dropFirst())) {
    await ServiceRunner.main(.cvGenerator) { context in
        let environment = context.configuration.environment
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
            pdfInPipeline: environment.string("CV_PDF", default: "0") == "1"
        ))
    }
}
