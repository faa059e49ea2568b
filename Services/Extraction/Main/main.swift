import ExtractionService
import Messaging
import Runtime

await ServiceRunner.main(.extraction) { context in
    ServiceParts(handler: ExtractionHandler(context: context))
}
