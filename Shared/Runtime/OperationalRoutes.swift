import Foundation
import Hummingbird
import Messaging
import Postgres
import Prometheus
import Redis

/// `/healthz`, `/readyz` and `/metrics`, served by every service.
///
/// Liveness says only that the process answers. Readiness checks the service's real dependencies
/// (Redis and PostgreSQL) each time it is asked, so it reports a broken dependency instead of a fixed
/// "degraded"; and a draining replica is not ready, so a load balancer stops sending it requests.
public enum OperationalRoutes {
    struct Health: ResponseCodable {
        var status: String
        var service: String
        var instance: String
        var checks: [String: String]?
    }

    public static func add<Context: RequestContext>(to router: Router<Context>, context: ServiceContext, registry: PrometheusCollectorRegistry) {
        let service = context.configuration.service.rawValue
        let instance = context.configuration.instance
        router.get("/healthz") { _, _ in
            Health(status: "ok", service: service, instance: instance)
        }
        router.get("/readyz") { _, _ -> EditedResponse<Health> in
            var checks: [String: String] = [:]
            async let redisCheck = check { try await context.redis.send("PING") }
            async let databaseCheck = check { try await context.database.query("SELECT 1") }
            checks["redis"] = await redisCheck
            checks["postgres"] = await databaseCheck
            let draining = context.lifecycle.isDraining
            let ready = !draining && checks.values.allSatisfy { $0 == "ok" }
            let status = draining ? "draining" : ready ? "ready" : "not_ready"
            return EditedResponse(
                status: ready ? .ok : .serviceUnavailable,
                response: Health(status: status, service: service, instance: instance, checks: checks)
            )
        }
        router.get("/metrics") { _, _ in
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: buffer))
            )
        }
    }

    /// Runs a dependency check, answering `ok` or the failure in a few words (never a secret: errors
    /// carry redacted URLs only).
    private static func check(_ probe: @Sendable () async throws -> some Sendable) async -> String {
        do {
            _ = try await probe()
            return "ok"
        } catch {
            return "failing: \(error)"
        }
    }
}
