import Foundation
import GatewayService
import Hummingbird
import IngestionService
import Domain
import HummingbirdTesting
import IntegrationTesting
import JobsmithTesting
import Logging
import Messaging
import Runtime
import Store

/// The token the fixture's gateway requires on writes.
let testToken = "gateway-test-token-0123456789"

/// Runs `body` against the gateway's routes served in-process (Hummingbird's router test client, or a
/// live server on a loopback port with `.live`, which also runs the gateway's background services),
/// backed by a fresh migrated database and the test Redis under a prefix of its own.
///
/// - Parameter environment: Extra settings; `GATEWAY_API_TOKEN` defaults to `testToken`.
func withGateway(
    environment: [String: String] = [:],
    testing: TestingSetup = .router,
    _ body: @escaping @Sendable (any TestClientProtocol, ServiceContext) async throws -> Void
) async throws {
    var settings = ["GATEWAY_API_TOKEN": testToken, "MASTER_CV_PATH": TestEnvironment.repositoryRoot.appendingPathComponent("samples/master-cv.json").path]
    settings.merge(environment) { _, new in new }
    try await withServiceContext(.gateway, environment: settings, threads: 6) { context in
        let routes = try GatewayRoutes(context: context)
        let router = Router(context: ServiceRequestContext.self)
        routes.add(to: router)
        let application = Application(router: router, services: routes.services)
        try await application.test(testing) { client in
            try await body(client, context)
        }
    }
}

extension HTTPFields {
    /// Headers of an authorized JSON write.
    static var authorizedJSON: HTTPFields {
        [.authorization: "Bearer \(testToken)", .contentType: "application/json"]
    }
}

extension TestResponse {
    /// The body decoded as JSON into `type`.
    func json<Value: Decodable>(_ type: Value.Type = Value.self) throws -> Value {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(body.readableBytesView))
    }

    /// The body as a JSON object.
    func object() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] ?? [:]
    }

    /// The `error.code` of a JSON error body.
    var errorCode: String? {
        ((try? object())?["error"] as? [String: Any])?["code"] as? String
    }
}

/// The JSON body of `value`.
func jsonBody(_ value: Any) throws -> ByteBuffer {
    ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: value))
}

/// Stores the postings of the Ashby boards `companies` (file names without `.json`) as the ingestion
/// service stores them, and returns the new jobs' ids in id order.
@discardableResult
func seedAshbyJobs(_ context: ServiceContext, companies: [String] = ["Coder", "ClassDojo"]) async throws -> [Int] {
    var ids: [Int] = []
    for company in companies {
        let data = try Data(contentsOf: TestEnvironment.ashbyDatasetDirectory.appendingPathComponent("\(company).json"))
        let source = "ashby-\(company.lowercased())"
        let page = try AshbyBoardParser().parse(data, context: BoardContext(source: source, board: company.lowercased()))
        let prepared = page.postings.map { PostingPreparer.prepare($0, scorer: nil, threshold: 0) }
        let outcome = try await context.store.ingest(prepared, source: source, runID: UUID()) { _, _ in false }
        ids += outcome.touchedJobIDs
    }
    return ids.sorted()
}
