import ExtractionService
import Messaging
import Runtime

// `extraction bench <folder>` measures the engine offline; anything else runs the service.
if !ExtractionBenchmark.runIfRequested(Array(CommandLine.arguments.dropFirst())) {
    await ServiceRunner.main(.extraction) { context in
        try await ExtractionService.parts(context: context)
    }
}
