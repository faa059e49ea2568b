import Hummingbird

/// The bearer token that write endpoints require (`GATEWAY_API_TOKEN`).
///
/// Without a configured token, writes are refused rather than open: the gateway may be reachable by
/// more than its owner.
struct APIToken: Sendable {
    private let token: [UInt8]?

    init(_ token: String?) {
        self.token = token.map { Array($0.utf8) }
    }

    /// - Throws: `APIError.unauthorized` unless the request carries `Authorization: Bearer <token>`.
    func authorize(_ request: Request) throws {
        guard let token else {
            throw APIError.unauthorized("write endpoints are disabled: start the gateway with GATEWAY_API_TOKEN set")
        }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw APIError.unauthorized("send Authorization: Bearer <token>")
        }
        let presented = Array(header.dropFirst("Bearer ".count).utf8)
        // Compare in constant time so response timing does not reveal a matching prefix.
        var difference = UInt8(presented.count == token.count ? 0 : 1)
        for index in 0..<token.count {
            difference |= token[index] ^ (index < presented.count ? presented[index] : 0)
        }
        guard difference == 0 else { throw APIError.unauthorized("the token is not valid") }
    }
}
