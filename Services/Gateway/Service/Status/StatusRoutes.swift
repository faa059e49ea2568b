import Foundation
import Hummingbird
import Messaging
import Runtime

/// `GET /api/status`: services, replicas, streams, throughput and the stores, in one report.
///
/// The report is built and encoded at most about once a second per gateway replica and shared by
/// every request in that second (see `RefreshingCache`), so the endpoint can be polled hard without
/// loading Redis or PostgreSQL, or the gateway's own CPU with JSON encoding. It always answers 200: a
/// failing store shows in the report, not as an error.
struct StatusRoutes: Sendable {
    static let reportLifetime: Duration = .seconds(1)

    /// A report with its JSON, encoded once for all the requests that share it.
    struct EncodedReport: Sendable {
        var report: StatusReport
        var json: ByteBuffer
    }

    let cache: RefreshingCache<EncodedReport>

    init(context: ServiceContext) {
        let collector = StatusCollector(context: context)
        self.cache = RefreshingCache(maximumAge: Self.reportLifetime) {
            let report = await collector.collect()
            return EncodedReport(report: report, json: Self.encode(report))
        }
    }

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.get("status", use: status)
    }

    @Sendable func status(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        let encoded = await cache.value()
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-cache"],
            body: ResponseBody(byteBuffer: encoded.json)
        )
    }

    /// Encodes as the API encodes every response (ISO 8601 dates).
    private static func encode(_ report: StatusReport) -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        do {
            return ByteBuffer(bytes: try encoder.encode(report))
        } catch {
            // Every field is a plain value; this cannot fail, and if it did the answer still says so.
            return ByteBuffer(string: #"{"status":"degraded","reasons":["the status report could not be encoded"]}"#)
        }
    }
}
