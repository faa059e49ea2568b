/// A posting a source delivered that could not be accepted, and why.
public struct RejectedPosting: Sendable, Equatable, Codable {
    /// The board's ID when it could be read, else the position in the payload (`#12`).
    public var reference: String
    public var reason: String

    public init(reference: String, reason: String) {
        self.reference = reference
        self.reason = reason
    }
}
