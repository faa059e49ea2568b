import Hummingbird

/// The web UI's files, compiled into the binary (the product runs offline: no CDN, nothing to ship
/// beside the executable).
enum WebAssets {
    struct Asset {
        var bytes: ByteBuffer
        var contentType: String
    }

    /// Scripts and the stylesheet, by the name the pages link them under `/assets/`.
    static let files: [String: Asset] = [
        "app.css": style(PackageResources.app_css),
        "app.js": script(PackageResources.app_js),
        "theme.js": script(PackageResources.theme_js),
        "jobs.js": script(PackageResources.jobs_js),
        "job.js": script(PackageResources.job_js),
        "queue.js": script(PackageResources.queue_js),
        "ingestion.js": script(PackageResources.ingestion_js),
        "pipeline.js": script(PackageResources.pipeline_js),
        "master-cv.js": script(PackageResources.master_cv_js),
        "jobs.css": style(PackageResources.jobs_css),
        "job.css": style(PackageResources.job_css),
        "queue.css": style(PackageResources.queue_css),
        "ingestion.css": style(PackageResources.ingestion_css),
        "pipeline.css": style(PackageResources.pipeline_css),
        "master-cv.css": style(PackageResources.master_cv_css),
    ]

    /// The page templates, by name (`layout` is the parent every page extends).
    static let templates: [String: [UInt8]] = [
        "layout": PackageResources.layout_mustache,
        "jobs": PackageResources.jobs_mustache,
        "job": PackageResources.job_mustache,
        "queue": PackageResources.queue_mustache,
        "ingestion": PackageResources.ingestion_mustache,
        "pipeline": PackageResources.pipeline_mustache,
        "master-cv": PackageResources.master_cv_mustache,
    ]

    private static func style(_ bytes: [UInt8]) -> Asset {
        Asset(bytes: ByteBuffer(bytes: bytes), contentType: "text/css; charset=utf-8")
    }

    private static func script(_ bytes: [UInt8]) -> Asset {
        Asset(bytes: ByteBuffer(bytes: bytes), contentType: "text/javascript; charset=utf-8")
    }
}
