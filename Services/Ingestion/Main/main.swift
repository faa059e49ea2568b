import IngestionService
import Messaging
import Runtime

await ServiceRunner.main(.ingestion) { context in
    if let path = context.configuration.environment.string("INGESTION_SOURCES_FILE") {
        try await SourceSeeder.seed(fromFile: path, into: context.store)
    }
    return ServiceParts(handler: IngestionHandler(context: context))
}
