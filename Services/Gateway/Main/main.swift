import GatewayService
import Messaging
import Runtime

await ServiceRunner.main(.gateway) { context in
    let routes = try GatewayRoutes(context: context)
    return ServiceParts(routes: { router in routes.add(to: router) }, services: routes.services)
}
