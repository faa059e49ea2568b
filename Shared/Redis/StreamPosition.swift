/// A stream entry ID split into its two numbers, which order entries.
public struct StreamPosition: Sendable, Comparable, Hashable, CustomStringConvertible {
    public var milliseconds: Int64
    public var sequence: Int64

    public init(milliseconds: Int64, sequence: Int64) {
        self.milliseconds = milliseconds
        self.sequence = sequence
    }

    /// Reads `1700000000000-3`; nil for anything else.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let milliseconds = Int64(parts[0]), let sequence = Int64(parts[1]),
              milliseconds >= 0, sequence >= 0 else { return nil }
        self.init(milliseconds: milliseconds, sequence: sequence)
    }

    /// The last possible position before `milliseconds`: reading after it includes every entry added
    /// at or after that moment.
    public static func justBefore(milliseconds: Int64) -> StreamPosition {
        milliseconds <= 0 ? StreamPosition(milliseconds: 0, sequence: 0) : StreamPosition(milliseconds: milliseconds - 1, sequence: .max)
    }

    /// The smallest position after this one (`XTRIM MINID` keeps entries from here on).
    public var successor: StreamPosition {
        sequence == .max ? StreamPosition(milliseconds: milliseconds + 1, sequence: 0) : StreamPosition(milliseconds: milliseconds, sequence: sequence + 1)
    }

    public var description: String { "\(milliseconds)-\(sequence)" }

    public static func < (lhs: StreamPosition, rhs: StreamPosition) -> Bool {
        (lhs.milliseconds, lhs.sequence) < (rhs.milliseconds, rhs.sequence)
    }
}
