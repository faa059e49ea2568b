import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Messaging
import Redis
import Runtime
import Synchronization
import Testing

/// Fails every message while `failing` is set, and records the jobs it handled.
final class SwitchableHandler: MessageHandler {
    let failing = Atomic<Bool>(true)
    let handledJobs = Mutex<[Int]>([])

    func handle(_ message: ReceivedMessage) async throws {
        let job = try message.envelope.decode(JobIngested.self)
        if failing.load(ordering: .relaxed) { throw MessagingError.unprocessable("job \(job.jobID) cannot be handled yet") }
        handledJobs.withLock { $0.append(job.jobID) }
    }
}

/// Serialized for the same reason as `AuthTests`.
@Suite("Dead letters", .serialized) struct DeadLetterTests {
    /// Consumers read in 100 ms blocks, so stopping them is quick.
    static let environment = ["CONSUMER_BLOCK_MS": "100"]

    @Test func aDeadLetterIsListedThenRetriedAndHandledByARealConsumer() async throws {
        try await withGateway(environment: Self.environment) { client, context in
            let handler = SwitchableHandler()
            let subscription = try #require(context.streams.subscriptions.first { $0.stream == context.streams.jobsIngested })
            let consumer = context.consumer(of: subscription, handler: handler)
            let running = Task { try await consumer.run() }
            defer { running.cancel() }
            let dead = StreamNames.deadLetters(of: context.streams.jobsIngested)

            let originalID = try await context.producer.publish(JobIngested(jobID: 41), to: context.streams.jobsIngested, jobID: 41)
            try await waitFor("the message to die") { try await context.redis.send("XLEN", dead).int == 1 }

            var entryID = ""
            try await client.execute(uri: "/api/dead-letters", method: .get) { response in
                #expect(response.status == .ok)
                let listing = try response.object()
                #expect(listing["total"] as? Int == 1)
                let streams = listing["streams"] as? [[String: Any]] ?? []
                #expect(streams.count == context.streams.subscriptions.count)
                let ingested = try #require(streams.first { $0["stream"] as? String == "jobs:ingested" })
                #expect(ingested["group"] as? String == "extraction")
                #expect(ingested["count"] as? Int == 1)
                let entry = try #require((ingested["entries"] as? [[String: Any]])?.first)
                entryID = entry["entry_id"] as? String ?? ""
                #expect(entry["stream"] as? String == "jobs:ingested")
                #expect(entry["original_entry_id"] as? String == originalID)
                #expect(entry["type"] as? String == JobIngested.type)
                #expect(entry["job_id"] as? Int == 41)
                #expect((entry["error"] as? String)?.contains("job 41 cannot be handled yet") == true)
                #expect(entry["deliveries"] as? Int == 1)
                #expect(entry["consumer"] as? String == context.configuration.instance)
                #expect(entry["dead_at"] is String)
                #expect(entry["message_id"] is String)
            }

            handler.failing.store(false, ordering: .relaxed)
            try await client.execute(uri: "/api/dead-letters/jobs:ingested/\(entryID)/retry", method: .post, headers: .authorizedJSON) { response in
                #expect(response.status == .ok)
                let retried = try response.object()
                #expect(retried["entry_id"] as? String == entryID)
                let newID = try #require(retried["new_entry_id"] as? String)
                #expect(newID != originalID)
                // The same message, sent again on purpose: its attempt is counted up.
                let entry = try #require(try await context.redis.send("XRANGE", context.streams.jobsIngested, newID, newID).array?.first?.array)
                let fields = try #require(entry[1].pairs)
                #expect(fields.first { $0.key == "attempt" }?.value.string == "2")
                #expect(fields.first { $0.key == "job_id" }?.value.string == "41")
                #expect(!fields.contains { $0.key.hasPrefix("dead_") })
            }
            #expect(try await context.redis.send("XLEN", dead).int == 0)
            try await waitFor("the consumer to handle the retried message") { handler.handledJobs.withLock { $0 } == [41] }
            try await client.execute(uri: "/api/dead-letters/jobs:ingested/\(entryID)/retry", method: .post, headers: .authorizedJSON) { response in
                #expect(response.status == .notFound)
            }
            running.cancel()
            _ = await running.result
        }
    }

