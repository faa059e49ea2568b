import Foundation
import Hummingbird
import HummingbirdTesting
import JobsmithTesting
import Testing

/// The web UI's pages and assets as the gateway serves them.
@Suite("Web pages") struct WebPageTests {
    @Test func everyPageIsServedWithItsScriptAndAStrictContentSecurityPolicy() async throws {
        try await withGateway { client, _ in
            for (path, page) in [("/", "jobs"), ("/jobs/7", "job"), ("/queue", "queue"), ("/ingestion", "ingestion"),
                                 ("/pipeline", "pipeline"), ("/master-cv", "master-cv")] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok, "\(path)")
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                    let policy = response.headers[.contentSecurityPolicy] ?? ""
                    #expect(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"), "\(path): \(policy)")
                    let html = String(buffer: response.body)
                    #expect(html.contains("data-page=\"\(page)\""))
                    #expect(html.contains("<script src=\"/assets/\(page).js\"></script>"))
                    #expect(html.contains("aria-current=\"page\""), "\(path) marks no navigation entry as current")
                }
            }
            try await client.execute(uri: "/jobs/7", method: .get) { response in
                #expect(String(buffer: response.body).contains("data-job-id=\"7\""))
            }
        }
    }

    @Test func assetsAreServedWithTheirTypesAndUnknownOnesAre404() async throws {
        try await withGateway { client, _ in
            try await client.execute(uri: "/assets/app.js", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/javascript; charset=utf-8")
                #expect(String(buffer: response.body).contains("const Jobsmith"))
            }
            try await client.execute(uri: "/assets/app.css", method: .get) { response in
                #expect(response.headers[.contentType] == "text/css; charset=utf-8")
            }
            try await client.execute(uri: "/assets/secrets.txt", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/jobs/not-a-number", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func pagesSayWhetherWritesNeedCredentials() async throws {
        try await withGateway { client, _ in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(String(buffer: response.body).contains("data-requires-credentials=\"true\""))
            }
        }
        try await withGateway(environment: ["GATEWAY_API_TOKEN": ""]) { client, _ in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(String(buffer: response.body).contains("data-requires-credentials=\"false\""))
            }
        }
    }

    @Test func aWebRootServesTheFilesOnDiskWithoutARebuild() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("web-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let source = TestEnvironment.repositoryRoot.appendingPathComponent("Services/Gateway/Service/Web")
        try FileManager.default.copyItem(at: source, to: root)
        let queue = root.appendingPathComponent("Templates/queue.mustache")
        try (try String(contentsOf: queue, encoding: .utf8)).replacingOccurrences(of: "<h1", with: "<p>edited on disk</p><h1")
            .write(to: queue, atomically: true, encoding: .utf8)
        try "/* edited on disk */".write(to: root.appendingPathComponent("Assets/queue.css"), atomically: true, encoding: .utf8)
        try await withGateway(environment: ["GATEWAY_WEB_ROOT": root.path]) { client, _ in
            try await client.execute(uri: "/queue", method: .get) { response in
                #expect(String(buffer: response.body).contains("edited on disk"))
            }
            try await client.execute(uri: "/assets/queue.css", method: .get) { response in
                #expect(String(buffer: response.body) == "/* edited on disk */")
            }
        }
    }
}
