import Foundation
import HTTPClient
import IntegrationTesting
import JobsmithTesting
import NIOPosix
import Redis
import Testing

/// Launches the five built service binaries against the test Redis and PostgreSQL, ingests real Ashby
/// postings and follows them through every stage by the gateway's REST API only.
@Suite(.serialized) struct PipelineEndToEndTests {
    static let services = ["ingestion", "extraction", "research", "cv-generator", "gateway"]

    /// Where `swift build` put the binaries: `JOBSMITH_BIN_DIR`, else beside the test bundle.
    static var binaryDirectory: URL {
        if let path = ProcessInfo.processInfo.environment["JOBSMITH_BIN_DIR"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    /// Copies Ashby boards (in name order) until they hold at least `minimum` listed postings.
    static func prepareBoards(in folder: URL, minimum: Int) throws -> Int {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let dataset = TestEnvironment.ashbyDatasetDirectory
        let files = try FileManager.default.contentsOfDirectory(atPath: dataset.path).filter { $0.hasSuffix(".json") }.sorted()
        var listed = 0
        for file in files where listed < minimum {
            let data = try Data(contentsOf: dataset.appendingPathComponent(file))
            let board = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            let jobs = board?["jobs"] as? [[String: Any]] ?? []
            listed += jobs.filter { ($0["isListed"] as? Bool) != false }.count
            try data.write(to: folder.appendingPathComponent(file))
        }
        return listed
    }

    @Test func postingsFlowThroughEveryStage() async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("e2e"))
        let boards = work.appendingPathComponent("boards")
        let expected = try Self.prepareBoards(in: boards, minimum: 120)
        #expect(expected >= 100)
        let sources = work.appendingPathComponent("sources.json")
        try Data(#"[{"name": "e2e", "kind": "file", "location": "boards"}]"#.utf8).write(to: sources)

        let database = try TestDatabase.create(prefix: "e2e")
        let prefix = TestEnvironment.uniqueName("e2e")
        let token = UUID().uuidString
        var base = ProcessInfo.processInfo.environment
        base["REDIS_URL"] = TestEnvironment.redisURL
        base["DATABASE_URL"] = database.url
        base["JOBSMITH_STREAM_PREFIX"] = prefix
        base["INGESTION_SOURCES_FILE"] = sources.path
        base["MASTER_CV_PATH"] = TestEnvironment.repositoryRoot.appendingPathComponent("samples/master-cv.json").path
        base["CV_OUTPUT_DIR"] = work.appendingPathComponent("output").path
        base["GATEWAY_API_TOKEN"] = token
        base["HEARTBEAT_INTERVAL_MS"] = "500"
        base["JOBSMITH_THREADS"] = "2"

        var processes: [ServiceProcess] = []
        for name in Self.services {
            var environment = base
            let port = try ServiceProcess.freePort()
            environment["HTTP_PORT"] = String(port)
            environment["JOBSMITH_INSTANCE"] = "\(name)-1"
            let process = try ServiceProcess(
                executable: Self.binaryDirectory.appendingPathComponent(name), name: name, port: port,
                environment: environment, logDirectory: work
            )
            try process.start()
            processes.append(process)
        }
        let threads = NIOThreadPool(numberOfThreads: 2)
        threads.start()
        let http = HTTPClient(threadPool: threads)
        let gateway = "http://127.0.0.1:\(processes.last!.port)"

        do {
            for process in processes {
                try await waitUntil("\(process.name) is ready", timeout: .seconds(60), process: process) {
                    (try? await http.get("http://127.0.0.1:\(process.port)/readyz"))?.status == 200
                }
            }
            try await checkBadRequests(http: http, gateway: gateway, token: token)

            let started = ContinuousClock.now
            let run = try await http.execute(HTTPRequest(
                method: .post, url: "\(gateway)/api/ingest/e2e/run", headers: [HTTPHeader(name: "Authorization", value: "Bearer \(token)")]
            ))
            #expect(run.status == 202)
            #expect(try json(run)["run_id"] as? String != nil)

            var jobs: [[String: Any]] = []
            try await waitUntil("every job has a CV", timeout: .seconds(180), process: nil) {
                let response = try await http.get("\(gateway)/api/jobs?per_page=200")
                guard response.status == 200, let page = try? json(response) else {
                    throw EndToEndFailure("GET /api/jobs answered \(response.status): \(response.bodyText.prefix(300))")
                }
                jobs = page["items"] as? [[String: Any]] ?? []
                return (page["total"] as? Int) == expected && jobs.count == expected && jobs.allSatisfy { stage($0, "cv") }
            }
            let elapsed = ContinuousClock.now - started
            print("end-to-end: \(expected) postings through all stages in \(elapsed)")
            #expect(jobs.count == expected)
            #expect(jobs.allSatisfy { stage($0, "extracted") && stage($0, "researched") && stage($0, "cv") })

            // Every stage's result is there and non-empty, for every job.
            for job in jobs {
                let id = job["id"] as! Int
                let detail = try json(await http.get("\(gateway)/api/jobs/\(id)"))
                let posting = detail["job"] as? [String: Any]
                let extraction = detail["extraction"] as? [String: Any]
                let research = detail["research"] as? [String: Any]
                let cv = detail["cv"] as? [String: Any]
                let cleanText = extraction?["clean_text"] as? String ?? ""
                let sections = extraction?["sections"] as? [Any] ?? []
                let company = research?["normalized_name"] as? String ?? ""
                let markdown = cv?["markdown"] as? String ?? ""
                let title = posting?["title"] as? String ?? "\u{0}"
                #expect(!cleanText.isEmpty, "job \(id) has no clean text")
                #expect(!sections.isEmpty, "job \(id) has no sections")
                // The deterministic engine analysed it and scored it against the master CV, offline.
                let analysis = extraction?["analysis"] as? [String: Any]
                let fit = extraction?["fit"] as? [String: Any]
                let weights = analysis?["competency_weights"] as? [String: Int] ?? [:]
                #expect(weights.values.reduce(0, +) == 100, "job \(id) has no competency weights")
                #expect(analysis?["role_category"] is String, "job \(id) has no role category")
                #expect((fit?["score"] as? Int).map { (0...100).contains($0) } == true, "job \(id) has no fit score")
                #expect(posting?["fit_score"] as? Int == fit?["score"] as? Int, "job \(id)'s list score is not its fit score")
                #expect(extraction?["producer"] as? String == "deterministic")
                // Offline, research builds every profile from the posting and says why the web
                // providers were skipped.
                let profile = research?["profile"] as? [String: Any]
                let providers = research?["providers"] as? [[String: Any]] ?? []
                let outcomes = Dictionary(providers.compactMap { report in
                    (report["provider"] as? String).map { ($0, report["outcome"] as? String ?? "") }
                }, uniquingKeysWith: { first, _ in first })
                #expect(profile?["company_type"] is String, "job \(id) has no company profile")
                if research?["cache_hit"] as? Bool == false {
                    #expect(outcomes["posting"] == "used", "job \(id): \(providers)")
                    #expect(outcomes["website"] == "skipped" && outcomes["firecrawl"] == "skipped", "job \(id): \(providers)")
                    #expect(providers.allSatisfy { ($0["outcome"] as? String) != "skipped" || !(($0["detail"] as? String) ?? "").isEmpty })
                }
                let contacts = research?["contacts"] as? [[String: Any]] ?? []
                #expect((1...5).contains(contacts.count), "job \(id) has \(contacts.count) contacts")
                #expect(!company.isEmpty, "job \(id) has no company")
                #expect(markdown.contains(title), "job \(id)'s CV does not name its title")
                // Every claim of every CV traces to the master CV.
                let integrity = cv?["integrity"] as? [String: Any]
                let claims = integrity?["claims"] as? [[String: Any]] ?? []
                #expect(cv?["ready"] as? Bool == true, "job \(id)'s CV is not ready: \(claims.filter { $0["source"] == nil })")
                #expect(!claims.isEmpty && claims.allSatisfy { $0["source"] is String })
            }

            // Status: five healthy services and nothing left pending or dead.
            var status: [String: Any] = [:]
            try await waitUntil("streams are drained", timeout: .seconds(20), process: nil) {
                guard let current = try? json(await http.get("\(gateway)/api/status")) else { return false }
                status = current
                let streams = current["streams"] as? [[String: Any]] ?? []
                // Four pipeline streams and the command streams of extraction, research and cv-generator.
                return streams.count == 7 && streams.allSatisfy { ($0["pending"] as? Int) == 0 && ($0["lag"] as? Int) == 0 }
            }
            let services = status["services"] as? [[String: Any]] ?? []
            // A whole system running with nothing dead-lettered is healthy, and says so.
            #expect(status["status"] as? String == "ok", "\(status)")
            #expect(services.count == 5)
            #expect(services.allSatisfy { ($0["healthy"] as? Bool) == true })
            #expect(Set(services.compactMap { $0["name"] as? String }) == Set(Self.services))
            for stream in status["streams"] as? [[String: Any]] ?? [] {
                #expect(stream["pending"] as? Int == 0, "\(stream["stream"] ?? "") has pending entries")
                #expect(stream["dead_letters"] as? Int == 0, "\(stream["stream"] ?? "") has dead letters")
            }
            try await checkSources(http: http, gateway: gateway, token: token, boards: boards, expected: expected)
            try await checkMasterCV(http: http, gateway: gateway, token: token)
            try await checkDocuments(http: http, gateway: gateway, token: token, job: jobs[0], output: work.appendingPathComponent("output"))

            // Each worker's Prometheus endpoint counts what it handled.
            let extraction = processes.first { $0.name == "extraction" }!
            let metrics = try await http.get("http://127.0.0.1:\(extraction.port)/metrics").bodyText
            #expect(metrics.contains("jobsmith_messages_handled_total"))
        } catch {
            for process in processes { print("--- \(process.name) log ---\n\(process.log.suffix(3000))") }
            throw error
        }

        // SIGTERM: every service finishes and exits cleanly.
        for process in processes.reversed() {
            let status = await process.terminate()
            #expect(status == 0, "\(process.name) exited with \(String(describing: status))\n\(process.log.suffix(2000))")
        }
        // A replica that stops gracefully takes its heartbeat with it, so status shows no ghost.
        let redis = try RedisConnection(configuration: TestRedis.configuration())
        #expect(try redis.send("HLEN", "\(prefix):heartbeats").int == 0)
        redis.close()
        try await threads.shutdownGracefully()
        database.drop()
        TestRedis.deleteKeys(prefix: prefix)
        try? FileManager.default.removeItem(at: work)
    }

    /// Bad input gets a 4xx with the JSON error shape, and changes nothing.
    func checkBadRequests(http: HTTPClient, gateway: String, token: String) async throws {
        let cases: [(HTTPRequest, Int, String)] = [
            (HTTPRequest(method: .post, url: "\(gateway)/api/ingest/e2e/run"), 401, "unauthorized"),
            (HTTPRequest(method: .post, url: "\(gateway)/api/ingest/e2e/run", headers: [HTTPHeader(name: "Authorization", value: "Bearer wrong")]), 401, "unauthorized"),
            (HTTPRequest(method: .post, url: "\(gateway)/api/ingest/nope/run", headers: [HTTPHeader(name: "Authorization", value: "Bearer \(token)")]), 404, "not_found"),
            (HTTPRequest(url: "\(gateway)/api/jobs/abc"), 400, "bad_request"),
            (HTTPRequest(url: "\(gateway)/api/jobs/999999"), 404, "not_found"),
            (HTTPRequest(url: "\(gateway)/api/jobs?per_page=0"), 400, "bad_request"),
            (HTTPRequest(url: "\(gateway)/api/jobs?page=x"), 400, "bad_request"),
            (HTTPRequest(url: "\(gateway)/api/nothing-here"), 404, "not_found"),
        ]
        for (request, status, code) in cases {
            let response = try await http.execute(request)
            #expect(response.status == status, "\(request.method.rawValue) \(request.url)")
            let error = try json(response)["error"] as? [String: Any]
            #expect(error?["code"] as? String == code, "\(request.method.rawValue) \(request.url): \(response.bodyText)")
            let message = error?["message"] as? String ?? ""
            #expect(!message.isEmpty)
        }
        let empty = try json(await http.get("\(gateway)/api/jobs"))
        #expect(empty["total"] as? Int == 0)
    }

    /// Sources through the API: history of the run above, a second source over the same files (every
    /// posting is a duplicate of a stored job), validation, disable, delete.
    /// A job's documents: the CV, cover letter and outreach versions, the files, and a user's edit.
    func checkDocuments(http: HTTPClient, gateway: String, token: String, job: [String: Any], output: URL) async throws {
        let id = try #require(job["id"] as? Int)
        let documents = try json(await http.get("\(gateway)/api/jobs/\(id)/documents"))["items"] as? [[String: Any]] ?? []
        let kinds = Set(documents.compactMap { $0["kind"] as? String })
        #expect(kinds == ["cv", "cover_letter", "outreach"], "\(kinds)")
        let cv = try #require(documents.first { $0["kind"] as? String == "cv" })
        #expect((cv["html"] as? String)?.hasPrefix("<!doctype html>") == true)
        #expect(cv["ready"] as? Bool == true)
        let letter = try #require(documents.first { $0["kind"] as? String == "cover_letter" })
        let words = (letter["markdown"] as? String ?? "").split(whereSeparator: \.isWhitespace).count
        #expect(words >= 180, "the cover letter has \(words) words")
        let company = (job["company"] as? String ?? "").lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }).joined(separator: "-")
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("applications/\(company)").path)) ?? []
        #expect(!folders.isEmpty, "no application folder for \(company)")

        let edit = ##"{"markdown": "# Maren Okafor-Lind\n\nEdited by hand."}"##
        let unauthorized = try await http.execute(HTTPRequest(method: .put, url: "\(gateway)/api/jobs/\(id)/cv", body: Array(edit.utf8)))
        #expect(unauthorized.status == 401)
        let saved = try await http.execute(HTTPRequest(
            method: .put, url: "\(gateway)/api/jobs/\(id)/cv",
            headers: [HTTPHeader(name: "Authorization", value: "Bearer \(token)"), HTTPHeader(name: "Content-Type", value: "application/json")],
            body: Array(edit.utf8)
        ))
        #expect(saved.status == 200)
        #expect(try json(saved)["source"] as? String == "user")
        let detail = try json(await http.get("\(gateway)/api/jobs/\(id)"))
        #expect(((detail["cv"] as? [String: Any])?["markdown"] as? String)?.contains("Edited by hand") == true)
        #expect(try await http.get("\(gateway)/api/jobs/\(id)/documents?kind=nope").status == 400)
    }

    /// The master CV API: the seeded version, edits as new versions, history, rollback, JSON Resume.
    func checkMasterCV(http: HTTPClient, gateway: String, token: String) async throws {
        func send(_ method: HTTPRequest.Method, _ path: String, _ body: [UInt8]? = nil, authorized: Bool = true) async throws -> HTTPResponse {
            try await http.execute(HTTPRequest(
                method: method, url: "\(gateway)\(path)",
                headers: (authorized ? [HTTPHeader(name: "Authorization", value: "Bearer \(token)")] : [])
                    + [HTTPHeader(name: "Content-Type", value: "application/json")],
                body: body
            ))
        }
        let seeded = try json(await http.get("\(gateway)/api/master-cv"))
        #expect(seeded["version"] as? Int == 1 && seeded["source"] as? String == "seed")
        var master = try #require(seeded["document"] as? [String: Any])
        var candidate = try #require(master["candidate"] as? [String: Any])
        candidate["headline"] = "Staff engineer for data-heavy distributed systems"
        master["candidate"] = candidate
        let edited = try JSONSerialization.data(withJSONObject: master)

        #expect(try await send(.put, "/api/master-cv", Array(edited), authorized: false).status == 401)
        let bad = try await send(.put, "/api/master-cv", Array(#"{"candidate": {}}"#.utf8))
        #expect(bad.status == 400)
        #expect((try json(bad)["error"] as? [String: Any])?["message"] is String)

        let saved = try json(await send(.put, "/api/master-cv", Array(edited)))
        #expect(saved["version"] as? Int == 2)
        // Saving the same document again makes no new version.
        #expect(try json(await send(.put, "/api/master-cv", Array(edited)))["version"] as? Int == 2)
        let rolledBack = try json(await send(.post, "/api/master-cv/rollback/1"))
        #expect(rolledBack["version"] as? Int == 3 && rolledBack["fingerprint"] as? String == seeded["fingerprint"] as? String)
        #expect(try await send(.post, "/api/master-cv/rollback/99").status == 404)
        let history = try json(await http.get("\(gateway)/api/master-cv/history"))["items"] as? [[String: Any]] ?? []
        #expect(history.compactMap { $0["version"] as? Int } == [3, 2, 1])

        let exported = try await http.get("\(gateway)/api/master-cv/export")
        let resume = try json(exported)
        #expect((resume["basics"] as? [String: Any])?["name"] as? String == candidate["name"] as? String)
        let imported = try json(await send(.post, "/api/master-cv/import", exported.body))
        #expect(imported["source"] as? String == "json-resume")
        // The Markdown format round-trips through the API too.
        let markdown = try await http.get("\(gateway)/api/master-cv/export?format=markdown")
        #expect(markdown.bodyText.hasPrefix("# \(candidate["name"] as? String ?? "")"))
        let fromMarkdown = try await http.execute(HTTPRequest(
            method: .put, url: "\(gateway)/api/master-cv",
            headers: [HTTPHeader(name: "Authorization", value: "Bearer \(token)"), HTTPHeader(name: "Content-Type", value: "text/markdown")],
            body: markdown.body
        ))
        #expect(fromMarkdown.status == 200)
    }

    func checkSources(http: HTTPClient, gateway: String, token: String, boards: URL, expected: Int) async throws {
        let auth = [HTTPHeader(name: "Authorization", value: "Bearer \(token)")]
        func send(_ method: HTTPRequest.Method, _ path: String, _ body: String? = nil) async throws -> HTTPResponse {
            try await http.execute(HTTPRequest(
                method: method, url: "\(gateway)\(path)",
                headers: auth + [HTTPHeader(name: "Content-Type", value: "application/json")],
                body: body.map { Array($0.utf8) }
            ))
        }
        let history = try json(await http.get("\(gateway)/api/ingest/history/e2e"))
        let runs = history["items"] as? [[String: Any]] ?? []
        #expect(runs.count == 1)
        #expect(runs.first?["status"] as? String == "succeeded")
        #expect((runs.first?["counts"] as? [String: Any])?["new"] as? Int == expected)
        #expect(runs.first?["duration_ms"] as? Int != nil)
        let runID = runs.first?["id"] as? String ?? ""
        #expect(runID == runID.lowercased() && UUID(uuidString: runID) != nil)

        for (body, message) in [
            (#"{"kind": "file", "location": "/tmp"}"#, "name"),
            (#"{"name": "Bad Name", "kind": "file", "location": "/tmp"}"#, "name"),
            (#"{"name": "x", "kind": "myspace", "location": "/tmp"}"#, "kind"),
            (#"{"name": "x", "kind": "feed", "location": "not a url"}"#, "URL"),
            (#"{"name": "x", "kind": "lever", "location": "acme", "schedule_interval_seconds": 5}"#, "60"),
            ("not json", "JSON"),
        ] {
            let response = try await send(.post, "/api/sources", body)
            #expect(response.status == 400, "\(body)")
            let error = try json(response)["error"] as? [String: Any]
            let text = error?["message"] as? String ?? ""
            #expect(text.contains(message), "\(body): \(text)")
        }

        let create = #"{"name": "e2e-again", "kind": "file", "location": "\#(boards.path)", "title_keywords": []}"#
        #expect(try await send(.post, "/api/sources", create).status == 201)
        #expect(try await send(.post, "/api/sources", create).status == 409)
        let created = try json(await http.get("\(gateway)/api/sources/e2e-again"))
        #expect(created["kind"] as? String == "file")
        #expect(created["enabled"] as? Bool == true)

        #expect(try await send(.post, "/api/ingest/e2e-again/run").status == 202)
        var again: [String: Any] = [:]
        try await waitUntil("the second source's run finished", timeout: .seconds(60), process: nil) {
            let items = try json(await http.get("\(gateway)/api/ingest/history/e2e-again"))["items"] as? [[String: Any]] ?? []
            guard let run = items.first(where: { ($0["trigger"] as? String) == "user" }), run["finished_at"] is String else { return false }
            again = run
            return true
        }
        let counts = again["counts"] as? [String: Any] ?? [:]
        #expect(counts["new"] as? Int == 0, "\(again)")
        #expect(counts["duplicates"] as? Int == expected, "\(again)")
        #expect(try json(await http.get("\(gateway)/api/jobs"))["total"] as? Int == expected)

        // Disabled first, so the scheduler never picks it up during the test.
        let disabled = try await send(.patch, "/api/sources/e2e-again", #"{"enabled": false, "schedule_interval_seconds": 3600}"#)
        #expect(disabled.status == 200)
        #expect(try json(disabled)["schedule_interval_seconds"] as? Int == 3600)
        #expect(try json(disabled)["enabled"] as? Bool == false)
        let unscheduled = try await send(.patch, "/api/sources/e2e-again", #"{"schedule_interval_seconds": null}"#)
        #expect(try json(unscheduled)["schedule_interval_seconds"] is NSNull)
        #expect(try await send(.post, "/api/ingest/e2e-again/run").status == 409)
        #expect(try await send(.patch, "/api/sources/e2e-again", #"{"name": "renamed"}"#).status == 400)
        #expect(try await send(.delete, "/api/sources/e2e-again").status == 204)
        #expect(try await http.get("\(gateway)/api/sources/e2e-again").status == 404)
        #expect(try await send(.delete, "/api/sources/e2e-again").status == 404)
        #expect(try await http.get("\(gateway)/api/ingest/history/nothing").status == 404)
        let list = try json(await http.get("\(gateway)/api/sources"))["items"] as? [[String: Any]] ?? []
        #expect(list.compactMap { $0["name"] as? String } == ["e2e"])
    }

    func waitUntil(_ what: String, timeout: Duration, process: ServiceProcess?, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            if let process, !process.isRunning {
                throw EndToEndFailure("\(process.name) exited while waiting until \(what)")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw EndToEndFailure("timed out waiting until \(what)")
    }
}

struct EndToEndFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func json(_ response: HTTPResponse) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
        throw EndToEndFailure("expected a JSON object, got: \(response.bodyText.prefix(200))")
    }
    return object
}

func stage(_ job: [String: Any], _ name: String) -> Bool {
    (job["stages"] as? [String: Any])?[name] as? Bool == true
}
