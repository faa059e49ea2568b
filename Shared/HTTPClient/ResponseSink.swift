import CCurl

/// Collects one transfer's response as libcurl delivers it, on the transfer's thread.
///
/// libcurl's C callbacks reach it through an unretained `Unmanaged` pointer set as their userdata;
/// ``CurlTransfer`` keeps it alive (`withExtendedLifetime`) until the handle has been reset, so the
/// pointer never outlives the object. Not `Sendable`: it never leaves the thread running the transfer.
final class ResponseSink {
    /// The most body bytes to accept.
    let limit: Int
    let cancellation: CancellationFlag
    private(set) var body: [UInt8] = []
    private(set) var headers: [HTTPHeader] = []
    /// Set when the body passed ``limit`` and the write callback refused it.
    private(set) var exceededLimit = false
    /// libcurl's `CURLOPT_ERRORBUFFER`: a human-readable reason for the last failure.
    let errorBuffer: UnsafeMutablePointer<CChar>

    init(limit: Int, cancellation: CancellationFlag) {
        self.limit = limit
        self.cancellation = cancellation
        let size = Int(CURL_ERROR_SIZE)
        errorBuffer = .allocate(capacity: size)
        errorBuffer.initialize(repeating: 0, count: size)
    }

    deinit {
        errorBuffer.deallocate()
    }

    /// The message libcurl left in the error buffer, if any.
    var errorMessage: String? {
        errorBuffer.pointee == 0 ? nil : String(cString: errorBuffer)
    }

    /// Appends body bytes, or refuses them (returns `false`) once they would pass the limit — which
    /// makes libcurl abort with `CURLE_WRITE_ERROR` instead of downloading the rest.
    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count <= limit - body.count else {
            exceededLimit = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    /// Takes one header line as libcurl delivers it (with its CRLF).
    ///
    /// A status line (`HTTP/1.1 302 Found`, `HTTP/2 200`) starts a new response — after a redirect or
    /// a `100 Continue` — so the headers collected so far are dropped and only the last response's
    /// remain. A line starting with whitespace continues the previous header (obsolete folding).
    func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        var line = bytes[...]
        while let last = line.last, last == UInt8(ascii: "\r") || last == UInt8(ascii: "\n") {
            line = line.dropLast()
        }
        guard let first = line.first else { return }
        if line.starts(with: "HTTP/".utf8) {
            headers.removeAll(keepingCapacity: true)
            return
        }
        if first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
            guard !headers.isEmpty else { return }
            let continuation = String(decoding: line, as: UTF8.self).trimmingHTTPWhitespace()
            headers[headers.count - 1].value += " " + continuation
            return
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
        let name = String(decoding: line[..<colon], as: UTF8.self).trimmingHTTPWhitespace()
        let value = String(decoding: line[line.index(after: colon)...], as: UTF8.self).trimmingHTTPWhitespace()
        headers.append(HTTPHeader(name: name, value: value))
    }
}

// MARK: - C callbacks

// Plain functions (not closures) so Swift can pass them as `@convention(c)` pointers; each finds its
// ResponseSink through the userdata pointer libcurl hands back.

/// `CURLOPT_WRITEFUNCTION`: returning less than it was given aborts the transfer.
func curlWriteBody(
    _ data: UnsafeMutablePointer<CChar>?,
    _ size: Int,
    _ count: Int,
    _ userdata: UnsafeMutableRawPointer?
) -> Int {
    let length = size * count
    guard let userdata else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(userdata).takeUnretainedValue()
    return sink.receiveBody(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
}

/// `CURLOPT_HEADERFUNCTION`: one call per header line.
func curlReceiveHeader(
    _ data: UnsafeMutablePointer<CChar>?,
    _ size: Int,
    _ count: Int,
    _ userdata: UnsafeMutableRawPointer?
) -> Int {
    let length = size * count
    guard let userdata else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(userdata).takeUnretainedValue()
    sink.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: length))
    return length
}

/// `CURLOPT_XFERINFOFUNCTION`: non-zero aborts with `CURLE_ABORTED_BY_CALLBACK` once the awaiting task
/// was cancelled.
func curlCheckCancellation(
    _ userdata: UnsafeMutableRawPointer?,
    _ downloadTotal: curl_off_t,
    _ downloaded: curl_off_t,
    _ uploadTotal: curl_off_t,
    _ uploaded: curl_off_t
) -> Int32 {
    guard let userdata else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(userdata).takeUnretainedValue()
    return sink.cancellation.isCancelled ? 1 : 0
}
