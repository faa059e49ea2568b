import Hummingbird
import IntegrationTesting

/// An Anthropic Messages endpoint on a loopback port that holds its first request for `delay` and
/// refuses every later one at once (a 400 is not retried, so callers fall back straight away).
func startModelThatHangsOnce(for delay: Duration) async throws -> LoopbackServer {
    let requests = RequestCount()
    let router = Router()
    router.post("v1/messages") { _, _ -> Response in
        if await requests.next() == 1 { try? await Task.sleep(for: delay) }
        return Response(status: .badRequest)
    }
    return try await LoopbackServer.start(router)
}

/// Numbers requests a loopback server receives.
actor RequestCount {
    private var count = 0
    func next() -> Int {
        count += 1
        return count
    }
}
