/// A complete HTTP response, whatever its status.
///
/// A 404 or a 500 is a response the caller decides about, not an error: only a failure to obtain a
/// response at all throws ``HTTPClientError``.
public struct HTTPResponse: Sendable {
    /// The status code of the last response (after redirects were followed).
    public var status: Int
    /// The last response's headers in arrival order; headers of redirect and `1xx` responses are dropped.
    public var headers: [HTTPHeader]
    /// The body, already decoded when the server sent it compressed.
    public var body: [UInt8]
    /// The effective URL: the one the last response came from, after redirects.
    public var url: String

    /// Creates a response; public so fakes in other modules' tests can build one.
    public init(status: Int, headers: [HTTPHeader] = [], body: [UInt8] = [], url: String) {
        self.status = status
        self.headers = headers
        self.body = body
        self.url = url
    }

    /// The first value of the header with this name, compared case-insensitively (HTTP field names are
    /// case-insensitive, and HTTP/2 sends them in lower case).
    ///
    /// Headers that may repeat (`Set-Cookie`, `Link`) are all in ``headers``.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// The body as UTF-8 text; invalid bytes become U+FFFD rather than failing, since scraped pages
    /// often mislabel their encoding.
    public var bodyText: String {
        String(decoding: body, as: UTF8.self)
    }

    /// Whether the status is 2xx.
    public var isSuccess: Bool {
        (200..<300).contains(status)
    }
}
