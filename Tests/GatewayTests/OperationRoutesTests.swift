import Foundation
import Hummingbird
import HummingbirdTesting
import IntegrationTesting
import Messaging
import Redis
import Runtime
import Store
import Testing

/// The operations API on real PostgreSQL and Redis. The services' side of a run (starting and
/// finishing steps) is played through the same store calls the services make.
@Suite("Operations API") struct OperationRoutesTests {
    /// The operation commands waiting on a service's commands stream.
    func commands(_ context: ServiceContext, for service: ServiceName) async throws -> [OperationCommand] {
        try await operationCommands(context, for: service).map(\.command)
    }

    func run(_ response: TestResponse) throws -> [String: Any] {
        try #require(try response.object()["run"] as? [String: Any])
    }

    @Test func startingAnOperationStoresARunAndPublishesItsCommand() async throws {
        try await withGateway { client, context in
            let job = try #require(try await seedAshbyJobs(context, companies: ["Coder"]).first)
            var runID = ""
            try await client.execute(uri: "/api/jobs/\(job)/operations/full-extraction", method: .post, headers: .authorizedJSON,
                                     body: try jsonBody(["force": true])) { response in
                #expect(response.status == .accepted)
                let run = try run(response)
                #expect(run["status"] as? String == "queued")
                #expect(run["operation"] as? String == "full-extraction")
                #expect(run["force"] as? Bool == true)
                #expect((run["steps"] as? [[String: Any]])?.map { $0["operation"] as? String } == ["full-extraction"])
                runID = run["id"] as? String ?? ""
            }
            let sent = try await commands(context, for: .extraction)
            #expect(sent.count == 1)
            #expect(sent.first?.operationID == runID)
            #expect(sent.first?.jobID == job)
            #expect(sent.first?.force == true)
            #expect(sent.first?.attempt == 1)

            // The run is in the queue view, and its detail has an (empty) log.
            try await client.execute(uri: "/api/operations", method: .get) { response in
                let queued = try response.object()["queued"] as? [[String: Any]]
                #expect(queued?.map { $0["id"] as? String } == [runID])
            }
            try await client.execute(uri: "/api/operations/\(runID)", method: .get) { response in
                #expect(response.status == .ok)
                let object = try response.object()
                #expect((object["log"] as? [Any])?.isEmpty == true)
            }
        }
    }

