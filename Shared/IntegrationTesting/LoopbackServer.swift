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

    /// Starts serving `router`. Handlers still running half a second after `stop()` (a deliberately
    /// slow one whose client gave up) are cancelled, so a test never waits on them.
    public static func start<Routes: HTTPResponderBuilder>(_ router: Routes) async throws -> LoopbackServer
    where Routes.Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
        var logger = Logger(label: "loopback-server")
        logger.logLevel = .warning
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let application = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger
        )
        var configuration = ServiceGroupConfiguration(services: [application], logger: logger)
        configuration.maximumGracefulShutdownDuration = .milliseconds(500)
        let group = ServiceGroup(configuration: configuration)
        let task = Task {
            // Finishing here too makes a server that fails to start fail the test instead of hanging it.
            defer { continuation.finish() }
            try await group.run()
        }
        guard let port = await ports.first(where: { _ in true }), port > 0 else {
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

/// Runs `router` on a loopback server while `body` runs, then stops it, whether `body` threw or not.
public func withLoopbackServer<Routes: HTTPResponderBuilder, Result: Sendable>(
    _ router: Routes,
    _ body: (_ baseURL: String) async throws -> Result
) async throws -> Result where Routes.Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
    let server = try await LoopbackServer.start(router)
    do {
        let result = try await body(server.baseURL)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

struct LoopbackServerError: Error, CustomStringConvertible {
    var description: String { "the loopback server did not start" }
}
