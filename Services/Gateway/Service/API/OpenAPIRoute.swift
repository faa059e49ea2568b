import Hummingbird
import Runtime

/// `GET /openapi.json`: the API's OpenAPI 3.1 document, kept beside the code in
/// `Resources/openapi.json` and compiled into the binary. A test checks it against the routes.
enum OpenAPIRoute {
    static let document = ByteBuffer(bytes: PackageResources.openapi_json)

    static func add(to router: Router<ServiceRequestContext>) {
        router.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: document))
        }
    }
}
