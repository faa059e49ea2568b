/// A 64-bit FNV-1a hash: a fast, stable fingerprint for telling whether content changed. Not for
/// security; nothing trusts it against an adversary.
public struct FNV1a: Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func combine(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            value ^= UInt64(byte)
            value = value &* 0x100_0000_01b3
        }
    }

    /// Ends a part, so ("ab", "c") and ("a", "bc") hash differently.
    public mutating func separate() {
        combine(CollectionOfOne(0xff))
    }

    public var hex: String { String(value, radix: 16) }
}
