import HTTPClient
import NIOPosix
import Testing

/// Runs `body` with a client over its own started thread pool and a fresh loopback test server, and
/// shuts both down afterwards.
func withClient<Result: Sendable>(
    threads: Int = 2,
    configuration: HTTPClient.Configuration = .init(),
    _ body: @Sendable (_ client: HTTPClient, _ baseURL: String) async throws -> Result
) async throws -> Result {
    let pool = NIOThreadPool(numberOfThreads: threads)
    pool.start()
    let client = HTTPClient(threadPool: pool, configuration: configuration)
    do {
        let result = try await withTestServer { baseURL in try await body(client, baseURL) }
        try await pool.shutdownGracefully()
        return result
    } catch {
        try? await pool.shutdownGracefully()
        throw error
    }
}

/// Runs `operation` and returns its error (failing the test if it succeeds) and how long it took.
func failure(
    of operation: () async throws -> Void
) async -> (error: (any Error)?, elapsed: Duration) {
    let clock = ContinuousClock()
    let start = clock.now
    do {
        try await operation()
        return (nil, clock.now - start)
    } catch {
        return (error, clock.now - start)
    }
}

@Suite("HTTPClient against a loopback server")
struct HTTPClientTests {
    @Test func getReturnsStatusHeadersAndBody() async throws {
        try await withClient { client, baseURL in
            let response = try await client.get("\(baseURL)/hello")
            #expect(response.status == 200)
            #expect(response.bodyText == "hello, world")
            #expect(response.header("x-test") == "yes")
            #expect(response.header("CONTENT-TYPE") == "text/plain; charset=utf-8")
            #expect(response.header("Content-Length") == "12")
            #expect(response.url == "\(baseURL)/hello")
        }
    }

    @Test func headReturnsHeadersWithoutBody() async throws {
        try await withClient { client, baseURL in
            let response = try await client.execute(HTTPRequest(method: .head, url: "\(baseURL)/hello"))
            #expect(response.status == 200)
            #expect(response.header("X-Test") == "yes")
            #expect(response.body.isEmpty)
        }
    }

