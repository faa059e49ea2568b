import Foundation
import Glibc
import HTTPClient
import Messaging
import Redis
import Testing

/// The pipeline under faults: the real binaries, three replicas each of extraction, research and
/// cv-generator, 1,000 real postings, and one fault per scenario — a replica killed mid-message,
/// Redis restarted, PostgreSQL restarted, replicas stopped gracefully, poison messages.
///
/// After each, every job must have reached the end exactly once (one result per stage, one save event
/// per stage, one version of each document), no stream may have pending entries, and only poison may
/// be dead-lettered. Each scenario prints one line of figures:
///
/// ```
/// fault scenario sigkill: jobs in 1000, out 1000, duplicates 0, recovered in 7.4 s (batch 80.2 s)
/// ```
///
/// Each scenario runs its own Redis and PostgreSQL, since it restarts them while other suites use the
/// shared ones.
@Suite(.serialized) struct FaultInjectionTests {
    @Test func sigkill() async {
        await FaultScenario.run("sigkill") { scenario in
            try await scenario.startBatch()
            try await scenario.waitForMidBatch()
            let researched = StreamNames.Subscription(stream: scenario.streams.jobsResearched, group: ServiceName.cvGenerator.rawValue)
            let commands = StreamNames.Subscription(stream: scenario.streams.commands(for: .cvGenerator), group: ServiceName.cvGenerator.rawValue)

            // A replica in the middle of a message holds delivered, unacknowledged entries of its own.
            var victim = ""
            try await scenario.wait(until: "a cv-generator replica is in the middle of a message", timeout: .seconds(120)) {
                for instance in FaultCluster.replicas(of: .cvGenerator) where try await !scenario.ledger.pendingEntries(of: instance, in: researched).isEmpty {
                    victim = instance
                    return true
                }
                return false
            }
            try scenario.cluster.signal(victim, SIGKILL)
            let fault = ContinuousClock.now
            let exit = try await scenario.cluster.process(victim).waitForExit(timeout: .seconds(10))
            scenario.check(exit == .signal(SIGKILL), "\(victim) ended with \(exit.map(\.description) ?? "nothing") after SIGKILL")
            let orphaned = try await scenario.ledger.pendingEntries(of: victim, in: researched)
            scenario.check(!orphaned.isEmpty, "\(victim) was killed holding no entries")
            var orphanedJobs: [Int] = []
            for entry in orphaned {
                if let job = try await scenario.ledger.jobID(ofEntry: entry, in: researched.stream) { orphanedJobs.append(job) }
            }
            print("fault scenario sigkill: killed \(victim) holding \(orphaned) (jobs \(orphanedJobs))")

            // The gateway soon shows the dead replica as stale.
            try await scenario.wait(until: "/api/status shows \(victim) as stale", timeout: .seconds(15)) {
                let status = try await scenario.cluster.get("/api/status")
                let services = status["services"] as? [[String: Any]] ?? []
                let replicas = services.first { $0["name"] as? String == ServiceName.cvGenerator.rawValue }?["replicas"] as? [[String: Any]] ?? []
                return replicas.first { $0["instance"] as? String == victim }?["stale"] as? Bool == true
            }

            // The others reclaim its entries after the visibility timeout and do them once…
            try await scenario.settle(after: fault)

            // …and once nothing of it is pending any more, its consumer name leaves its groups.
            var remaining: [String] = []
            do {
                try await scenario.wait(until: "\(victim) is no longer a consumer of its groups", timeout: .seconds(20)) {
                    remaining = []
                    for subscription in [researched, commands] where try await scenario.ledger.consumers(in: subscription)[victim] != nil {
                        remaining.append(subscription.stream)
                    }
                    return remaining.isEmpty
                }
            } catch {
                scenario.check(false, "the killed replica \(victim) is still a consumer of \(remaining) 20 s after its entries were reclaimed")
            }
        }
    }

    @Test func redisRestart() async {
        await FaultScenario.run("redis-restart") { scenario in
            try await scenario.startBatch()
            try await scenario.waitForMidBatch()
            // SIGTERM: Redis writes its append-only file out before it exits, so nothing is lost.
            let fault = ContinuousClock.now
            try await scenario.redis.stop()
            try await Task.sleep(for: .seconds(2))
            try await scenario.redis.start()
            print("fault scenario redis-restart: Redis was away for \(FaultScenario.Figures.seconds(ContinuousClock.now - fault)) s")
            // The services reconnect by themselves. A command whose reply was lost when Redis went
            // away is sent again: at-least-once, an XADD may land twice, and two replicas may then
            // handle the two copies of a job at the same moment. Each still leaves one result and one
            // version of each document, but both report their save; at most one per message in
            // flight (9 replicas, 16 each) can be repeated this way.
            try await scenario.settle(after: fault, toleratedRepeatedReports: 9 * 16)
        }
    }

    @Test func postgresRestart() async {
        await FaultScenario.run("postgres-restart") { scenario in
            try await scenario.startBatch()
            try await scenario.waitForMidBatch()
            // A fast shutdown rolls back open transactions and drops every connection: handlers fail
            // mid-work, and must not acknowledge anything that was not committed.
            let fault = ContinuousClock.now
            try await scenario.postgres.stop()
            try await Task.sleep(for: .seconds(2))
            try await scenario.postgres.start()
            print("fault scenario postgres-restart: PostgreSQL was away for \(FaultScenario.Figures.seconds(ContinuousClock.now - fault)) s")
            try await scenario.settle(after: fault)
        }
    }

