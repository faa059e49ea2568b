import CCurl

/// One libcurl easy handle, cleaned up when the last reference goes.
///
/// `@unchecked Sendable` because libcurl lets a handle move between threads but never be used by two
/// at once: ``EasyHandleCache`` hands each handle to exactly one transfer, only that transfer's
/// thread-pool thread touches it until it is checked back in, and the cache's mutex orders the
/// hand-over.
final class EasyHandle: @unchecked Sendable {
    /// The `CURL *`.
    let raw: UnsafeMutableRawPointer

    /// - Throws: ``HTTPClientError/transport(code:message:)`` when libcurl cannot allocate a handle.
    init() throws {
        guard let raw = curl_easy_init() else {
            throw HTTPClientError.transport(
                code: Int(CURLE_FAILED_INIT.rawValue),
                message: "curl_easy_init failed"
            )
        }
        self.raw = raw
    }

    deinit {
        curl_easy_cleanup(raw)
    }
}
