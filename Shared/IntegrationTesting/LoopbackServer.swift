import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// An HTTP server on 127.0.0.1 and a free port, serving a test's routes in the real wire format of
/// whatever it stands in for (a job board, an LLM API).
///
/// ```swift
/// let router = Router()
/// router.get("v0/postings/palantir") { _, _ in fixture }
/// let server = try await LoopbackServer.start(router)
/// defer { Task { await server.stop() } }
/// ```
public final class LoopbackServer: Sendable {
    public let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.group = group
        self.task = task
    }

    /// `http://127.0.0.1:<port>`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public static func start(_ router: Router<BasicRequestContext>) async throws -> LoopbackServer {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let application = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: Logger(label: "loopback-server")
        )
        let group = ServiceGroup(services: [application], logger: Logger(label: "loopback-server"))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            throw LoopbackServerError()
        }
        return LoopbackServer(port: port, group: group, task: task)
    }

    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}

struct LoopbackServerError: Error, CustomStringConvertible {
    var description: String { "the loopback server did not start" }
}
