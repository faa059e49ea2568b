import Messaging
import ResearchService
import Runtime

await ServiceRunner.main(.research) { context in
    try await ResearchService.parts(context: context)
}
