import Foundation
import HTTPTypes
import Hummingbird
import Runtime
import NIOCore

/// Tells clients apart for counting their failed credentials.
///
/// In order: the last address of `X-Forwarded-For` when `GATEWAY_TRUST_FORWARDED_FOR=1` (the one the
/// reverse proxy in front of the gateway added; the ones before it are whatever the client claimed),
/// then the connection's peer (`ServiceRequestContext` records it), and otherwise the fixed key
/// `unknown` — only the in-process test client has no peer.
struct ClientAddress: Sendable {
    static let unknown = "unknown"
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    let trustForwardedFor: Bool

    func key(of request: Request, context: some RequestContext) -> String {
        if trustForwardedFor, let forwarded = request.headers[values: Self.forwardedFor].last {
            let nearest = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces) ?? ""
            if !nearest.isEmpty { return nearest }
        }
        if let peer = (context as? any RemoteAddressRequestContext)?.remoteAddress, let address = peer.ipAddress {
            return address
        }
        return Self.unknown
    }
}