    @Test func sigterm() async {
        await FaultScenario.run("sigterm") { scenario in
            try await scenario.startBatch()
            try await scenario.waitForMidBatch()
            let victims = ["extraction-2", "cv-generator-2"]
            for victim in victims { try scenario.cluster.signal(victim, SIGTERM) }
            let fault = ContinuousClock.now

            // Each drains within the shutdown deadline and exits cleanly; while it drains, it should
            // no longer call itself ready (watched, not required: the drain may be too quick to see).
            var readiness: [String: [Int]] = [:]
            let deadline = fault + FaultCluster.shutdownDeadline + .seconds(5)
            while try victims.contains(where: { try scenario.cluster.process($0).isRunning }), ContinuousClock.now < deadline {
                for victim in victims {
                    let process = try scenario.cluster.process(victim)
                    guard process.isRunning else { continue }
                    let request = HTTPRequest(method: .get, url: "http://127.0.0.1:\(process.port)/readyz", timeout: .seconds(1))
                    if let status = try? await scenario.cluster.http.execute(request).status, readiness[victim]?.last != status {
                        readiness[victim, default: []].append(status)
                    }
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            for victim in victims {
                let exit = try await scenario.cluster.process(victim).waitForExit(timeout: .zero)
                scenario.check(exit == .status(0), "\(victim) did not exit cleanly within the shutdown deadline: \(exit.map(\.description) ?? "still running")")
                let group = ServiceName(rawValue: String(victim.dropLast(2)))!
                var left = 0
                for subscription in scenario.streams.subscriptions(of: group) {
                    left += try await scenario.ledger.pendingEntries(of: victim, in: subscription).count
                }
                print("fault scenario sigterm: \(victim) exited with \(exit.map(\.description) ?? "nothing") after "
                    + "\(FaultScenario.Figures.seconds(ContinuousClock.now - fault)) s or less, leaving \(left) entries pending; "
                    + "/readyz answered \(readiness[victim] ?? []) while it drained")
            }
            try await scenario.settle(after: fault)
        }
    }

    @Test func poison() async {
        await FaultScenario.run("poison") { scenario in
            try await scenario.startBatch()
            let ingested = scenario.streams.jobsIngested
            // (a) A job.ingested envelope whose payload does not decode: retried, then dead-lettered.
            let undecodable = Envelope(type: JobIngested.type, producer: "fault-suite", payload: Array(#"{"job_id":"forty-two"}"#.utf8))
            let fault = ContinuousClock.now
            let badPayload = try await StreamProducer(redis: scenario.redisClient, producer: "fault-suite").publish(undecodable, to: ingested)
            // (b) Not an envelope at all: dead-lettered on its first delivery.
            let notAnEnvelope = try #require(try await scenario.redisClient.send("XADD", ingested, "*", "garbage", "not an envelope").string)

            try await scenario.wait(until: "both poison messages are dead letters", timeout: .seconds(120)) {
                Set(try await scenario.ledger.deadLetters()[ingested]?.compactMap(\.originalEntryID) ?? []) == [badPayload, notAnEnvelope]
            }
            // The gateway lists exactly those two, with their deliveries.
            let listing = try await scenario.cluster.get("/api/dead-letters")
            scenario.check(listing["total"] as? Int == 2, "the gateway lists \(listing["total"] ?? "no") dead letters, not 2")
            let streams = listing["streams"] as? [[String: Any]] ?? []
            let entries = streams.first { $0["stream"] as? String == "jobs:ingested" }?["entries"] as? [[String: Any]] ?? []
            let deliveries = Dictionary(entries.compactMap { entry in
                (entry["original_entry_id"] as? String).map { ($0, entry["deliveries"] as? Int ?? 0) }
            }, uniquingKeysWith: { first, _ in first })
            scenario.check(deliveries == [badPayload: FaultCluster.maximumDeliveries, notAnEnvelope: 1], "the gateway lists these dead letters: \(entries)")

            // Retried through the API, the undecodable message goes back on its stream as a new entry…
            let letter = try #require(entries.first { $0["original_entry_id"] as? String == badPayload }?["entry_id"] as? String)
            let retry = try await scenario.cluster.post("/api/dead-letters/jobs:ingested/\(letter)/retry")
            scenario.check(retry.status == 200, "retrying the dead letter answered \(retry.status): \(retry.body)")
            let retried = try #require(retry.body["new_entry_id"] as? String)
            let resent = PipelineLedger.entries(try await scenario.redisClient.send("XRANGE", ingested, retried, retried)).first
            let envelope = try Envelope(fields: try #require(resent).fields)
            scenario.check(envelope.type == JobIngested.type && envelope.attempt == 2, "the retried message is a \(envelope.type), attempt \(envelope.attempt)")
            // …and, still poison, dies again.
            try await scenario.settle(after: fault, expectedDeadLetters: [ingested: [retried, notAnEnvelope]])
        }
    }
}
