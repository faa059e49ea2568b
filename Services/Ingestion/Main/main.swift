import IngestionService
import Messaging
import Runtime

await ServiceRunner.main(.ingestion) { context in
    try await IngestionService.parts(context: context)
}
