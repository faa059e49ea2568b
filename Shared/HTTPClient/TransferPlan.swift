/// A request checked and resolved against the client's configuration, ready to hand to libcurl.
///
/// Built on the caller's task before the transfer is queued, so a bad URL or header fails at once
/// without taking a thread-pool thread, and the thread-pool closure only captures `Sendable` values.
struct TransferPlan: Sendable {
    var method: HTTPRequest.Method
    var url: String
    /// `Name: value` lines for `CURLOPT_HTTPHEADER`, in libcurl's syntax (see ``headerLines(for:hasBody:)``).
    var headerLines: [String]
    /// The bytes to send, or `nil` for a request without a body.
    var body: [UInt8]?
    var timeoutMilliseconds: Int
    var connectTimeoutMilliseconds: Int
    var maxResponseBytes: Int
    var maxRedirects: Int
    var userAgent: String

    /// - Throws: ``HTTPClientError/invalidURL`` or ``HTTPClientError/invalidHeader(name:)``.
    init(request: HTTPRequest, configuration: HTTPClient.Configuration) throws {
        guard Self.isAcceptableURL(request.url) else { throw HTTPClientError.invalidURL }
        if let bad = request.headers.first(where: { !$0.isValid }) {
            throw HTTPClientError.invalidHeader(name: bad.name)
        }
        method = request.method
        url = request.url
        switch request.method {
        case .head: body = nil
        case .post, .put, .patch: body = request.body ?? []
        case .get, .delete: body = request.body
        }
        headerLines = Self.headerLines(for: request.headers, hasBody: body != nil)
        timeoutMilliseconds = (request.timeout ?? configuration.timeout).curlMilliseconds
        connectTimeoutMilliseconds = configuration.connectTimeout.curlMilliseconds
        maxResponseBytes = max(0, request.maxResponseBytes ?? configuration.maxResponseBytes)
        maxRedirects = max(0, configuration.maxRedirects)
        userAgent = configuration.userAgent
    }

    /// Whether `url` is an absolute `http`/`https` URL without raw whitespace or control bytes.
    ///
    /// Checked here because libcurl would otherwise guess a scheme for `example.com/x`, and a NUL
    /// would silently cut the URL short on its way into C.
    static func isAcceptableURL(_ url: String) -> Bool {
        let lowered = url.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else { return false }
        guard url.utf8.count > (lowered.hasPrefix("https://") ? 8 : 7) else { return false }
        return !url.utf8.contains { $0 <= 0x20 || $0 == 0x7F }
    }

    /// The caller's headers in libcurl's syntax, plus the two the client adds.
    ///
    /// - `Expect:` (empty, which tells libcurl to drop the header): without it libcurl sends
    ///   `Expect: 100-continue` for bodies over 1 MiB and waits a second for servers that never answer
    ///   the `100`.
    /// - `Content-Type:` (drop) when there is a body and the caller set no type: libcurl would otherwise
    ///   label every body `application/x-www-form-urlencoded`, which is wrong for anything else.
    ///
    /// A caller's header with an empty value is written `Name;`, libcurl's syntax for sending it empty
    /// (`Name:` would remove it).
    static func headerLines(for headers: [HTTPHeader], hasBody: Bool) -> [String] {
        func has(_ name: String) -> Bool {
            headers.contains { $0.name.lowercased() == name }
        }
        var lines: [String] = []
        lines.reserveCapacity(headers.count + 2)
        if !has("expect") {
            lines.append("Expect:")
        }
        if hasBody && !has("content-type") {
            lines.append("Content-Type:")
        }
        for header in headers {
            let value = header.value.trimmingHTTPWhitespace()
            lines.append(value.isEmpty ? "\(header.name);" : "\(header.name): \(value)")
        }
        return lines
    }
}

extension Duration {
    /// Whole milliseconds for libcurl's `*_MS` options: rounded up, and at least 1, because libcurl
    /// reads 0 as "no limit" — a tiny or negative timeout must still be a limit.
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        guard seconds >= 0, attoseconds >= 0 else { return 1 }
        let (wholeMilliseconds, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        guard !overflow else { return Int.max }
        let fraction = (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        let (total, overflowed) = wholeMilliseconds.addingReportingOverflow(fraction)
        guard !overflowed else { return Int.max }
        return max(1, Int(clamping: total))
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs (HTTP's optional whitespace).
    func trimmingHTTPWhitespace() -> String {
        let isWhitespace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isWhitespace($0) }),
            let end = lastIndex(where: { !isWhitespace($0) })
        else { return "" }
        return String(self[start...end])
    }
}
