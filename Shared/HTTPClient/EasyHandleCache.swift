import CCurl
import Synchronization

/// Idle libcurl easy handles, kept for the next transfer.
///
/// Why a cache rather than a new handle per request: an easy handle owns its connection cache, DNS
/// cache and TLS session cache, so reusing it keeps keep-alive connections (and TLS sessions) to the
/// job boards and APIs the services call again and again, saving a TCP and TLS handshake per request.
/// What keeps reuse safe:
/// - `curl_easy_reset` on check-in clears every option, and with it every pointer into the finished
///   transfer (callback userdata, error buffer, header list); the next transfer sets all it needs.
/// - A handle whose transfer failed (timeout, size cap, cancellation, broken connection) is dropped,
///   not reused, so nothing half-read can reach the next request.
/// - Cookies are never enabled, so no state from one response leaks into another request.
/// - The cache holds at most `capacity` idle handles — the thread pool's size, since no more than that
///   many transfers run at once — so it cannot grow without bound.
final class EasyHandleCache: Sendable {
    private let idle: Mutex<[EasyHandle]>
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = max(0, capacity)
        self.idle = Mutex([])
    }

    /// An idle handle, or a new one when none is idle. The caller owns it until ``checkIn(_:reusable:)``.
    func checkOut() throws -> EasyHandle {
        if let handle = idle.withLock({ $0.popLast() }) {
            return handle
        }
        return try EasyHandle()
    }

    /// Returns a handle after its transfer, resetting it first.
    ///
    /// - Parameter reusable: `false` after a failed transfer; the handle is then released (and its
    ///   connections closed) instead of cached.
    func checkIn(_ handle: EasyHandle, reusable: Bool) {
        // Reset even a handle about to be dropped: it must not keep pointers into the transfer's
        // buffers, however briefly.
        curl_easy_reset(handle.raw)
        guard reusable else { return }
        idle.withLock { handles in
            if handles.count < capacity {
                handles.append(handle)
            }
        }
    }
}
