import Hummingbird

/// Decides who may call write endpoints.
///
/// - With `GATEWAY_API_TOKEN` set, every write needs `Authorization: Bearer <token>`.
/// - Without a token, writes are open only while the gateway listens on loopback alone (one person's
///   machine); a gateway reachable from other hosts refuses every write until a token is configured.
struct AccessControl: Sendable {
    private let token: [UInt8]?
    /// The gateway listens on an address other hosts can reach.
    let listensBeyondLoopback: Bool

    init(token: String?, host: String) {
        self.token = token.flatMap { $0.isEmpty ? nil : Array($0.utf8) }
        self.listensBeyondLoopback = !Self.isLoopback(host)
    }

    /// Whether writes need a credential at all.
    var requiresCredentials: Bool { token != nil || listensBeyondLoopback }

    /// - Throws: `APIError.unauthorized` unless the request may write.
    func authorizeWrite(_ request: Request, context: some RequestContext) async throws {
        guard let token else {
            if listensBeyondLoopback {
                throw APIError.unauthorized("write endpoints are disabled: the gateway listens beyond loopback, so start it with GATEWAY_API_TOKEN set")
            }
            return
        }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw APIError.unauthorized("send Authorization: Bearer <token>")
        }
        guard Self.constantTimeEqual(Array(header.dropFirst("Bearer ".count).utf8), token) else {
            throw APIError.unauthorized("the token is not valid")
        }
    }

    /// Compares in time that depends only on the expected length, so response timing does not reveal
    /// a matching prefix.
    static func constantTimeEqual(_ presented: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference = UInt8(presented.count == expected.count ? 0 : 1)
        for index in 0..<expected.count {
            difference |= expected[index] ^ (index < presented.count ? presented[index] : 0)
        }
        return difference == 0
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
