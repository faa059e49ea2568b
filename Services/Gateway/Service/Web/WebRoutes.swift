import Hummingbird
import Mustache
import Runtime

/// The web UI: server-rendered pages (Mustache templates) that small scripts bring to life through
/// the REST API, and the assets they use.
///
/// Every page is sent with a Content-Security-Policy that allows only the gateway's own scripts and
/// styles: even if job-board HTML slipped a `<script>` or an `onerror=` past the sanitizer, the
/// browser would not run it.
struct WebRoutes: Sendable {
    struct Page: Sendable {
        var path: String
        var template: String
        var label: String
    }

    /// The pages in navigation order; the job page is reached from the list.
    static let navigation = [
        Page(path: "/", template: "jobs", label: "Jobs"),
        Page(path: "/queue", template: "queue", label: "Queue"),
        Page(path: "/ingestion", template: "ingestion", label: "Ingestion"),
        Page(path: "/pipeline", template: "pipeline", label: "Pipeline"),
        Page(path: "/master-cv", template: "master-cv", label: "Master CV"),
    ]

    static let securityHeaders: HTTPFields = [
        .contentSecurityPolicy: "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        .xContentTypeOptions: "nosniff",
    ]

    let library: MustacheLibrary
    let requiresCredentials: Bool

    init(access: AccessControl) throws {
        var library = MustacheLibrary()
        for (name, bytes) in WebAssets.templates {
            try library.register(String(decoding: bytes, as: UTF8.self), named: name)
        }
        self.library = library
        self.requiresCredentials = access.requiresCredentials
    }

    func add(to router: Router<ServiceRequestContext>) {
        for page in Self.navigation {
            router.get(RouterPath(page.path)) { _, _ in try render(page.template, title: page.label, current: page.path) }
        }
        router.get("jobs/:id") { _, context in
            let id = try positiveInteger("id", in: context)
            return try render("job", title: "Job \(id)", current: "/", extra: ["jobID": id])
        }
        router.get("assets/:file") { _, context in
            guard let asset = WebAssets.files[context.parameters.get("file") ?? ""] else {
                throw APIError.notFound("no such asset")
            }
            var headers = Self.securityHeaders
            headers[.contentType] = asset.contentType
            headers[.cacheControl] = "no-cache"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: asset.bytes))
        }
    }

    private func render(_ template: String, title: String, current: String, extra: [String: Any] = [:]) throws -> Response {
        var values: [String: Any] = [
            "title": title,
            "page": template,
            "requiresCredentials": requiresCredentials ? "true" : "false",
            "navigation": Self.navigation.map { ["path": $0.path, "label": $0.label, "current": $0.path == current] },
        ]
        values.merge(extra) { _, new in new }
        guard let html = library.render(values, withTemplate: template) else { throw APIError.internalError }
        var headers = Self.securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}
