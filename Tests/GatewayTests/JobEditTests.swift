import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Messaging
import Postgres
import Redis
import Runtime
import Store
import Testing

/// The job writes of `/api/jobs` over real postings in PostgreSQL and real streams in Redis: partial
/// updates, bulk status and deletion, deletion, adding a pasted job and queuing a URL import, and the
/// token every write needs.
@Suite("Job edits") struct JobEditTests {
    @Test func aPatchChangesOnlyTheFieldsItSends() async throws {
        try await withGateway { client, context in
            let id = try #require(try await seedAshbyJobs(context, companies: ["Coder"]).first)
            let before = try #require(try await context.store.jobSummary(id: id))
            let notes = "Spoke to Ana at the meetup — she says the team is hiring two.\nFollow up Friday."
            let first = try await Self.patch(client, id, ["notes": notes, "priority": 4])
            #expect(first["notes"] as? String == notes)
            #expect(first["priority"] as? Int == 4)
            #expect(first["status"] as? String == "not_processed")

            // Only the status: the notes and the priority stay.
            let second = try await Self.patch(client, id, ["status": "marked_for_applying"])
            #expect(second["status"] as? String == "marked_for_applying")
            #expect(second["notes"] as? String == notes)
            #expect(second["priority"] as? Int == 4)
            #expect(second["title"] as? String == before.title)

            let after = try #require(try await context.store.jobSummary(id: id))
            #expect(after.updatedAt > before.updatedAt)
            try await client.execute(uri: "/api/jobs/\(id)", method: .get) { response in
                let job = try response.object()["job"] as? [String: Any]
                #expect(job?["status"] as? String == "marked_for_applying")
                #expect(job?["notes"] as? String == notes)
                #expect(job?["priority"] as? Int == 4)
            }
            // Clearing the notes is a change like any other.
            #expect(try await Self.patch(client, id, ["notes": ""])["notes"] as? String == "")
            #expect(try await context.store.jobSummary(id: id)?.priority == 4)
        }
    }

