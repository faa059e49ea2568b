import Hummingbird
import NIOCore

/// The request context of every service's HTTP server: Hummingbird's basic context plus the
/// connection's peer address, which the gateway needs to tell clients apart (rate limits on failed
/// credentials) and the tracing middleware records.
public struct ServiceRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
