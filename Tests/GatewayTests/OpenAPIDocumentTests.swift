import Foundation
import GatewayService
import Hummingbird
import HummingbirdTesting
import Runtime
import Testing

/// The OpenAPI document served at /openapi.json against the routes the gateway really has.
@Suite("OpenAPI document") struct OpenAPIDocumentTests {
    /// Every (method, path) the router serves; a route's description writes captures as OpenAPI does, `{name}`.
    func routes(_ context: ServiceContext) throws -> Set<String> {
        let router = Router(context: ServiceRequestContext.self)
        try GatewayRoutes(context: context).add(to: router)
        // The web UI's pages and assets are not part of the API.
        return Set(router.routes.map { "\($0.method.rawValue) \($0.path.description)" }
            .filter { $0.contains(" /api/") || $0.hasSuffix(" /openapi.json") })
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteExists() async throws {
        try await withGateway { client, context in
            var documented = Set<String>()
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                let document = try response.object()
                #expect(document["openapi"] as? String == "3.1.0")
                let paths = document["paths"] as? [String: [String: Any]] ?? [:]
                for (path, operations) in paths {
                    for method in operations.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                        documented.insert("\(method.uppercased()) \(path)")
                    }
                }
            }
            let served = try routes(context)
            #expect(served.subtracting(documented).sorted() == [], "routes missing from the document")
            #expect(documented.subtracting(served).sorted() == [], "documented routes the gateway does not serve")
        }
    }

    @Test func everyOperationDocumentsItsErrorsAndWritesTheirAuth() async throws {
        try await withGateway { client, _ in
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                let paths = try response.object()["paths"] as? [String: [String: [String: Any]]] ?? [:]
                for (path, operations) in paths {
                    for (method, operation) in operations {
                        let responses = operation["responses"] as? [String: Any] ?? [:]
                        #expect(responses["default"] != nil, "\(method) \(path) does not document its error shape")
                        if method != "get", path.hasPrefix("/api/"), path != "/api/session" {
                            #expect(operation["security"] != nil, "\(method) \(path) is a write without security")
                        }
                    }
                }
            }
        }
    }
}