    static let badPatches: [(body: String, named: String)] = [
        (#"{"status": "hired"}"#, "status"), ("{}", "at least one"), (#"{"stauts": "applied"}"#, "stauts"),
        (#"{"priority": 6}"#, "priority"), (#"{"priority": "3"}"#, "priority"), (#"{"priority": -1}"#, "priority"),
        (#"{"notes": null}"#, "notes"), (#"{"notes": 12}"#, "notes"), ("[1, 2]", "JSON object"), ("{not json", "JSON"),
        (#"{"status": "applied", "priority": 9}"#, "priority"),
    ]

    @Test func aBadPatchIsRefusedAndChangesNothing() async throws {
        try await withGateway { client, context in
            let id = try #require(try await seedAshbyJobs(context, companies: ["Coder"]).first)
            _ = try await context.store.updateJob(id: id, notes: "keep me", priority: 2)
            for (body, named) in Self.badPatches {
                try await client.execute(uri: "/api/jobs/\(id)", method: .patch, headers: .authorizedJSON, body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .badRequest, "\(body)")
                    let message = ((try? response.object())?["error"] as? [String: Any])?["message"] as? String ?? ""
                    #expect(message.contains(named), "\(body): \(message)")
                }
            }
            let job = try #require(try await context.store.jobSummary(id: id))
            #expect(job.notes == "keep me" && job.priority == 2 && job.status == .notProcessed)
        }
    }

    @Test func notesOverTwentyThousandCharactersAreRefusedAndAMissingJobIsA404() async throws {
        try await withGateway { client, context in
            let id = try #require(try await seedAshbyJobs(context, companies: ["Coder"]).first)
            let long = String(repeating: "n", count: 20_001)
            try await client.execute(uri: "/api/jobs/\(id)", method: .patch, headers: .authorizedJSON, body: try jsonBody(["notes": long])) { response in
                #expect(response.status == .badRequest)
            }
            let limit = String(repeating: "n", count: 20_000)
            #expect(try await Self.patch(client, id, ["notes": limit])["notes"] as? String == limit)
            try await client.execute(uri: "/api/jobs/999999", method: .patch, headers: .authorizedJSON, body: try jsonBody(["priority": 1])) { response in
                #expect(response.status == .notFound)
                #expect(response.errorCode == "not_found")
            }
        }
    }

    @Test func bulkStatusUpdatesTheJobsThatExistAndNamesTheMissingOnes() async throws {
        try await withGateway { client, context in
            let ids = try await seedAshbyJobs(context, companies: ["Coder", "ClassDojo"])
            let chosen = [ids[4], ids[0], ids[7]]
            let body = try jsonBody(["job_ids": chosen + [999_998, ids[0], 999_999], "action": "set_status", "status": "discarded"])
            try await client.execute(uri: "/api/jobs/bulk", method: .post, headers: .authorizedJSON, body: body) { response in
                #expect(response.status == .ok)
                let result = try response.object()
                #expect(result["action"] as? String == "set_status")
                #expect(result["status"] as? String == "discarded")
                #expect(result["updated"] as? [Int] == chosen.sorted())
                #expect(result["missing"] as? [Int] == [999_998, 999_999])
            }
            try await client.execute(uri: "/api/jobs?status=discarded", method: .get) { response in
                let items = try response.object()["items"] as? [[String: Any]] ?? []
                #expect(Set(items.compactMap { $0["id"] as? Int }) == Set(chosen))
            }
            try await client.execute(uri: "/api/jobs?status=not_processed", method: .get) { response in
                let page = try response.object()
                #expect(page["total"] as? Int == ids.count - chosen.count)
            }
        }
    }

    @Test func bulkDeleteRemovesTheJobsAndEverythingOfThem() async throws {
        try await withGateway { client, context in
            let ids = try await seedAshbyJobs(context, companies: ["Coder"])
            let gone = [ids[1], ids[2]]
            let body = try jsonBody(["job_ids": gone + [424_242], "action": "delete"])
            try await client.execute(uri: "/api/jobs/bulk", method: .post, headers: .authorizedJSON, body: body) { response in
                #expect(response.status == .ok)
                let result = try response.object()
                #expect(result["action"] as? String == "delete")
                #expect(result["deleted"] as? [Int] == gone)
                #expect(result["missing"] as? [Int] == [424_242])
                #expect(result["updated"] == nil)
            }
            for id in gone {
                try await client.execute(uri: "/api/jobs/\(id)", method: .get) { response in #expect(response.status == .notFound) }
            }
            let sightings = try await context.database.query("SELECT count(*) AS n FROM job_sources WHERE job_id = ANY($1::bigint[])", [gone])
            #expect(try sightings.first?.decode("n", as: Int.self) == 0)
            let left = try await context.store.searchJobs(JobQuery()).items.map(\.id)
            #expect(Set(left) == Set(ids).subtracting(gone))
        }
    }

    static let badBulkRequests: [(body: String, named: String)] = [
        (#"{"job_ids": [], "action": "delete"}"#, "job_ids"), (#"{"action": "delete"}"#, "job_ids"), (#"{"job_ids": [1, 0], "action": "delete"}"#, "positive"),
        (#"{"job_ids": [1], "action": "archive"}"#, "action"), (#"{"job_ids": [1], "action": "set_status"}"#, "status"),
        (#"{"job_ids": [1], "action": "set_status", "status": "won"}"#, "status"), (#"{"job_ids": [1], "action": "delete", "status": "applied"}"#, "status"),
        (#"{"job_ids": ["1"], "action": "delete"}"#, "job_ids"), (#"{"job_ids": [1], "action": "delete", "force": true}"#, "force"),
    ]

    @Test func aBadBulkRequestIsRefused() async throws {
        try await withGateway { client, context in
            let ids = try await seedAshbyJobs(context, companies: ["Coder"])
            for (body, named) in Self.badBulkRequests {
                try await client.execute(uri: "/api/jobs/bulk", method: .post, headers: .authorizedJSON, body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .badRequest, "\(body)")
                    let message = ((try? response.object())?["error"] as? [String: Any])?["message"] as? String ?? ""
                    #expect(message.contains(named), "\(body): \(message)")
                }
            }
            #expect(try await context.store.searchJobs(JobQuery()).total == ids.count)
        }
    }

    @Test func aBulkRequestTakesAtMostAThousandJobs() async throws {
        try await withGateway { client, _ in
            let body = try jsonBody(["job_ids": Array(1...1001), "action": "delete"])
            try await client.execute(uri: "/api/jobs/bulk", method: .post, headers: .authorizedJSON, body: body) { response in
                #expect(response.status == .badRequest)
            }
            let most = try jsonBody(["job_ids": Array(1...1000), "action": "set_status", "status": "applied"])
            try await client.execute(uri: "/api/jobs/bulk", method: .post, headers: .authorizedJSON, body: most) { response in
                #expect(response.status == .ok)
                let result = try response.object()
                #expect((result["missing"] as? [Int])?.count == 1000)
            }
        }
    }

    @Test func deletingAJobAnswers204ThenA404() async throws {
        try await withGateway { client, context in
            let id = try #require(try await seedAshbyJobs(context, companies: ["Coder"]).first)
            try await client.execute(uri: "/api/jobs/\(id)", method: .delete, headers: .authorizedJSON) { response in
                #expect(response.status == .noContent)
                #expect(response.body.readableBytes == 0)
            }
            try await client.execute(uri: "/api/jobs/\(id)", method: .delete, headers: .authorizedJSON) { response in
                #expect(response.status == .notFound)
                #expect(response.errorCode == "not_found")
            }
            try await client.execute(uri: "/api/jobs/abc", method: .delete, headers: .authorizedJSON) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func aPastedJobIsStoredSanitizedAndSentDownThePipelineOnce() async throws {
        try await withGateway { client, context in
            let description = """
                Acme Robotics builds warehouse robots in Rust and Swift.

                What you will do:
                - Own the fleet's telemetry pipeline
                - Work with PostgreSQL & Redis <every day>

                ## Benefits
                Remote within Europe.
                """
            var request: [String: Any] = [
                "title": "Senior Backend Engineer", "company": "Acme Robotics", "description": description,
                "url": "https://careers.acme.example/jobs/42", "location": "Berlin, Germany", "remote": true,
            ]
            let id = try await client.execute(uri: "/api/jobs", method: .post, headers: .authorizedJSON, body: try jsonBody(request)) { response in
                #expect(response.status == .created)
                let job = try response.object()
                #expect(job["duplicate"] as? Bool == false)
                #expect(job["source"] as? String == "manual")
                #expect(job["title"] as? String == "Senior Backend Engineer")
                #expect(job["company"] as? String == "Acme Robotics")
                #expect(job["locations"] as? [String] == ["Berlin, Germany"])
                #expect(job["is_remote"] as? Bool == true)
                #expect(job["workplace_type"] as? String == "remote")
                #expect(job["job_url"] as? String == "https://careers.acme.example/jobs/42")
                #expect(job["status"] as? String == "not_processed")
                let id = try #require(job["id"] as? Int)
                #expect(response.headers[.location] == "/api/jobs/\(id)")
                return id
            }
            try await client.execute(uri: "/api/jobs/\(id)", method: .get) { response in
                let job = try response.object()["job"] as? [String: Any] ?? [:]
                let html = job["description_html"] as? String ?? ""
                // Plain text got the markup its layout implies; its own angle brackets stayed text.
                #expect(html.contains("<p>What you will do:</p>\n<ul><li>Own the fleet's telemetry pipeline</li>"))
                #expect(html.contains("<li>Work with PostgreSQL &amp; Redis &#60;every day&gt;</li></ul>"))
                #expect(html.contains("<h3>Benefits</h3>\n<p>Remote within Europe.</p>"))
                let text = job["description_text"] as? String ?? ""
                #expect(text.contains("- Own the fleet's telemetry pipeline"))
                #expect(text.contains("PostgreSQL & Redis <every day>"))
                #expect(job["sources"] as? [[String: Any]] != nil)
            }
            let messages = try await Self.entries(context, stream: context.streams.jobsIngested)
            #expect(messages.count == 1)
            #expect(messages.first?.type == JobIngested.type)
            #expect(messages.first?.jobID == id)
            #expect(try messages.first?.decode(JobIngested.self).jobID == id)

            // The same text again is the same job, not a second one, and is not sent again.
            try await client.execute(uri: "/api/jobs", method: .post, headers: .authorizedJSON, body: try jsonBody(request)) { response in
                #expect(response.status == .ok)
                let job = try response.object()
                #expect(job["duplicate"] as? Bool == true)
                #expect(job["id"] as? Int == id)
            }
            #expect(try await Self.entries(context, stream: context.streams.jobsIngested).count == 1)

            // Same text, another location: still the same job, updated, and sent again for the change.
            request["location"] = "Munich, Germany"
            try await client.execute(uri: "/api/jobs", method: .post, headers: .authorizedJSON, body: try jsonBody(request)) { response in
                #expect(response.status == .ok)
                let job = try response.object()
                #expect(job["locations"] as? [String] == ["Munich, Germany"])
            }
            #expect(try await Self.entries(context, stream: context.streams.jobsIngested).count == 2)
            try await client.execute(uri: "/api/jobs?source=manual", method: .get) { response in
                let page = try response.object()
                #expect(page["total"] as? Int == 1)
            }
        }
    }

    @Test func pastedHTMLIsSanitized() async throws {
        try await withGateway { client, _ in
            let html = #"<h2>About</h2><p onclick="steal()">We ship <b>fast</b>.<script>alert(1)</script></p><a href="javascript:alert(2)">apply</a>"#
            let body = try jsonBody(["title": "Designer", "company": "Acme", "description": html])
            let id = try await client.execute(uri: "/api/jobs", method: .post, headers: .authorizedJSON, body: body) { response in
                #expect(response.status == .created)
                return try #require(try response.object()["id"] as? Int)
            }
            try await client.execute(uri: "/api/jobs/\(id)", method: .get) { response in
                let job = try response.object()["job"] as? [String: Any] ?? [:]
                let safe = job["description_html"] as? String ?? ""
                #expect(safe.contains("<h2>About</h2>") && safe.contains("<b>fast</b>"))
                #expect(!safe.contains("script") && !safe.contains("onclick") && !safe.contains("javascript"))
                #expect((job["description_text"] as? String)?.contains("We ship fast.") == true)
            }
        }
    }

    static let badNewJobs: [(body: [String: String], named: String)] = [
        (["title": String(repeating: "t", count: 301), "company": "Acme", "description": "Build things."], "title"),
        (["title": "Engineer", "company": "Acme", "description": "   "], "description"),
        (["title": "Engineer", "company": "Acme", "description": String(repeating: "d", count: 200_001)], "description"),
        (["title": "Engineer", "description": "Build things."], "company"),
        (["title": "Engineer", "company": "Acme", "description": "Build things.", "url": "ftp://acme.example/job"], "url"),
        (["url": "javascript:alert(1)"], "url"),
        (["url": "/jobs/42"], "url"),
        (["url": "https://acme.example/jobs/42", "location": "Berlin"], "location"),
        (["title": "Engineer", "company": "Acme", "description": "Build things.", "salary": "lots"], "salary"),
        ([:], "url"),
        (["title": "Engineer", "company": "Acme", "description": "<p><script>only(script)</script></p>"], "description"),
    ]

    @Test func aBadNewJobIsRefused() async throws {
        try await withGateway { client, context in
            for (body, named) in Self.badNewJobs {
                try await client.execute(uri: "/api/jobs", method: .post, headers: .authorizedJSON, body: try jsonBody(body)) { response in
                    #expect(response.status == .badRequest, "\(body.keys.sorted())")
                    let message = ((try? response.object())?["error"] as? [String: Any])?["message"] as? String ?? ""
                    #expect(message.contains(named), "\(message)")
                }
            }
            #expect(try await context.store.searchJobs(JobQuery()).total == 0)
            #expect(try await Self.entries(context, stream: context.streams.ingestionCommands).isEmpty)
        }
    }

    /// PostgreSQL text cannot hold NUL: a paste with it (found by the API's schemathesis fuzzing) is
    /// stored without it, other control characters and emoji kept.
    @Test func aPasteWithControlCharactersIsStored() async throws {
        try await withGateway { client, context in
            let body = ByteBuffer(string: #"{"title": "g/\u00fb\u0013Hr\u0000\ud83c\udffb", "description": "\u008c\u0000x\ud83c\udffb", "company": "\u0007t\b"}"#)
            let id = try await client.execute(uri: "/api/jobs", method: .post, headers: .authorizedJSON, body: body) { response in
                #expect(response.status == .created, "\(String(buffer: response.body))")
                return try response.object()["id"] as? Int
            }
            let stored = try #require(id)
            let job = try #require(try await context.store.jobSummary(id: stored))
            #expect(job.title == "g/\u{fb}\u{13}Hr\u{1F3FB}")
            // Text that merely spells the escape is text.
            let spelled = ByteBuffer(string: #"{"title": "Escapes", "company": "Acme", "description": "Write \\u0000 in JSON for NUL."}"#)
            let spelledID = try await client.execute(uri: "/api/jobs", method: .post, headers: .authorizedJSON, body: spelled) { response in
                #expect(response.status == .created, "\(String(buffer: response.body))")
                return try response.object()["id"] as? Int ?? 0
            }
            let raw = try await context.database.query("SELECT raw::text AS raw, description_clean FROM jobs WHERE id = $1", [spelledID]).first
            #expect(try raw?.decode("description_clean", as: String.self) == #"Write \u0000 in JSON for NUL."#)
            let payload = try JSONSerialization.jsonObject(with: Data((try raw?.decode("raw", as: String.self) ?? "").utf8)) as? [String: Any]
            #expect(payload?["description"] as? String == #"Write \u0000 in JSON for NUL."#)
            // Notes keep what follows a NUL rather than being cut at it.
            let notes = try await Self.patch(client, stored, ["notes": "before\u{0}after"])
            #expect(notes["notes"] as? String == "beforeafter")
        }
    }

    /// The description's limit counts characters however JSON spells them: 200,000 written as
    /// `\u00e9` escapes are 1.2 MB of body, past the API's usual 1 MiB, and still a valid job.
    @Test func theDescriptionLimitIsInCharactersNotBytes() async throws {
        try await withGateway { client, _ in
            func body(_ count: Int) -> ByteBuffer {
                ByteBuffer(string: #"{"title": "Engineer", "company": "Acme", "description": ""# + String(repeating: #"\u00e9"#, count: count) + #""}"#)
            }
            try await client.execute(uri: "/api/jobs", method: .post, headers: .authorizedJSON, body: body(200_000)) { response in
                #expect(response.status == .created)
            }
            try await client.execute(uri: "/api/jobs", method: .post, headers: .authorizedJSON, body: body(200_001)) { response in
                #expect(response.status == .badRequest)
                #expect(response.errorCode == "bad_request")
            }
        }
    }

    @Test func aURLIsQueuedForTheIngestionServiceAndItsStateReadsBack() async throws {
        try await withGateway { client, context in
            let url = "https://jobs.ashbyhq.com/coder/0f9b3b1e-0a5e-4d8f-9a33-6f2f3c5c7d10"
            let importID = try await client.execute(uri: "/api/jobs", method: .post, headers: .authorizedJSON, body: try jsonBody(["url": url])) { response in
                #expect(response.status == .accepted)
                let body = try response.object()
                #expect(body["status"] as? String == "queued")
                #expect(body["url"] as? String == url)
                let importID = try #require(body["import_id"] as? String)
                #expect(response.headers[.location] == "/api/jobs/imports/\(importID)")
                return importID
            }
            let commands = try await Self.entries(context, stream: context.streams.ingestionCommands)
            #expect(commands.count == 1)
            let command = try #require(commands.first)
            #expect(command.type == "ingest.url")
            #expect(command.correlationID == importID)
            #expect(try command.decode(IngestURLCommand.self) == IngestURLCommand(importID: importID, url: url))

            try await client.execute(uri: "/api/jobs/imports/\(importID)", method: .get) { response in
                #expect(response.status == .ok)
                let state = try response.object()
                #expect(state["import_id"] as? String == importID)
                #expect(state["url"] as? String == url)
                #expect(state["status"] as? String == "queued")
                #expect(state["job_id"] == nil && state["error"] == nil)
            }
            // Kept a day, in Redis, where every gateway replica reads it.
            let key = IngestURLCommand.stateKey(context.streams, importID: importID)
            let ttl = try await context.redis.send("TTL", key).int ?? 0
            #expect((86_000...86_400).contains(ttl))

            try await client.execute(uri: "/api/jobs/imports/\(UUID().uuidString)", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/api/jobs/imports/not-an-id", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    static let writes: [(method: HTTPRequest.Method, path: String, body: String)] = [
        (.patch, "/api/jobs/{id}", #"{"status": "applied"}"#),
        (.delete, "/api/jobs/{id}", ""),
        (.post, "/api/jobs/bulk", #"{"job_ids": [{id}], "action": "delete"}"#),
        (.post, "/api/jobs", #"{"url": "https://acme.example/jobs/1"}"#),
        (.post, "/api/jobs", #"{"title": "T", "company": "C", "description": "D"}"#),
    ]

    @Test func everyWriteNeedsTheToken() async throws {
        try await withGateway { client, context in
            let id = try #require(try await seedAshbyJobs(context, companies: ["Coder"]).first)
            for (method, path, body) in Self.writes {
                let uri = path.replacingOccurrences(of: "{id}", with: "\(id)")
                let body = ByteBuffer(string: body.replacingOccurrences(of: "{id}", with: "\(id)"))
                for headers: HTTPFields in [[.contentType: "application/json"], [.authorization: "Bearer wrong", .contentType: "application/json"]] {
                    try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
                        #expect(response.status == .unauthorized, "\(method) \(uri)")
                        #expect(response.errorCode == "unauthorized")
                    }
                }
            }
            #expect(try await context.store.jobSummary(id: id)?.status == .notProcessed)
            #expect(try await context.store.searchJobs(JobQuery()).total == 11)
            #expect(try await Self.entries(context, stream: context.streams.ingestionCommands).isEmpty)
        }
    }

    // MARK: - Helpers

    static func patch(_ client: some TestClientProtocol, _ id: Int, _ fields: [String: Any]) async throws -> [String: Any] {
        try await client.execute(uri: "/api/jobs/\(id)", method: .patch, headers: .authorizedJSON, body: try jsonBody(fields)) { response in
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            return try response.object()
        }
    }

    /// Every envelope of a stream, oldest first, read back with XRANGE.
    static func entries(_ context: ServiceContext, stream: String) async throws -> [Envelope] {
        let reply = try await context.redis.send("XRANGE", stream, "-", "+")
        return try (reply.array ?? []).map { entry in
            guard let parts = entry.array, parts.count == 2, let fields = parts[1].pairs else { throw MessagingError.malformed("\(entry)") }
            return try Envelope(fields: fields)
        }
    }
}
