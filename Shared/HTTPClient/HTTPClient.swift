import NIOPosix

/// An HTTP/1.1 and HTTP/2 client over libcurl whose blocking transfers run on a `NIOThreadPool`.
///
/// libcurl's easy interface blocks the calling thread for a whole transfer. Run on Swift's
/// cooperative pool (two threads on a two-core machine) or an event loop, one slow server would stall
/// every other task, so each transfer is handed to the thread pool the owning service sizes and runs,
/// and the calling task merely awaits it. As many transfers run at once as the pool has threads; more
/// queue. Handles are reused between transfers for keep-alive (see `EasyHandleCache`).
///
/// Any status is a response; only a failure to get one throws ``HTTPClientError``. Cancelling the
/// awaiting task aborts its transfer within about a second and throws `CancellationError`.
///
/// ```swift
/// let pool = NIOThreadPool(numberOfThreads: 4)
/// pool.start()
/// let client = HTTPClient(threadPool: pool)
/// let response = try await client.get("https://boards.example.com/api/jobs")
/// if response.status == 200 { decode(response.body) }
/// try await pool.shutdownGracefully()
/// ```
public final class HTTPClient: Sendable {
    /// The limits and defaults every request starts from.
    public let configuration: Configuration
    private let threadPool: NIOThreadPool
    private let handles: EasyHandleCache

    /// Creates a client; it starts nothing and owns nothing that needs shutting down.
    ///
    /// - Parameters:
    ///   - threadPool: Where transfers run. The caller starts it and shuts it down after the last
    ///     request; its size bounds the number of concurrent transfers.
    ///   - configuration: Timeouts, limits and the user agent.
    public init(threadPool: NIOThreadPool, configuration: Configuration = .init()) {
        self.threadPool = threadPool
        self.configuration = configuration
        // No more transfers run at once than the pool has threads, so no more idle handles are useful.
        self.handles = EasyHandleCache(capacity: threadPool.numberOfThreads)
    }

    /// Sends `request` and returns the whole response, following redirects.
    ///
    /// - Returns: The last response after redirects, whatever its status.
    /// - Throws: ``HTTPClientError`` (see its ``HTTPClientError/kind``); `CancellationError` if the task
    ///   is cancelled; `NIOThreadPoolError.ThreadPoolInactive` if the pool is not running.
    public func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        let plan = try TransferPlan(request: request, configuration: configuration)
        try Task.checkCancellation()
        let handles = self.handles
        let cancellation = CancellationFlag()
        return try await withTaskCancellationHandler {
            try await threadPool.runIfActive {
                try CurlTransfer.perform(plan, handles: handles, cancellation: cancellation)
            }
        } onCancel: {
            cancellation.cancel()
        }
    }

    /// Sends a `GET`.
    ///
    /// - Throws: As ``execute(_:)``.
    public func get(_ url: String, headers: [HTTPHeader] = []) async throws -> HTTPResponse {
        try await execute(HTTPRequest(method: .get, url: url, headers: headers))
    }

    /// Sends a `POST` of a JSON document, with `Content-Type: application/json` unless `headers` set one.
    ///
    /// - Parameters:
    ///   - body: The encoded JSON, sent as is.
    /// - Throws: As ``execute(_:)``.
    public func post(_ url: String, json body: [UInt8], headers: [HTTPHeader] = []) async throws -> HTTPResponse {
        var allHeaders = headers
        if !headers.contains(where: { $0.name.lowercased() == "content-type" }) {
            allHeaders.insert(HTTPHeader(name: "Content-Type", value: "application/json"), at: 0)
        }
        return try await execute(HTTPRequest(method: .post, url: url, headers: allHeaders, body: body))
    }
}
