/// A reply from Redis, typed as RESP2 types it.
///
/// Error replies nested inside arrays (from `EXEC`, say) stay values; an error as the whole reply is
/// thrown as `RedisError.server` by `RedisConnection.send`.
public enum RedisReply: Sendable, Equatable {
    case status(String)
    case error(String)
    case integer(Int64)
    case bulk([UInt8])
    case null
    indirect case array([RedisReply])

    /// The reply as text: a bulk string decoded as UTF-8, or a status line.
    public var string: String? {
        switch self {
        case .bulk(let bytes): String(decoding: bytes, as: UTF8.self)
        case .status(let text): text
        default: nil
        }
    }

    /// The reply as an integer: an integer reply, or a bulk string of digits (as `XINFO` sends some).
    public var int: Int? {
        switch self {
        case .integer(let value): Int(value)
        case .bulk, .status: string.flatMap { Int($0) }
        default: nil
        }
    }

    public var bytes: [UInt8]? {
        if case .bulk(let bytes) = self { return bytes }
        return nil
    }

    public var array: [RedisReply]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    public var isNull: Bool { self == .null }

    /// Reads a flat `[key, value, key, value…]` array (HGETALL, XINFO, stream entry fields) as pairs.
    public var pairs: [(key: String, value: RedisReply)]? {
        guard let elements = array, elements.count % 2 == 0 else { return nil }
        return stride(from: 0, to: elements.count, by: 2).compactMap { index in
            elements[index].string.map { ($0, elements[index + 1]) }
        }
    }
}
