import Domain
import Store

/// Decides whether a new posting is a job already stored from another board.
///
/// The store only offers candidates with the same company and title; this confirms by description
/// similarity (so a reposted or lightly edited description still matches, while two openings with the
/// same title and different texts do not) and by compatible locations.
public struct DuplicateMatcher: Sendable {
    /// Estimated shingle similarity at or above which two descriptions count as the same posting.
    public var minimumSimilarity: Double

    public init(minimumSimilarity: Double = 0.5) {
        self.minimumSimilarity = minimumSimilarity
    }

    public func isSameJob(_ posting: PreparedPosting, _ candidate: DuplicateCandidate) -> Bool {
        guard locationsAreCompatible(posting, candidate) else { return false }
        return PostingFingerprint.similarity(posting.shingles, candidate.shingles) >= minimumSimilarity
    }

    /// Locations agree when either side names none, either is remote, or they share a place name.
    func locationsAreCompatible(_ posting: PreparedPosting, _ candidate: DuplicateCandidate) -> Bool {
        if posting.posting.isRemote == true || candidate.isRemote == true { return true }
        let first = Self.places(posting.posting.locations)
        let second = Self.places(candidate.locations)
        return first.isEmpty || second.isEmpty || !first.isDisjoint(with: second)
    }

    static func places(_ locations: [String]) -> Set<String> {
        Set(locations.flatMap { $0.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init) }.filter { $0.count > 2 })
    }
}
