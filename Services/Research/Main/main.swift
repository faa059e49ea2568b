import ResearchService
import Messaging
import Runtime

await ServiceRunner.main(.research) { context in
    ServiceParts(handler: ResearchHandler(context: context))
}
