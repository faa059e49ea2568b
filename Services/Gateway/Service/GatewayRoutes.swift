import Foundation
import Hummingbird
import Logging
import Messaging
import Runtime
import ServiceLifecycle
import Store

/// The REST API: every route group, the access rules they share, and the JSON error shape.
public struct GatewayRoutes: Sendable {
    let context: ServiceContext
    let access: AccessControl
    let masterCV: MasterCVSource
    let events: EventHub
    let web: WebRoutes

    /// - Throws: `ConfigurationError` for an unusable security setting (see `AccessControl`).
    public init(context: ServiceContext) throws {
        self.context = context
        let environment = context.configuration.environment
        self.access = try AccessControl(context: context)
        self.masterCV = MasterCVSource(
            store: context.store,
            seedPath: environment.string("MASTER_CV_PATH", default: "samples/master-cv.json"),
            threadPool: context.threadPool,
            logger: context.logger,
            refreshInterval: .zero
        )
        self.web = try WebRoutes(access: access, webRoot: environment.string("GATEWAY_WEB_ROOT"), threadPool: context.threadPool)
        self.events = EventHub(redis: context.redis, stream: context.streams.events, logger: context.logger)
    }

    /// Long-running parts of the gateway the service group runs beside the HTTP server.
    public var services: [any Service] { [events] }

    public func add(to router: Router<ServiceRequestContext>) {
        // On the router rather than the group, so that unknown paths get the JSON error shape too.
        let table = RouteTable()
        router.add(middleware: access.middleware)
        router.add(middleware: APIErrorMiddleware(routes: table))
        OpenAPIRoute.add(to: router)
        let api = router.group("api")
        JobRoutes(context: context, access: access).add(to: api)
        IngestionRoutes(context: context, access: access).add(to: api)
        OperationRoutes(context: context, access: access).add(to: api)
        EventRoutes(context: context, hub: events).add(to: api)
        StatusRoutes(context: context).add(to: api)
        DeadLetterRoutes(context: context, access: access).add(to: api)
        SessionRoutes(access: access).add(to: api)
        SourceRoutes(store: context.store, access: access).add(to: api)
        MasterCVRoutes(store: context.store, source: masterCV, access: access).add(to: api)
        DocumentRoutes(store: context.store, access: access).add(to: api)
        AnnotationRoutes(store: context.store, access: access).add(to: api)
        web.add(to: router)
        table.record(router)
    }
}
