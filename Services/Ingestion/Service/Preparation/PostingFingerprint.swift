import Domain

/// What ingestion compares to tell that two postings are the same job: a key of normalized company
/// and title, and a sketch of the description's word shingles.
public enum PostingFingerprint {
    /// Shingles of this many words: long enough that unrelated postings share few, short enough that
    /// a lightly edited description keeps most.
    static let shingleWords = 5
    /// The sketch keeps the smallest hashes only (a bottom-k sketch), which estimates set similarity
    /// without storing every shingle.
    static let sketchSize = 128

    /// Words in titles that say how or where the job is done, not what it is.
    static let titleNoise: Set<String> = ["remote", "hybrid", "onsite", "on", "site", "m", "f", "d", "w", "x", "all", "genders"]

    /// `docker|senior-backend-engineer`. Parenthesised and bracketed notes are dropped:
    /// "Senior Backend Engineer (Remote, EU)" is the same title.
    public static func dedupeKey(company: String, title: String) -> String {
        var depth = 0
        var bare = ""
        for character in title {
            if character == "(" || character == "[" { depth += 1; continue }
            if character == ")" || character == "]" { depth = max(0, depth - 1); continue }
            if depth == 0 { bare.append(character) }
        }
        let words = bare.lowercased()
            .split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            .map(String.init)
            .filter { !titleNoise.contains($0) }
        return CompanyName.normalized(company) + "|" + words.joined(separator: "-")
    }

    /// The bottom-k sketch of the text's word shingles, sorted ascending.
    ///
    /// Works on UTF-8 bytes: a word is a run of ASCII letters and digits (folded to lower case) or
    /// non-ASCII bytes, so no string is built per word or per shingle.
    public static func shingles(of text: String) -> [Int64] {
        var words: [UInt64] = []
        var word: UInt64 = offsetBasis
        var inWord = false
        for byte in text.utf8 {
            let folded: UInt8
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): folded = byte + 32
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), 0x80...: folded = byte
            default:
                if inWord { words.append(word) }
                word = offsetBasis
                inWord = false
                continue
            }
            word = (word ^ UInt64(folded)) &* prime
            inWord = true
        }
        if inWord { words.append(word) }
        guard !words.isEmpty else { return [] }
        let width = min(shingleWords, words.count)
        var hashes = Set<Int64>()
        hashes.reserveCapacity(words.count)
        for start in 0...(words.count - width) {
            var hash = offsetBasis
            for word in words[start..<(start + width)] {
                hash = (hash ^ word) &* prime
            }
            hashes.insert(Int64(bitPattern: hash))
        }
        return Array(hashes.sorted().prefix(sketchSize))
    }

    /// Estimated Jaccard similarity of the shingle sets two sketches were taken from.
    public static func similarity(_ first: [Int64], _ second: [Int64]) -> Double {
        guard !first.isEmpty, !second.isEmpty else { return 0 }
        let union = Array(Set(first).union(second).sorted().prefix(sketchSize))
        let inFirst = Set(first)
        let inSecond = Set(second)
        let shared = union.filter { inFirst.contains($0) && inSecond.contains($0) }.count
        return Double(shared) / Double(union.count)
    }

    // FNV-1a: stable across processes and releases (Swift's `Hasher` is seeded per process), so
    // sketches stored by one replica compare with those of another.
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x100_0000_01b3
}
