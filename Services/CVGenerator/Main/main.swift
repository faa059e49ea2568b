import CVGeneratorService
import Domain
import Foundation
import Messaging
import Runtime

await ServiceRunner.main(.cvGenerator) { context in
    let path = context.configuration.environment.string("MASTER_CV_PATH", default: "samples/master-cv.json")
    let master = try MasterCV.load(from: URL(fileURLWithPath: path))
    return ServiceParts(handler: CVGenerationHandler(context: context, master: master))
}
