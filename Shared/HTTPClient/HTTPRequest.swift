/// A request for ``HTTPClient/execute(_:)``.
///
/// A plain value so it can be built anywhere, stored, retried and sent across tasks; the client turns
/// it into libcurl options only on the thread that runs the transfer.
///
/// ```swift
/// let request = HTTPRequest(
///     method: .post,
///     url: "https://api.example.com/jobs",
///     headers: [HTTPHeader(name: "Content-Type", value: "application/json")],
///     body: Array(#"{"q":"swift"}"#.utf8),
///     timeout: .seconds(5)
/// )
/// let response = try await client.execute(request)
/// ```
public struct HTTPRequest: Sendable {
    /// The methods the services use. `HEAD` returns headers only.
    public enum Method: String, Sendable {
        case get = "GET", post = "POST", put = "PUT", patch = "PATCH", delete = "DELETE", head = "HEAD"
    }

    /// The request method.
    public var method: Method
    /// An absolute `http://` or `https://` URL; anything else fails with ``HTTPClientError/invalidURL``.
    public var url: String
    /// Headers sent in this order, after (and replacing same-named) headers the client adds itself
    /// (`User-Agent`, `Accept-Encoding`, `Content-Length`).
    public var headers: [HTTPHeader]
    /// The request body, sent as is. `POST`, `PUT` and `PATCH` without a body send an empty one
    /// (`Content-Length: 0`), which some servers insist on. No `Content-Type` is implied: set one.
    public var body: [UInt8]?
    /// The limit for the whole transfer (connect, redirects, upload and download); `nil` means the
    /// client's ``HTTPClient/Configuration-swift.struct/timeout``.
    public var timeout: Duration?
    /// The most body bytes to accept (after decompression); `nil` means the client's
    /// ``HTTPClient/Configuration-swift.struct/maxResponseBytes``.
    public var maxResponseBytes: Int?

    public init(
        method: Method = .get,
        url: String,
        headers: [HTTPHeader] = [],
        body: [UInt8]? = nil,
        timeout: Duration? = nil,
        maxResponseBytes: Int? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }
}
