/// One HTTP header field, in the order it was sent or received.
///
/// Headers are kept as an ordered list rather than a dictionary because HTTP allows a name to
/// repeat (`Set-Cookie`, `Link`) and because the order matters to some servers.
public struct HTTPHeader: Sendable, Equatable {
    /// The field name, as written (compare case-insensitively).
    public var name: String
    /// The field value, without surrounding whitespace.
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

extension HTTPHeader {
    /// Whether the name is an RFC 9110 token and the value holds no CR, LF or NUL.
    ///
    /// libcurl writes header lines to the wire verbatim, so a line break in either part would let a
    /// caller (or data it forwards) inject extra headers or a second request.
    var isValid: Bool {
        guard !name.isEmpty, name.utf8.allSatisfy(Self.isTokenByte) else { return false }
        return !value.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
