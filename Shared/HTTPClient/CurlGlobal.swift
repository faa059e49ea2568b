import CCurl
import CCurlShims

/// libcurl's process-wide initialisation.
///
/// `curl_global_init` must run once before any other libcurl call and must not race with other
/// threads calling libcurl, so it runs in a `static let` initialiser: Swift runs that exactly once,
/// thread-safely, the first time any transfer needs it. `curl_global_cleanup` is never called —
/// libcurl stays initialised for the life of the process, which is what a server wants.
enum CurlGlobal {
    /// The `CURLcode` `curl_global_init` returned, as its raw value (plain integers are `Sendable`).
    private static let initResult: UInt32 = curl_global_init(CCURL_GLOBAL_DEFAULT).rawValue

    /// Initialises libcurl if no transfer has yet.
    ///
    /// - Throws: ``HTTPClientError/transport(code:message:)`` if libcurl could not initialise (out of
    ///   memory, or its TLS library failed); every later call throws the same.
    static func initialize() throws {
        guard initResult != CURLE_OK.rawValue else { return }
        let code = CURLcode(rawValue: initResult)
        throw HTTPClientError.transport(code: Int(initResult), message: String(cString: curl_easy_strerror(code)))
    }
}
