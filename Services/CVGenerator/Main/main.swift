import CVGeneratorService
import Messaging
import Runtime

await ServiceRunner.main(.cvGenerator) { context in
    ServiceParts(handler: CVGenerationHandler(context: context, masterCV: MasterCVSource(
        store: context.store,
        seedPath: context.configuration.environment.string("MASTER_CV_PATH", default: "samples/master-cv.json"),
        threadPool: context.threadPool,
        logger: context.logger
    )))
}
