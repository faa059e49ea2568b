import Redis

/// Looks through the events stream for one job's progress event.
public enum ProgressEventSearch {
    /// Entries read per round trip, and the most read in all: a redelivery looks back over the
    /// events since its message was published, which is a few thousand entries at most in practice.
    static let pageSize = 2_000
    static let scanLimit = 500_000

    /// Whether `stream` holds, at or after `since`, an event of `service` about `jobID` at `step` in `phase`.
    public static func contains(
        jobID: Int,
        service: ServiceName,
        step: String,
        phase: ProgressEvent.Phase,
        since: String,
        in stream: String,
        redis: RedisClient
    ) async throws -> Bool {
        let job = String(jobID)
        var start = since
        var scanned = 0
        while scanned < scanLimit {
            let entries = try StreamEntry.list(try await redis.send("XRANGE", stream, start, "+", "COUNT", pageSize))
            for entry in entries {
                guard let fields = entry.fields,
                      fields.contains(where: { $0.key == Envelope.Field.jobID && $0.value.string == job }),
                      let envelope = try? Envelope(fields: fields), envelope.type == ProgressEvent.type,
                      let event = try? envelope.decode(ProgressEvent.self)
                else { continue }
                if event.service == service, event.step == step, event.phase == phase { return true }
            }
            guard entries.count == pageSize, let last = entries.last else { return false }
            scanned += entries.count
            start = "(" + last.id
        }
        return false
    }
}
