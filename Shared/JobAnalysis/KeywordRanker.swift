/// Picks the 10–20 terms a CV for this job should contain.
///
/// Skills from the taxonomy come first, by how prominently the posting asks for them. A posting that
/// names fewer than ten (common outside engineering) is filled up with the phrases its duties and
/// requirements repeat, so that an ATS-style keyword check still has something to check.
enum KeywordRanker {
    static let minimum = 10
    static let maximum = 20

    static func topKeywords(skills: [String], title: String, points: [Sentence]) -> [String] {
        var keywords = Array(skills.prefix(maximum))
        guard keywords.count < minimum else { return keywords }
        var seen = Set(keywords.map { $0.lowercased() })
        for phrase in frequentPhrases(in: points, title: title) where keywords.count < minimum {
            guard !seen.contains(phrase), !seen.contains(where: { $0.contains(phrase) || phrase.contains($0) }) else { continue }
            seen.insert(phrase)
            keywords.append(phrase)
        }
        return keywords
    }

    /// Two-word phrases and single words that recur, best first; words of the title count double
    /// because the title is what recruiters search for.
    private static func frequentPhrases(in points: [Sentence], title: String) -> [String] {
        var counts: [String: Double] = [:]
        var order: [String: Int] = [:]
        func count(_ phrase: String, _ weight: Double) {
            counts[phrase, default: 0] += weight
            if order[phrase] == nil { order[phrase] = order.count }
        }
        for point in points {
            let words = point.words
            for (index, word) in words.enumerated() where isContent(word) {
                count(word, 1)
                if index + 1 < words.count, isContent(words[index + 1]) { count(word + " " + words[index + 1], 1.5) }
            }
        }
        for word in Words.of(title) where isContent(word) { count(word, 2) }
        // Recurring phrases first; single mentions only fill what is left.
        return counts
            .sorted { $0.value != $1.value ? $0.value > $1.value : (order[$0.key] ?? 0) < (order[$1.key] ?? 0) }
            .map(\.key)
    }

    private static func isContent(_ word: String) -> Bool {
        word.count >= 4 && !stopwords.contains(word) && !word.contains(where: \.isNumber)
    }

    private static let stopwords: Set<String> = [
        "about", "above", "across", "after", "again", "against", "also", "among", "and", "another", "any", "are", "around",
        "based", "been", "before", "being", "best", "both", "bring", "build", "building", "can", "come", "could", "daily",
        "deep", "demonstrated", "each", "either", "else", "ensure", "etc", "even", "every", "excellent", "experience",
        "experienced", "from", "full", "great", "have", "having", "help", "helping", "here", "high", "highly", "ideal",
        "ideally", "including", "into", "just", "knowledge", "like", "looking", "make", "many", "more", "most", "much",
        "must", "need", "needs", "new", "other", "others", "over", "own", "part", "plus", "preferred", "proven", "really",
        "related", "relevant", "required", "requirements", "role", "same", "should", "skills", "some", "strong", "such",
        "take", "than", "that", "their", "them", "then", "there", "these", "they", "things", "this", "those", "through",
        "time", "together", "using", "very", "want", "well", "were", "what", "when", "where", "which", "while", "will",
        "with", "within", "work", "working", "would", "year", "years", "your", "yours", "ability", "able", "across",
        "company", "team", "teams", "join", "you", "our", "who", "how", "why", "way", "ways", "day", "days", "first",
        "least", "good", "understanding", "familiarity", "comfortable", "passion", "passionate", "love", "opportunity",
        "responsible", "responsibilities", "including", "level", "various", "multiple", "across", "other", "like",
    ]
}
