import Foundation
import Messaging
import Postgres
import Redis

/// What the pipeline did with a batch, read straight from PostgreSQL and Redis: how far the jobs got,
/// what is still queued, what was dead-lettered, and how often each stage reported saving each job.
///
/// The database holds only the batch (see `PostingBatch`), so plain counts are counts of the batch.
struct PipelineLedger: Sendable {
    let database: PostgresClient
    let redis: RedisClient
    let streams: StreamNames
    let jobs: [Int]

    // MARK: - Progress

    struct Progress: CustomStringConvertible {
        var extracted = 0
        var researched = 0
        var withCV = 0
        /// Jobs with every stage's result.
        var finished = 0
        /// Delivered but unacknowledged entries, over every consumed stream.
        var pending = 0
        /// Entries not yet delivered to their group, over every consumed stream.
        var lag = 0

        var description: String {
            "extracted \(extracted), researched \(researched), with a CV \(withCV), pending \(pending), lag \(lag)"
        }
    }

    func progress() async throws -> Progress {
        let row = try await database.query(
            """
            SELECT (SELECT count(*) FROM job_extractions) AS extracted,
                   (SELECT count(*) FROM job_research) AS researched,
                   (SELECT count(DISTINCT job_id) FROM job_documents WHERE kind = 'cv') AS with_cv,
                   (SELECT count(*) FROM jobs j WHERE EXISTS (SELECT 1 FROM job_extractions e WHERE e.job_id = j.id)
                       AND EXISTS (SELECT 1 FROM job_research r WHERE r.job_id = j.id)
                       AND EXISTS (SELECT 1 FROM job_documents d WHERE d.job_id = j.id AND d.kind = 'cv')) AS finished
            """
        ).first
        var progress = Progress()
        progress.extracted = try row?.decode("extracted") ?? 0
        progress.researched = try row?.decode("researched") ?? 0
        progress.withCV = try row?.decode("with_cv") ?? 0
        progress.finished = try row?.decode("finished") ?? 0
        for status in try await StreamInspector(redis: redis).status(of: streams.subscriptions) {
            progress.pending += status.pending
            // Nil only when Redis cannot tell after trimming, which nothing here does.
            progress.lag += status.lag ?? 0
        }
        return progress
    }

    /// Whether every job went through every stage and nothing waits in or between the streams.
    func isSettled(_ progress: Progress) -> Bool {
        progress.finished == jobs.count && progress.pending == 0 && progress.lag == 0
    }

    // MARK: - Stored results

    /// (job, document kind, versions) for every kind of document a job has more than one version of.
    func repeatedDocuments() async throws -> [(job: Int, kind: String, versions: Int)] {
        try await database.query(
            "SELECT job_id, kind, count(*) AS versions FROM job_documents GROUP BY job_id, kind HAVING count(*) > 1 ORDER BY job_id, kind"
        ).map { (try $0.decode("job_id"), try $0.decode("kind"), try $0.decode("versions")) }
    }

    // MARK: - Progress events

    /// One `save` / `finished` event of a pipeline stage: the moment a stage's result was committed.
    struct SaveEvent: CustomStringConvertible {
        var entryID: String
        var service: ServiceName
        var jobID: Int
        /// The replica that sent it.
        var producer: String

        var description: String { "\(service.rawValue) saved job \(jobID) (event \(entryID) from \(producer))" }
    }

    /// Every `save` / `finished` event of pipeline work (not of operations) in the events stream.
    func saveEvents() async throws -> [SaveEvent] {
        var events: [SaveEvent] = []
        var start = "-"
        while true {
            let reply = try await redis.send("XRANGE", streams.events, start, "+", "COUNT", 2000)
            let entries = Self.entries(reply)
            for entry in entries {
                guard let envelope = try? Envelope(fields: entry.fields), envelope.type == ProgressEvent.type,
                      let event = try? envelope.decode(ProgressEvent.self),
                      event.step == "save", event.phase == .finished, event.operationID == nil else { continue }
                events.append(SaveEvent(entryID: entry.id, service: event.service, jobID: event.jobID, producer: envelope.producer))
            }
            guard entries.count == 2000, let last = entries.last else { return events }
            start = "(\(last.id)"
        }
    }

    // MARK: - Streams

    /// The streams the running services consume (no ingestion service runs: the batch is seeded).
    var consumed: [StreamNames.Subscription] {
        FaultCluster.workers.flatMap { streams.subscriptions(of: $0) }
    }

    /// The group's pending count from the `XPENDING` summary, for every consumed stream.
    func pendingSummary() async throws -> [(subscription: StreamNames.Subscription, pending: Int)] {
        var summary: [(subscription: StreamNames.Subscription, pending: Int)] = []
        for subscription in consumed {
            let reply = try await redis.send("XPENDING", subscription.stream, subscription.group)
            summary.append((subscription, reply.array?.first?.int ?? 0))
        }
        return summary
    }

    /// IDs of the entries a consumer holds delivered and unacknowledged.
    func pendingEntries(of consumer: String, in subscription: StreamNames.Subscription) async throws -> [String] {
        let reply = try await redis.send("XPENDING", subscription.stream, subscription.group, "-", "+", 1000, consumer)
        return (reply.array ?? []).compactMap { $0.array?.first?.string }
    }

    /// The consumers Redis knows in a subscription's group, with how many entries each holds.
    func consumers(in subscription: StreamNames.Subscription) async throws -> [String: Int] {
        let reply = try await redis.send("XINFO", "CONSUMERS", subscription.stream, subscription.group)
        var consumers: [String: Int] = [:]
        for consumer in reply.array ?? [] {
            let fields = Dictionary(consumer.pairs ?? [], uniquingKeysWith: { first, _ in first })
            if let name = fields["name"]?.string { consumers[name] = fields["pending"]?.int ?? 0 }
        }
        return consumers
    }

    /// The job an entry of a stream is about, read from its envelope.
    func jobID(ofEntry id: String, in stream: String) async throws -> Int? {
        let reply = try await redis.send("XRANGE", stream, id, id)
        return Self.entries(reply).first.flatMap { try? Envelope(fields: $0.fields).jobID }
    }

    /// Every dead letter, by the stream it died in.
    func deadLetters() async throws -> [String: [StreamInspector.DeadLetter]] {
        var letters: [String: [StreamInspector.DeadLetter]] = [:]
        for subscription in streams.subscriptions {
            let reply = try await redis.send("XRANGE", StreamNames.deadLetters(of: subscription.stream), "-", "+")
            let found = Self.entries(reply).map { StreamInspector.DeadLetter(entryID: $0.id, fields: $0.fields) }
            if !found.isEmpty { letters[subscription.stream] = found }
        }
        return letters
    }

    /// Reads `XRANGE`'s `[[id, [field, value, …]], …]`.
    static func entries(_ reply: RedisReply) -> [(id: String, fields: [(key: String, value: RedisReply)])] {
        (reply.array ?? []).compactMap { entry in
            guard let parts = entry.array, parts.count == 2, let id = parts[0].string else { return nil }
            return (id, parts[1].pairs ?? [])
        }
    }
}
