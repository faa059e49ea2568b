import CCurl
import CCurlShims

/// Runs one transfer with libcurl's blocking easy interface.
///
/// Only ever called on a thread-pool thread (see ``HTTPClient/execute(_:)``): `curl_easy_perform`
/// blocks for the whole transfer.
enum CurlTransfer {
    /// Performs `plan` on a cached easy handle and returns the complete response.
    ///
    /// - Throws: ``HTTPClientError`` for transport failures; `CancellationError` when `cancellation` was
    ///   set during the transfer.
    static func perform(
        _ plan: TransferPlan,
        handles: EasyHandleCache,
        cancellation: CancellationFlag
    ) throws -> HTTPResponse {
        try CurlGlobal.initialize()
        let handle = try handles.checkOut()
        let sink = ResponseSink(limit: plan.maxResponseBytes, cancellation: cancellation)
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl_slist_free_all(headerList) }

        // The sink, its error buffer and the header list must outlive every libcurl call that can
        // reach them: the handle is reset (dropping those pointers) before this block ends.
        let outcome: Result<HTTPResponse, any Error> = withExtendedLifetime(sink) {
            let outcome = Result {
                headerList = try makeHeaderList(plan.headerLines)
                try configure(handle.raw, plan: plan, sink: sink, headerList: headerList)
                let code = curl_easy_perform(handle.raw)
                guard code == CURLE_OK else {
                    throw error(for: code, plan: plan, sink: sink)
                }
                return try response(from: handle.raw, sink: sink)
            }
            if case .success = outcome {
                handles.checkIn(handle, reusable: true)
            } else {
                handles.checkIn(handle, reusable: false)
            }
            return outcome
        }
        return try outcome.get()
    }

    // MARK: Setup

    /// Sets every option the transfer needs on a freshly reset handle.
    private static func configure(
        _ curl: UnsafeMutableRawPointer,
        plan: TransferPlan,
        sink: ResponseSink,
        headerList: UnsafeMutablePointer<curl_slist>?
    ) throws {
        let userdata = Unmanaged.passUnretained(sink).toOpaque()

        // Set first, so any later failure already has somewhere to write its reason.
        try check(ccurl_setopt_pointer(curl, CURLOPT_ERRORBUFFER, sink.errorBuffer))
        try check(ccurl_setopt_string(curl, CURLOPT_URL, plan.url))
        // Only http(s), also for redirects: a redirect to file:// or gopher:// must not be followed.
        try check(ccurl_setopt_string(curl, CURLOPT_PROTOCOLS_STR, "http,https"))
        try check(ccurl_setopt_string(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"))
        // libcurl's timeouts otherwise use SIGALRM, which is neither thread-safe nor ours to take.
        try check(ccurl_setopt_long(curl, CURLOPT_NOSIGNAL, 1))
        try check(ccurl_setopt_long(curl, CURLOPT_TIMEOUT_MS, plan.timeoutMilliseconds))
        try check(ccurl_setopt_long(curl, CURLOPT_CONNECTTIMEOUT_MS, plan.connectTimeoutMilliseconds))
        try check(ccurl_setopt_string(curl, CURLOPT_USERAGENT, plan.userAgent))
        // Empty: offer every encoding this libcurl decodes (gzip, deflate, …) and decode transparently.
        try check(ccurl_setopt_string(curl, CURLOPT_ACCEPT_ENCODING, ""))
        if plan.maxRedirects > 0 {
            try check(ccurl_setopt_long(curl, CURLOPT_FOLLOWLOCATION, 1))
            try check(ccurl_setopt_long(curl, CURLOPT_MAXREDIRS, plan.maxRedirects))
        }
        try check(ccurl_setopt_slist(curl, CURLOPT_HTTPHEADER, headerList))

        try check(ccurl_setopt_write_function(curl, curlWriteBody))
        try check(ccurl_setopt_pointer(curl, CURLOPT_WRITEDATA, userdata))
        try check(ccurl_setopt_header_function(curl, curlReceiveHeader))
        try check(ccurl_setopt_pointer(curl, CURLOPT_HEADERDATA, userdata))
        try check(ccurl_setopt_xferinfo_function(curl, curlCheckCancellation))
        try check(ccurl_setopt_pointer(curl, CURLOPT_XFERINFODATA, userdata))
        try check(ccurl_setopt_long(curl, CURLOPT_NOPROGRESS, 0))

        try configureMethodAndBody(curl, plan: plan)
    }

    /// The method and body options.
    ///
    /// A body always goes through `CURLOPT_COPYPOSTFIELDS` after `CURLOPT_POSTFIELDSIZE_LARGE`: libcurl
    /// copies exactly that many bytes (NULs included), whereas `CURLOPT_POSTFIELDS` would keep a pointer
    /// into the Swift array past this call. Setting a body makes libcurl send `POST`; other methods with
    /// a body override the verb with `CURLOPT_CUSTOMREQUEST`.
    private static func configureMethodAndBody(_ curl: UnsafeMutableRawPointer, plan: TransferPlan) throws {
        switch plan.method {
        case .get where plan.body == nil:
            try check(ccurl_setopt_long(curl, CURLOPT_HTTPGET, 1))
        case .head:
            try check(ccurl_setopt_long(curl, CURLOPT_NOBODY, 1))
        case .post:
            try check(ccurl_setopt_long(curl, CURLOPT_POST, 1))
        default:
            try check(ccurl_setopt_string(curl, CURLOPT_CUSTOMREQUEST, plan.method.rawValue))
        }
        guard let body = plan.body else { return }
        try check(ccurl_setopt_off_t(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
        // An empty array may have no storage at all, and a NULL here would make libcurl read the body
        // from stdin; pass a real (one-byte) buffer of which libcurl copies zero bytes.
        let bytes = body.isEmpty ? [0] : body
        try bytes.withUnsafeBytes { buffer in
            try check(ccurl_setopt_pointer(curl, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: buffer.baseAddress)))
        }
    }

    /// A `curl_slist` of `lines`; the caller frees it after the handle has been reset.
    private static func makeHeaderList(_ lines: [String]) throws -> UnsafeMutablePointer<curl_slist>? {
        var list: UnsafeMutablePointer<curl_slist>? = nil
        for line in lines {
            // curl_slist_append copies the string; on failure it returns NULL and leaves the list intact.
            guard let appended = curl_slist_append(list, line) else {
                curl_slist_free_all(list)
                throw HTTPClientError.transport(code: Int(CURLE_OUT_OF_MEMORY.rawValue), message: "curl_slist_append failed")
            }
            list = appended
        }
        return list
    }

    /// Throws when a `curl_easy_setopt` failed (an option this libcurl lacks, or out of memory).
    private static func check(_ code: CURLcode) throws {
        guard code != CURLE_OK else { return }
        throw HTTPClientError.transport(code: Int(code.rawValue), message: String(cString: curl_easy_strerror(code)))
    }

    // MARK: Results

    /// The response once `curl_easy_perform` succeeded.
    private static func response(from curl: UnsafeMutableRawPointer, sink: ResponseSink) throws -> HTTPResponse {
        var status = 0
        try check(ccurl_getinfo_long(curl, CURLINFO_RESPONSE_CODE, &status))
        var effectiveURL: UnsafePointer<CChar>? = nil
        try check(ccurl_getinfo_string(curl, CURLINFO_EFFECTIVE_URL, &effectiveURL))
        // The string belongs to the handle: copy it before the handle is reset.
        let url = effectiveURL.map { String(cString: $0) } ?? ""
        return HTTPResponse(status: status, headers: sink.headers, body: sink.body, url: url)
    }

    /// The error to throw for a failed `curl_easy_perform`.
    private static func error(for code: CURLcode, plan: TransferPlan, sink: ResponseSink) -> any Error {
        let detail = sink.errorMessage ?? String(cString: curl_easy_strerror(code))
        switch code {
        case CURLE_WRITE_ERROR where sink.exceededLimit:
            return HTTPClientError.responseTooLarge(limit: plan.maxResponseBytes)
        case CURLE_ABORTED_BY_CALLBACK where sink.cancellation.isCancelled:
            return CancellationError()
        case CURLE_OPERATION_TIMEDOUT:
            return HTTPClientError.timedOut.withDetail(detail)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return HTTPClientError.invalidURL.withDetail(detail)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT:
            return HTTPClientError.connectionFailed.withDetail(detail)
        default:
            return HTTPClientError.transport(code: Int(code.rawValue), message: detail)
        }
    }
}