    @Test func badOperationRequestsAreRejectedWithReasons() async throws {
        try await withGateway { client, context in
            let job = try #require(try await seedAshbyJobs(context, companies: ["Coder"]).first)
            try await client.execute(uri: "/api/jobs/\(job)/operations/make-coffee", method: .post, headers: .authorizedJSON) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("all-ops"))
            }
            try await client.execute(uri: "/api/jobs/999999/operations/full-extraction", method: .post, headers: .authorizedJSON) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/api/jobs/\(job)/operations/full-extraction", method: .post) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/api/jobs/\(job)/operations/full-extraction", method: .post, headers: .authorizedJSON,
                                     body: ByteBuffer(string: "{not json")) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/api/operations/not-a-uuid", method: .get) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/api/operations/\(UUID())", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.errorCode == "not_found")
            }
            try await client.execute(uri: "/api/operations/batch", method: .post, headers: .authorizedJSON,
                                     body: try jsonBody(["operation": "generate-cv", "job_ids": []])) { response in
                #expect(response.status == .badRequest)
            }
            #expect(try await commands(context, for: .extraction).isEmpty)
        }
    }

    @Test func aBatchQueuesOneRunPerJobAndNamesTheMissingOnes() async throws {
        try await withGateway { client, context in
            let jobs = Array(try await seedAshbyJobs(context, companies: ["Coder"]).prefix(3))
            var batchID = ""
            try await client.execute(uri: "/api/operations/batch", method: .post, headers: .authorizedJSON,
                                     body: try jsonBody(["operation": "all-ops", "job_ids": jobs + [jobs[0], 987654]])) { response in
                #expect(response.status == .accepted)
                let body = try response.object()
                #expect(body["missing"] as? [Int] == [987654])
                let runs = body["runs"] as? [[String: Any]] ?? []
                #expect(Set(runs.compactMap { $0["job_id"] as? Int }) == Set(jobs))
                // all-ops: extraction and research now, the CV once both succeeded.
                let steps = runs.first?["steps"] as? [[String: Any]] ?? []
                #expect(steps.map { "\($0["operation"]!):\($0["status"]!)" }.sorted()
                        == ["full-extraction:queued", "generate-cv:waiting", "research-company:queued"])
                batchID = body["batch_id"] as? String ?? ""
            }
            #expect(Set(try await commands(context, for: .extraction).map(\.jobID)) == Set(jobs))
            #expect(Set(try await commands(context, for: .research).map(\.jobID)) == Set(jobs))
            #expect(try await commands(context, for: .cvGenerator).isEmpty)
            try await client.execute(uri: "/api/operations?batch_id=\(batchID)", method: .get) { response in
                let object = try response.object()
                #expect((object["queued"] as? [Any])?.count == 3)
            }
        }
    }

    @Test func cancellingQueuedWorkEndsItAndTheServiceSkipsItsCommand() async throws {
        try await withGateway { client, context in
            let job = try #require(try await seedAshbyJobs(context, companies: ["Coder"]).first)
            var runID = ""
            try await client.execute(uri: "/api/jobs/\(job)/operations/research-company", method: .post, headers: .authorizedJSON) { response in
                runID = try run(response)["id"] as? String ?? ""
            }
            try await client.execute(uri: "/api/operations/\(runID)/cancel", method: .post, headers: .authorizedJSON) { response in
                #expect(response.status == .ok)
                let object = try run(response)
                #expect(object["status"] as? String == "cancelled")
            }
            // The command is still on the stream; the service that picks it up is told not to start.
            let command = try #require(try await commands(context, for: .research).first)
            let start = try await context.store.startStep(runID: try #require(UUID(uuidString: runID)), operation: "research-company", attempt: command.attempt)
            #expect(start == .cancelled)
            try await client.execute(uri: "/api/operations/\(runID)/cancel", method: .post, headers: .authorizedJSON) { response in
                #expect(response.status == .conflict)
            }
            // The log says why, and the run's event stream ends.
            try await client.execute(uri: "/api/operations/\(runID)", method: .get) { response in
                let log = try response.object()["log"] as? [[String: Any]] ?? []
                #expect(log.contains { $0["step"] as? String == "run" && $0["phase"] as? String == "cancelled" })
            }
            try await client.execute(uri: "/api/operations/\(runID)/events", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(response.headers[.contentType]?.hasPrefix("text/event-stream") == true)
                #expect(text.contains("\"phase\":\"cancelled\""))
                #expect(text.contains("event: end\ndata: {\"status\":\"cancelled\"}"))
            }
        }
    }

    @Test func cancellingRunningWorkAsksTheServiceToStop() async throws {
        try await withGateway { client, context in
            let job = try #require(try await seedAshbyJobs(context, companies: ["Coder"]).first)
            var runID = UUID()
            try await client.execute(uri: "/api/jobs/\(job)/operations/full-extraction", method: .post, headers: .authorizedJSON) { response in
                runID = try #require(UUID(uuidString: try run(response)["id"] as? String ?? ""))
            }
            #expect(try await context.store.startStep(runID: runID, operation: "full-extraction", attempt: 1) == .proceed(force: false))
            try await client.execute(uri: "/api/operations/\(runID)/cancel", method: .post, headers: .authorizedJSON) { response in
                #expect(response.status == .accepted)
                let run = try run(response)
                #expect(run["status"] as? String == "running")
                #expect(run["cancel_requested"] as? Bool == true)
            }
            #expect(try await context.store.isCancelRequested(runID: runID))
            let outcome = try await context.store.finishStep(runID: runID, operation: "full-extraction", attempt: 1, .cancelled)
            #expect(outcome?.runStatus == .cancelled)
            #expect(outcome?.endedRun == true)
        }
    }

    @Test func retryPublishesTheFailedStepsAgainAsANewAttempt() async throws {
        try await withGateway { client, context in
            let job = try #require(try await seedAshbyJobs(context, companies: ["Coder"]).first)
            var runID = UUID()
            try await client.execute(uri: "/api/jobs/\(job)/operations/all-ops", method: .post, headers: .authorizedJSON) { response in
                runID = try #require(UUID(uuidString: try run(response)["id"] as? String ?? ""))
            }
            let store = context.store
            // Extraction succeeds, research fails: the run fails and the CV never starts.
            _ = try await store.startStep(runID: runID, operation: "full-extraction", attempt: 1)
            _ = try await store.startStep(runID: runID, operation: "research-company", attempt: 1)
            let first = try await store.finishStep(runID: runID, operation: "full-extraction", attempt: 1, .succeeded)
            #expect(first?.due.isEmpty == true)
            let failed = try await store.finishStep(runID: runID, operation: "research-company", attempt: 1, .failed("the company site timed out"))
            #expect(failed?.runStatus == .failed)
            try await client.execute(uri: "/api/operations", method: .get) { response in
                let failed = try response.object()["failed"] as? [[String: Any]] ?? []
                #expect(failed.first?["error"] as? String == "research-company: the company site timed out")
            }

            try await client.execute(uri: "/api/operations/\(runID)/retry", method: .post, headers: .authorizedJSON) { response in
                #expect(response.status == .accepted)
                let run = try run(response)
                #expect(run["status"] as? String == "queued")
                #expect(run["attempt"] as? Int == 2)
                let steps = Dictionary(uniqueKeysWithValues: (run["steps"] as? [[String: Any]] ?? []).map {
                    ($0["operation"] as? String ?? "", $0["status"] as? String ?? "")
                })
                #expect(steps == ["full-extraction": "succeeded", "research-company": "queued", "generate-cv": "waiting"])
            }
            // Only the failed step is published again, under the new attempt.
            let research = try await commands(context, for: .research)
            #expect(research.map(\.attempt) == [1, 2])
            #expect(try await commands(context, for: .extraction).count == 1)
            // A late delivery of the first attempt changes nothing.
            #expect(try await store.startStep(runID: runID, operation: "research-company", attempt: 1) == .obsolete)

            // Research succeeds this time: the CV step is queued and its command published by the service.
            #expect(try await store.startStep(runID: runID, operation: "research-company", attempt: 2) == .proceed(force: false))
            let next = try await store.finishStep(runID: runID, operation: "research-company", attempt: 2, .succeeded)
            #expect(next?.due.map(\.operation) == ["generate-cv"])
            _ = try await store.startStep(runID: runID, operation: "generate-cv", attempt: 2)
            let done = try await store.finishStep(runID: runID, operation: "generate-cv", attempt: 2, .succeeded)
            #expect(done?.runStatus == .succeeded)
            #expect(done?.endedRun == true)

            // A run that succeeded cannot be retried, but can be dismissed; dismissed failures leave the queue.
            try await client.execute(uri: "/api/operations/\(runID)/retry", method: .post, headers: .authorizedJSON) { response in
                #expect(response.status == .conflict)
            }
            try await client.execute(uri: "/api/operations/\(runID)/dismiss", method: .post, headers: .authorizedJSON) { response in
                #expect(response.status == .ok)
                let object = try run(response)
                #expect(object["dismissed"] as? Bool == true)
            }
        }
    }

    @Test func dismissingHidesAFailedRunFromTheQueue() async throws {
        try await withGateway { client, context in
            let job = try #require(try await seedAshbyJobs(context, companies: ["Coder"]).first)
            var runID = UUID()
            try await client.execute(uri: "/api/jobs/\(job)/operations/generate-cv", method: .post, headers: .authorizedJSON) { response in
                runID = try #require(UUID(uuidString: try run(response)["id"] as? String ?? ""))
            }
            try await client.execute(uri: "/api/operations/\(runID)/dismiss", method: .post, headers: .authorizedJSON) { response in
                #expect(response.status == .conflict, "a queued run cannot be dismissed")
            }
            _ = try await context.store.startStep(runID: runID, operation: "generate-cv", attempt: 1)
            _ = try await context.store.finishStep(runID: runID, operation: "generate-cv", attempt: 1, .failed("no master CV"))
            try await client.execute(uri: "/api/operations/\(runID)/dismiss", method: .post, headers: .authorizedJSON) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/api/operations", method: .get) { response in
                let object = try response.object()
                #expect((object["failed"] as? [Any])?.isEmpty == true)
            }
            try await client.execute(uri: "/api/operations/\(runID)", method: .get) { response in
                let object = try run(response)
                #expect(object["status"] as? String == "failed")
            }
        }
    }

    @Test func aRunsEventStreamReplaysItsLogAndResumesAfterLastEventID() async throws {
        try await withGateway { client, context in
            let job = try #require(try await seedAshbyJobs(context, companies: ["Coder"]).first)
            var runID = UUID()
            try await client.execute(uri: "/api/jobs/\(job)/operations/structure-jd", method: .post, headers: .authorizedJSON) { response in
                runID = try #require(UUID(uuidString: try run(response)["id"] as? String ?? ""))
            }
            // 150 log lines, more than the old system's live log ever showed, then the end of the run.
            let progress = context.progress(jobID: job, operationID: runID.uuidString.lowercased(), correlationID: nil)
            _ = try await context.store.startStep(runID: runID, operation: "structure-jd", attempt: 1)
            for line in 1...150 { await progress.report("structure", .started, "line \(line)") }
            _ = try await context.store.finishStep(runID: runID, operation: "structure-jd", attempt: 1, .succeeded)
            await progress.report("run", .finished, "Run succeeded")

            var ids: [String] = []
            try await client.execute(uri: "/api/operations/\(runID)/events", method: .get) { response in
                let text = String(buffer: response.body)
                ids = text.split(separator: "\n").filter { $0.hasPrefix("id: ") }.map { String($0.dropFirst(4)) }
                #expect(ids.count == 151)
                #expect(text.contains("line 150"))
                #expect(text.hasSuffix("event: end\ndata: {\"status\":\"succeeded\"}\n\n"))
            }
            // A client that saw up to line 100 gets lines 101 to 150 and the end, nothing twice.
            try await client.execute(uri: "/api/operations/\(runID)/events", method: .get, headers: [.init("Last-Event-ID")!: ids[99]]) { response in
                let text = String(buffer: response.body)
                let resumed = text.split(separator: "\n").filter { $0.hasPrefix("id: ") }.map { String($0.dropFirst(4)) }
                #expect(resumed == Array(ids[100...]))
                #expect(!text.contains("line 100\""))
                #expect(text.contains("line 101\""))
            }
            try await client.execute(uri: "/api/operations/\(runID)/events", method: .get, headers: [.init("Last-Event-ID")!: "yesterday"]) { response in
                #expect(response.status == .badRequest)
            }
        }
    }
}
