import Foundation
import Hummingbird
import IntegrationTesting
import NIOCore

/// A loopback server that answers like the real job boards, with their real payloads.
enum BoardServer {
    static func start(extraRoutes: (Router<BasicRequestContext>) -> Void = { _ in }) async throws -> LoopbackServer {
        let router = Router()
        let routes: [(String, String, String)] = [
            ("v1/boards/catawiki/jobs", "greenhouse/tech-jobs-hub_catawiki_full.json", "application/json"),
            ("v1/boards/smarterdx/jobs", "greenhouse/ATS_Polling_greenhouse.json", "application/json"),
            ("v1/boards/duolingo/jobs", "greenhouse/jobops_greenhouse_sample.json", "application/json"),
            ("v0/postings/palantir-sample", "lever/jobops_lever_sample.json", "application/json"),
            ("posting-api/job-board/openevidence", "ashby/ATS_Polling_ashby.json", "application/json"),
            ("posting-api/job-board/ramp", "ashby/jobops_ashby_sample.json", "application/json"),
            ("posting-api/job-board/ellipsislabs", "ashby/stapply_ellipsislabs.json", "application/json"),
            ("posting-api/job-board/gimlet", "ashby/stapply_gimlet.json", "application/json"),
            ("v0/postings/palantir", "lever/ATS_Polling_lever.json", "application/json"),
            ("posting-api/job-board/notion", "ashby/stapply_notion.json", "application/json"),
            ("posting-api/job-board/double", "ashby/stapply_double.json", "application/json"),
            ("api/remote-jobs", "remotive/WorkVerse_remotive.json", "application/json"),
            ("remoteok/api", "remoteok/resume-helper_remoteok.json", "application/json"),
            ("remote-jobs.rss", "rss/remote-jobs-collector_wwr.xml", "application/rss+xml"),
        ]
        for (path, fixture, contentType) in routes {
            let bytes = try boardFixture(fixture)
            router.get(RouterPath(path)) { _, _ in
                Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
            }
        }
        // Himalayas pages with `offset`; the fixture is its first page, and the pages after it are empty.
        let himalayas = try boardFixture("himalayas/remote-jobs-collector_himalayas.json")
        router.get("jobs/api") { request, _ in
            let offset = request.uri.queryParameters.get("offset", as: Int.self) ?? 0
            if offset == 0 { return bytes(Array(himalayas)) }
            return json(#"{"offset": \#(offset), "limit": 5, "totalCount": 100371, "jobs": []}"#)
        }
        extraRoutes(router)
        return try await LoopbackServer.start(router)
    }

    static func json(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func bytes(_ bytes: [UInt8], contentType: String = "application/json") -> Response {
        Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
