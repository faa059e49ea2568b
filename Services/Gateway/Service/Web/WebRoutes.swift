import Foundation
import Hummingbird
import Mustache
import NIOPosix
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
    /// `GATEWAY_WEB_ROOT`: a folder laid out as `Web/` (`Templates/`, `Assets/`) read on every request
    /// instead of the copy compiled in, so that working on the UI needs no rebuild.
    let webRoot: String?

    /// Where the files under `webRoot` are read: reading a file blocks.
    let threadPool: NIOThreadPool

    init(access: AccessControl, webRoot: String? = nil, threadPool: NIOThreadPool) throws {
        self.library = try Self.library { name in WebAssets.templates[name] }
        self.requiresCredentials = access.requiresCredentials
        self.webRoot = webRoot.flatMap { $0.isEmpty ? nil : $0 }
        self.threadPool = threadPool
    }

    private static func library(_ template: (String) throws -> [UInt8]?) throws -> MustacheLibrary {
        var library = MustacheLibrary()
        for name in WebAssets.templates.keys {
            guard let bytes = try template(name) else { continue }
            try library.register(String(decoding: bytes, as: UTF8.self), named: name)
        }
        return library
    }

    /// The files at `paths` under `webRoot` that exist, read on the thread pool.
    private func fromDisk(_ paths: [String]) async throws -> [String: [UInt8]] {
        guard let webRoot else { return [:] }
        return try await threadPool.runIfActive {
            var files: [String: [UInt8]] = [:]
            for path in paths {
                files[path] = FileManager.default.contents(atPath: "\(webRoot)/\(path)").map(Array.init)
            }
            return files
        }
    }

    func add(to router: Router<ServiceRequestContext>) {
        for page in Self.navigation {
            router.get(RouterPath(page.path)) { _, _ in try await render(page.template, title: page.label, current: page.path) }
        }
        router.get("jobs/:id") { _, context in
            let id = try positiveInteger("id", in: context)
            return try await render("job", title: "Job \(id)", current: "/", extra: ["jobID": id])
        }
        router.get("assets/:file") { _, context in
            let name = context.parameters.get("file") ?? ""
            guard var asset = WebAssets.files[name] else { throw APIError.notFound("no such asset") }
            if let bytes = try await fromDisk(["Assets/\(name)"]).values.first { asset.bytes = ByteBuffer(bytes: bytes) }
            var headers = Self.securityHeaders
            headers[.contentType] = asset.contentType
            headers[.cacheControl] = "no-cache"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: asset.bytes))
        }
    }

    private func render(_ template: String, title: String, current: String, extra: [String: Any] = [:]) async throws -> Response {
        var values: [String: Any] = [
            "title": title,
            "page": template,
            "requiresCredentials": requiresCredentials ? "true" : "false",
            "navigation": Self.navigation.map { ["path": $0.path, "label": $0.label, "current": $0.path == current] },
        ]
        values.merge(extra) { _, new in new }
        var library = self.library
        if webRoot != nil {
            let files = try await fromDisk(WebAssets.templates.keys.map { "Templates/\($0).mustache" })
            library = try Self.library { name in files["Templates/\(name).mustache"] }
        }
        guard let html = library.render(values, withTemplate: template) else { throw APIError.internalError }
        var headers = Self.securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}