    @Test func deadLettersAreDiscardedOneByOneAndRetriedAllAtOnce() async throws {
        try await withGateway { client, context in
            let stream = context.streams.commands(for: .extraction)
            var ids: [String] = []
            for job in 1...3 {
                ids.append(try await addDeadLetter(to: stream, jobID: job, context: context))
            }
            try await client.execute(uri: "/api/dead-letters?limit=2", method: .get) { response in
                let streams = try response.object()["streams"] as? [[String: Any]] ?? []
                let commands = try #require(streams.first { $0["stream"] as? String == "commands:extraction" })
                #expect(commands["count"] as? Int == 3)
                let entries = commands["entries"] as? [[String: Any]] ?? []
                #expect(entries.map { $0["job_id"] as? Int } == [3, 2])
                #expect(entries.first?["error"] as? String == "unprocessable: job 3 is gone")
                #expect(entries.first?["deliveries"] as? Int == 5)
            }

            try await client.execute(uri: "/api/dead-letters/commands:extraction/\(ids[0])", method: .delete, headers: .authorizedJSON) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/api/dead-letters/commands:extraction/\(ids[0])", method: .delete, headers: .authorizedJSON) { response in
                #expect(response.status == .notFound)
                #expect(response.errorCode == "not_found")
            }
            try await client.execute(uri: "/api/dead-letters/commands:extraction/retry-all", method: .post, headers: .authorizedJSON) { response in
                #expect(response.status == .ok)
                let outcome = try response.object()
                #expect(outcome["retried"] as? Int == 2)
            }
            #expect(try await context.redis.send("XLEN", StreamNames.deadLetters(of: stream)).int == 0)
            let entries = try await context.redis.send("XRANGE", stream, "-", "+").array ?? []
            let jobs = entries.compactMap { $0.array?[1].pairs?.first { $0.key == "job_id" }?.value.string }
            #expect(jobs == ["2", "3"])
        }
    }

    @Test func unknownStreamsAndEntriesAreNotFoundAndWritesNeedCredentials() async throws {
        try await withGateway { client, context in
            let id = try await addDeadLetter(to: context.streams.jobsExtracted, jobID: 9, context: context)
            try await client.execute(uri: "/api/dead-letters/jobs:nowhere/\(id)/retry", method: .post, headers: .authorizedJSON) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/api/dead-letters/events/retry-all", method: .post, headers: .authorizedJSON) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/api/dead-letters/jobs:extracted/1-0/retry", method: .post, headers: .authorizedJSON) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/api/dead-letters/jobs:extracted/latest", method: .delete, headers: .authorizedJSON) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/api/dead-letters?limit=501", method: .get) { response in
                #expect(response.status == .badRequest)
            }
            for (method, path) in [(HTTPRequest.Method.post, "\(id)/retry"), (.delete, id), (.post, "retry-all")] {
                try await client.execute(uri: "/api/dead-letters/jobs:extracted/\(path)", method: method) { response in
                    #expect(response.status == .unauthorized)
                }
            }
            // `retry-all` is a route of its own, not an entry ID: other methods there are a 405 naming POST.
            try await client.execute(uri: "/api/dead-letters/jobs:extracted/retry-all", method: .delete, headers: .authorizedJSON) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "POST")
            }
            // Percent-encoded stream names are the same streams.
            try await client.execute(uri: "/api/dead-letters/jobs%3Aextracted/\(id)/retry", method: .post, headers: .authorizedJSON) { response in
                #expect(response.status == .ok)
            }
        }
    }

    /// Adds an entry to `<stream>:dead` exactly as `StreamConsumer` moves a failed one there.
    func addDeadLetter(to stream: String, jobID: Int, context: ServiceContext) async throws -> String {
        let envelope = try Envelope(JobIngested(jobID: jobID), producer: "gateway-test", jobID: jobID)
        var command: [any RedisArgument] = ["XADD", StreamNames.deadLetters(of: stream), "*"]
        command += envelope.fields.map { $0 as any RedisArgument }
        let metadata = [
            ("dead_original_id", "\(1_700_000_000_000 + jobID)-0"), ("dead_group", "extraction"), ("dead_consumer", "extraction-1"),
            ("dead_deliveries", "5"), ("dead_error", "unprocessable: job \(jobID) is gone"), ("dead_at", "1700000000000"),
        ]
        for (key, value) in metadata { command += [key, value] }
        let reply = try await context.redis.pipeline([command])
        return try #require(reply.first?.string)
    }

    func waitFor(_ what: String, timeout: Duration = .seconds(15), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw StatusTestFailure("timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(25))
        }
    }
}
