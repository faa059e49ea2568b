import Foundation
import Hummingbird
import Messaging
import Redis
import Runtime

/// The dead letters of every stream the pipeline consumes: entries a consumer gave up on, kept in
/// `<stream>:dead` with the error (see `StreamConsumer`).
///
/// - `GET /api/dead-letters?limit=50` — per stream, how many there are and the newest ones.
/// - `POST /api/dead-letters/{stream}/{entry_id}/retry` — puts one back on its stream.
/// - `POST /api/dead-letters/{stream}/retry-all` — puts back every one there is when asked.
/// - `DELETE /api/dead-letters/{stream}/{entry_id}` — throws one away.
///
/// `{stream}` is the stream as the API names it, without the deployment prefix: `jobs:ingested`,
/// `commands:extraction`.
struct DeadLetterRoutes: Sendable {
    /// Dead letters re-sent per transaction by retry-all.
    static let retryBatchSize = 100

    let context: ServiceContext
    let access: AccessControl
    let inspector: StreamInspector

    init(context: ServiceContext, access: AccessControl) {
        self.context = context
        self.access = access
        self.inspector = StreamInspector(redis: context.redis)
    }

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.get("dead-letters", use: list)
        api.post("dead-letters/:stream/retry-all", use: retryAll)
        api.post("dead-letters/:stream/:entry_id/retry", use: retry)
        api.delete("dead-letters/:stream/:entry_id", use: discard)
    }

    // MARK: - Shapes

    struct Entry: Encodable {
        /// Its ID in the dead-letter stream: the `{entry_id}` of retry and delete.
        var entryID: String
        var stream: String
        var originalEntryID: String?
        var type: String?
        var jobID: Int?
        var messageID: String?
        var error: String?
        var deliveries: Int?
        var group: String?
        var consumer: String?
        var deadAt: Date?

        enum CodingKeys: String, CodingKey {
            case stream, type, error, deliveries, group, consumer
            case entryID = "entry_id"
            case originalEntryID = "original_entry_id"
            case jobID = "job_id"
            case messageID = "message_id"
            case deadAt = "dead_at"
        }
    }

    struct StreamDeadLetters: Encodable {
        var stream: String
        var group: String
        /// Every dead letter of the stream, not only the ones listed.
        var count: Int
        /// The newest first.
        var entries: [Entry]
    }

    struct Listing: ResponseEncodable {
        var total: Int
        var streams: [StreamDeadLetters]
    }

    struct Retried: ResponseEncodable {
        var stream: String
        var entryID: String
        /// The message's new entry in its stream.
        var newEntryID: String

        enum CodingKeys: String, CodingKey {
            case stream
            case entryID = "entry_id"
            case newEntryID = "new_entry_id"
        }
    }

    struct RetriedAll: ResponseEncodable {
        var stream: String
        var retried: Int
    }

    // MARK: - Handlers

    @Sendable func list(_ request: Request, context: ServiceRequestContext) async throws -> Listing {
        let limit = try integerQuery(request, "limit", default: 50, range: 1...500)
        let subscriptions = self.context.streams.subscriptions
        let found = try await inspector.deadLetters(of: subscriptions.map(\.stream), newest: limit)
        let streams = zip(subscriptions, found).map { subscription, found in
            let name = apiName(of: subscription.stream)
            return StreamDeadLetters(
                stream: name,
                group: subscription.group,
                count: found.count,
                entries: found.newest.map { entry(from: $0, stream: name) }
            )
        }
        return Listing(total: streams.reduce(0) { $0 + $1.count }, streams: streams)
    }

    @Sendable func retry(_ request: Request, context: ServiceRequestContext) async throws -> Retried {
        try await access.authorizeWrite(request, context: context)
        let (name, key) = try stream(in: context)
        let id = try entryID(in: context)
        guard let letter = try await inspector.deadLetter(id, of: key) else {
            throw APIError.notFound("\(name) has no dead letter \(id)")
        }
        let newIDs = try await republish([letter], to: key)
        return Retried(stream: name, entryID: letter.entryID, newEntryID: newIDs[0])
    }

    /// Re-sends the dead letters there are when asked, oldest first. Letters that die again meanwhile
    /// land after the newest one seen at the start, so the loop ends even if every retry fails at once.
    @Sendable func retryAll(_ request: Request, context: ServiceRequestContext) async throws -> RetriedAll {
        try await access.authorizeWrite(request, context: context)
        let (name, key) = try stream(in: context)
        var retried = 0
        if let newest = try await inspector.newestDeadLetterID(of: key) {
            var cursor: StreamInspector.EntryID?
            while true {
                let batch = try await inspector.deadLetters(of: key, after: cursor, through: newest, count: Self.retryBatchSize)
                guard let last = batch.last else { break }
                // An entry with nothing to re-send would make the whole batch fail; it stays for a person to discard.
                let resendable = batch.filter { !$0.originalFields.isEmpty }
                if !resendable.isEmpty { retried += try await republish(resendable, to: key).count }
                cursor = StreamInspector.EntryID(last.entryID)
                if batch.count < Self.retryBatchSize || cursor == nil { break }
            }
        }
        return RetriedAll(stream: name, retried: retried)
    }

    @Sendable func discard(_ request: Request, context: ServiceRequestContext) async throws -> Response {
        try await access.authorizeWrite(request, context: context)
        let (name, key) = try stream(in: context)
        let id = try entryID(in: context)
        let removed = try await self.context.redis.send("XDEL", StreamNames.deadLetters(of: key), id.description)
        guard removed.int == 1 else { throw APIError.notFound("\(name) has no dead letter \(id)") }
        return Response(status: .noContent)
    }

    // MARK: - Re-sending

    /// Adds each letter's original message to `stream` as a new entry and deletes the letter, in one
    /// transaction, and returns the new entry IDs.
    ///
    /// Should the transaction's outcome be lost (the connection breaks after `EXEC`), a retry of the
    /// request at worst sends the message twice, which idempotent handlers allow; it is never lost.
    private func republish(_ letters: [StreamInspector.DeadLetter], to stream: String) async throws -> [String] {
        if let empty = letters.first(where: { $0.originalFields.isEmpty }) {
            throw APIError.conflict("dead letter \(empty.entryID) kept none of its message's fields: there is nothing to re-send")
        }
        let deadStream = StreamNames.deadLetters(of: stream)
        let maximumLength = String(context.configuration.streamMaximumLength)
        var commands: [[any RedisArgument]] = [["MULTI"]]
        for letter in letters {
            commands.append(["XADD", stream, "MAXLEN", "~", maximumLength, "*"] + letter.retryFields.map { $0 as any RedisArgument })
            commands.append(["XDEL", deadStream, letter.entryID])
        }
        commands.append(["EXEC"])
        let replies = try await context.redis.pipeline(commands)
        for reply in replies {
            if case .error(let message) = reply { throw RedisError.server(message) }
        }
        guard let results = replies.last?.array, results.count == letters.count * 2 else {
            throw RedisError.unexpectedReply("EXEC returned \(replies.last ?? .null)")
        }
        return try stride(from: 0, to: results.count, by: 2).map { index in
            if case .error(let message) = results[index] { throw RedisError.server(message) }
            guard let id = results[index].string else { throw RedisError.unexpectedReply("XADD returned \(results[index])") }
            return id
        }
    }

    // MARK: - Parameters

    /// The `{stream}` parameter as its API name and Redis key; a 404 unless the pipeline consumes it.
    private func stream(in context: ServiceRequestContext) throws -> (name: String, key: String) {
        let raw = context.parameters.get("stream") ?? ""
        let name = raw.removingPercentEncoding ?? raw
        let key = "\(self.context.streams.prefix):\(name)"
        guard self.context.streams.subscriptions.contains(where: { $0.stream == key }) else {
            let known = self.context.streams.subscriptions.map { apiName(of: $0.stream) }.joined(separator: ", ")
            throw APIError.notFound("no stream '\(name)' has dead letters; the streams are \(known)")
        }
        return (name, key)
    }

    private func entryID(in context: ServiceRequestContext) throws -> StreamInspector.EntryID {
        let raw = context.parameters.get("entry_id") ?? ""
        guard let id = StreamInspector.EntryID(raw) else {
            throw APIError.badRequest("entry_id must be a stream entry ID such as 1700000000000-0, got '\(raw)'")
        }
        return id
    }

    private func apiName(of key: String) -> String {
        String(key.dropFirst(context.streams.prefix.count + 1))
    }

    private func entry(from letter: StreamInspector.DeadLetter, stream: String) -> Entry {
        Entry(
            entryID: letter.entryID,
            stream: stream,
            originalEntryID: letter.originalEntryID,
            type: letter.type,
            jobID: letter.jobID,
            messageID: letter.messageID,
            error: letter.error,
            deliveries: letter.deliveries,
            group: letter.group,
            consumer: letter.consumer,
            deadAt: letter.deadAt
        )
    }
}
