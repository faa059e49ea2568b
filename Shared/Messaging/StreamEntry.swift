import Redis

/// One entry as `XREADGROUP`/`XAUTOCLAIM` return it: its ID and fields, or no fields when the entry was
/// trimmed or deleted while still pending (a "ghost" in the pending list).
struct StreamEntry: Sendable {
    let id: String
    let fields: [(key: String, value: RedisReply)]?

    /// Reads `[[id, [field, value, …]], …]`.
    static func list(_ reply: RedisReply) throws -> [StreamEntry] {
        guard let elements = reply.array else {
            if reply.isNull { return [] }
            throw MessagingError.unexpectedReply("expected a list of stream entries, got \(reply)")
        }
        return try elements.map { element in
            guard let parts = element.array, parts.count == 2, let id = parts[0].string else {
                throw MessagingError.unexpectedReply("malformed stream entry \(element)")
            }
            return StreamEntry(id: id, fields: parts[1].pairs)
        }
    }

    /// Reads `XREADGROUP`'s `[[stream, entries]]` (nil when a blocking read timed out).
    static func fromRead(_ reply: RedisReply) throws -> [StreamEntry] {
        guard let streams = reply.array else { return [] }
        var entries: [StreamEntry] = []
        for stream in streams {
            guard let parts = stream.array, parts.count == 2 else {
                throw MessagingError.unexpectedReply("malformed XREADGROUP reply \(stream)")
            }
            entries += try list(parts[1])
        }
        return entries
    }
}