    @Test func postEchoesJSONBody() async throws {
        try await withClient { client, baseURL in
            let json = Array(#"{"title":"Swift engineer","remote":true,"tags":["nio","curl"]}"#.utf8)
            let response = try await client.post("\(baseURL)/echo", json: json)
            #expect(response.status == 200)
            #expect(response.body == json)
            #expect(response.header("Content-Type") == "application/json")
        }
    }

    /// Over 1 MiB libcurl would send `Expect: 100-continue` and wait for a `100`; the client's empty
    /// `Expect:` header must prevent both the header and the wait.
    @Test func postOfMoreThanOneMebibyteDoesNotStall() async throws {
        try await withClient { client, baseURL in
            let json = Array(("[" + String(repeating: "\"0123456789abcdef\",", count: 100_000) + "0]").utf8)
            #expect(json.count > 1 << 20)
            let response = try await client.post("\(baseURL)/echo", json: json)
            #expect(response.status == 200)
            #expect(response.header("X-Received-Length") == "\(json.count)")
            // No Expect header reached the server, so there was no 100-continue to wait for.
            #expect(response.header("X-Request-Expect") == "none")
            #expect(response.body == json)
        }
    }

    @Test func bodyWithZeroBytesIsSentExactly() async throws {
        try await withClient { client, baseURL in
            let binary: [UInt8] = [0, 1, 2, 0, 255, 0]
            let response = try await client.execute(
                HTTPRequest(method: .post, url: "\(baseURL)/echo", body: binary)
            )
            #expect(response.body == binary)
            // No Content-Type was set and none may be invented (libcurl's default is a form type).
            #expect(response.header("Content-Type") == "application/octet-stream")
        }
    }

    @Test(arguments: [HTTPRequest.Method.put, .patch, .delete])
    func otherMethodsSendTheirVerbAndBody(method: HTTPRequest.Method) async throws {
        try await withClient { client, baseURL in
            let response = try await client.execute(
                HTTPRequest(method: method, url: "\(baseURL)/method", body: Array("12345".utf8))
            )
            #expect(response.bodyText == "\(method.rawValue) 5")
        }
    }

    @Test func customHeadersRoundTrip() async throws {
        try await withClient { client, baseURL in
            let response = try await client.get(
                "\(baseURL)/headers",
                headers: [
                    HTTPHeader(name: "X-Request-ID", value: "job-42"),
                    HTTPHeader(name: "Authorization", value: "Bearer abc.def"),
                    HTTPHeader(name: "User-Agent", value: "Custom/1.0"),
                    HTTPHeader(name: "X-Empty", value: ""),
                ]
            )
            let lines = Set(response.bodyText.split(separator: "\n").map(String.init))
            #expect(lines.contains("x-request-id: job-42"))
            #expect(lines.contains("authorization: Bearer abc.def"))
            #expect(lines.contains("user-agent: Custom/1.0"))
            #expect(lines.contains("x-empty: "))
            #expect(!lines.contains { $0.lowercased().hasPrefix("expect:") })
        }
    }

    @Test func defaultUserAgentIsSent() async throws {
        try await withClient { client, baseURL in
            let response = try await client.get("\(baseURL)/headers")
            #expect(response.bodyText.contains("user-agent: Jobsmith/0.1\n"))
        }
    }

    @Test(arguments: [404, 500, 503])
    func errorStatusesAreResponses(status: Int) async throws {
        try await withClient { client, baseURL in
            let response = try await client.get("\(baseURL)/status/\(status)")
            #expect(response.status == status)
            #expect(response.bodyText == "status \(status)")
            #expect(!response.isSuccess)
        }
    }

    @Test func redirectsAreFollowedToTheEffectiveURL() async throws {
        try await withClient { client, baseURL in
            let response = try await client.get("\(baseURL)/redirect")
            #expect(response.status == 200)
            #expect(response.url == "\(baseURL)/hello")
            #expect(response.bodyText == "hello, world")
            // Only the final response's headers.
            #expect(response.header("X-Hop") == nil)
            #expect(response.header("Location") == nil)
            #expect(response.header("X-Test") == "yes")
        }
    }

    @Test func zeroMaxRedirectsReturnsTheRedirect() async throws {
        try await withClient(configuration: .init(maxRedirects: 0)) { client, baseURL in
            let response = try await client.get("\(baseURL)/redirect")
            #expect(response.status == 302)
            #expect(response.header("Location") == "/redirect-again")
            #expect(response.url == "\(baseURL)/redirect")
        }
    }

    @Test func redirectLoopFails() async throws {
        try await withClient(configuration: .init(maxRedirects: 3)) { client, baseURL in
            let (error, _) = await failure { _ = try await client.get("\(baseURL)/loop") }
            let clientError = try #require(error as? HTTPClientError)
            #expect(clientError.kind == .transport)
        }
    }

    @Test func gzipBodyIsDecoded() async throws {
        try await withClient { client, baseURL in
            let response = try await client.get("\(baseURL)/gzip")
            #expect(response.bodyText == String(repeating: "compressed hello ", count: 20))
        }
    }

    @Test func wholeTransferTimeout() async throws {
        try await withClient { client, baseURL in
            let request = HTTPRequest(url: "\(baseURL)/sleep/5000", timeout: .milliseconds(300))
            let (error, elapsed) = await failure { _ = try await client.execute(request) }
            let clientError = try #require(error as? HTTPClientError)
            #expect(clientError.kind == .timedOut)
            #expect(elapsed < .seconds(2), "took \(elapsed)")
        }
    }

    @Test func configuredTimeoutApplies() async throws {
        try await withClient(configuration: .init(timeout: .milliseconds(300))) { client, baseURL in
            let (error, elapsed) = await failure { _ = try await client.get("\(baseURL)/sleep/5000") }
            #expect((error as? HTTPClientError)?.kind == .timedOut)
            #expect(elapsed < .seconds(2), "took \(elapsed)")
        }
    }

    @Test func responseCapAbortsTheTransfer() async throws {
        try await withClient { client, baseURL in
            let request = HTTPRequest(url: "\(baseURL)/bytes/\(2 << 20)", maxResponseBytes: 64 << 10)
            let (error, _) = await failure { _ = try await client.execute(request) }
            let clientError = try #require(error as? HTTPClientError)
            #expect(clientError.kind == .responseTooLarge)
            #expect(clientError.description.contains("65536"))
        }
    }

    @Test func bodyExactlyAtTheCapIsAccepted() async throws {
        try await withClient(configuration: .init(maxResponseBytes: 64 << 10)) { client, baseURL in
            let response = try await client.get("\(baseURL)/bytes/\(64 << 10)")
            #expect(response.body.count == 64 << 10)
            let (error, _) = await failure { _ = try await client.get("\(baseURL)/bytes/\((64 << 10) + 1)") }
            #expect((error as? HTTPClientError)?.kind == .responseTooLarge)
        }
    }

    @Test func connectionRefusedOnAClosedPort() async throws {
        // A port the test server had a moment ago and has since closed.
        let closedURL = try await withTestServer { baseURL in baseURL }
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        let client = HTTPClient(threadPool: pool)
        let (error, _) = await failure { _ = try await client.get("\(closedURL)/hello") }
        try await pool.shutdownGracefully()
        let clientError = try #require(error as? HTTPClientError)
        #expect(clientError.kind == .connectionFailed)
    }

    @Test func twentyConcurrentRequestsOverFourThreads() async throws {
        try await withClient(threads: 4) { client, baseURL in
            let clock = ContinuousClock()
            let start = clock.now
            let bodies = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for index in 0..<20 {
                    group.addTask {
                        let response = try await client.get("\(baseURL)/sleep/\(300 + index)")
                        #expect(response.status == 200)
                        return (index, response.bodyText)
                    }
                }
                return try await group.reduce(into: [Int: String]()) { $0[$1.0] = $1.1 }
            }
            let elapsed = clock.now - start
            #expect(bodies.count == 20)
            for index in 0..<20 {
                #expect(bodies[index] == "slept \(300 + index)")
            }
            // 20 × ~0.3 s on 4 threads is ~1.6 s; serialised it would be over 6 s.
            #expect(elapsed < .seconds(5), "took \(elapsed)")
        }
    }

