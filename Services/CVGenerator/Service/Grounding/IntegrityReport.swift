/// Every checkable claim of a generated document, and where in the master CV (or the job) it comes
/// from. A document is ready only when no claim is ungrounded.
public struct IntegrityReport: Sendable, Equatable, Codable {
    public struct Claim: Sendable, Equatable, Codable {
        public enum Kind: String, Sendable, Codable {
            case number, date, employer, title, skill
        }

        public var kind: Kind
        /// As written in the document.
        public var text: String
        /// Where it comes from (`roles[0].achievements[2].core_fact`, `skills[1]`, `job.title`), or nil
        /// when nothing supports it.
        public var source: String?

        public init(kind: Kind, text: String, source: String?) {
            self.kind = kind
            self.text = text
            self.source = source
        }
    }

    public var claims: [Claim]
    /// Claims removed from the document because nothing supported them.
    public var removed: [Claim]

    public init(claims: [Claim], removed: [Claim] = []) {
        self.claims = claims
        self.removed = removed
    }

    public var ungrounded: [Claim] { claims.filter { $0.source == nil } }
    public var isClean: Bool { ungrounded.isEmpty }

    /// "41 claims, all grounded" or "2 of 41 claims ungrounded: 300%, COBOL".
    public var summary: String {
        let bad = ungrounded
        let removedNote = removed.isEmpty ? "" : "; removed \(removed.count): " + removed.map(\.text).joined(separator: ", ")
        if bad.isEmpty { return "\(claims.count) claims, all grounded" + removedNote }
        return "\(bad.count) of \(claims.count) claims ungrounded: " + bad.map(\.text).joined(separator: ", ") + removedNote
    }
}