    @Test func sequentialRequestsReuseTheConnection() async throws {
        try await withClient(threads: 1) { client, baseURL in
            let first = try await client.get("\(baseURL)/peer-port").bodyText
            let second = try await client.get("\(baseURL)/peer-port").bodyText
            #expect(first == second)
        }
    }

    @Test func cancellationAbortsARunningTransfer() async throws {
        try await withClient { client, baseURL in
            let clock = ContinuousClock()
            let start = clock.now
            let task = Task { try await client.get("\(baseURL)/sleep/10000") }
            try await Task.sleep(for: .milliseconds(200))
            task.cancel()
            let result = await task.result
            let elapsed = clock.now - start
            #expect(throws: CancellationError.self) { try result.get() }
            #expect(elapsed < .seconds(3), "took \(elapsed)")
        }
    }
}

@Suite("HTTPClient input checks and values")
struct HTTPClientValueTests {
    /// A client whose pool never started: anything that reached the pool would fail differently,
    /// so these errors prove the request was rejected up front.
    let client = HTTPClient(threadPool: NIOThreadPool(numberOfThreads: 1))

    @Test(arguments: ["example.com/jobs", "ftp://example.com/file", "file:///etc/passwd", "http://", "http://exa mple.com/", "http://example.com/\u{0}x", ""])
    func invalidURLsAreRejected(url: String) async throws {
        let (error, _) = await failure { _ = try await client.get(url) }
        #expect((error as? HTTPClientError)?.kind == .invalidURL)
    }

    @Test(arguments: [
        HTTPHeader(name: "X-Injected", value: "a\r\nEvil: 1"),
        HTTPHeader(name: "Bad Name", value: "v"),
        HTTPHeader(name: "", value: "v"),
        HTTPHeader(name: "X-Colon:", value: "v"),
    ])
    func unsafeHeadersAreRejected(header: HTTPHeader) async throws {
        let (error, _) = await failure { _ = try await client.get("http://127.0.0.1:9/", headers: [header]) }
        #expect((error as? HTTPClientError)?.kind == .invalidHeader)
    }

    @Test func headerLookupIsCaseInsensitiveAndReturnsTheFirst() {
        let response = HTTPResponse(
            status: 200,
            headers: [
                HTTPHeader(name: "set-cookie", value: "a=1"),
                HTTPHeader(name: "Set-Cookie", value: "b=2"),
            ],
            url: "http://example.com/"
        )
        #expect(response.header("SET-COOKIE") == "a=1")
        #expect(response.header("X-Missing") == nil)
    }

    @Test func bodyTextReplacesInvalidUTF8() {
        let response = HTTPResponse(status: 200, body: [0x68, 0x69, 0xFF], url: "http://example.com/")
        #expect(response.bodyText == "hi\u{FFFD}")
    }

    @Test func errorKindsAndDescriptions() {
        #expect(HTTPClientError.timedOut.kind == .timedOut)
        #expect(HTTPClientError.responseTooLarge(limit: 10).kind == .responseTooLarge)
        #expect(HTTPClientError.invalidURL.kind == .invalidURL)
        #expect(HTTPClientError.connectionFailed.kind == .connectionFailed)
        let transport = HTTPClientError.transport(code: 35, message: "SSL connect error")
        #expect(transport.kind == .transport)
        #expect(transport.description.contains("35"))
        #expect(transport.description.contains("SSL connect error"))
    }
}
