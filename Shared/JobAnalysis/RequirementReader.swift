/// Reads the stated minimum experience and education from a posting's sentences.
enum RequirementReader {
    private static let numberWords: [String: Int] = [
        "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
        "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    ]
    private static let experienceWords: Set<String> = ["experience", "experienced", "background", "track", "working", "building", "professional", "industry"]

    /// The years of experience the main requirement asks for: the first sentence that states years,
    /// and its first count ("5+ years, with 1+ year leading teams" → 5; "3-5 years" → 3; "at least
    /// five years" → 5). The first is the headline requirement; later ones qualify it ("3+ years in
    /// a senior role") or are narrower.
    ///
    /// - Parameter inRequirements: Whether the sentences come from a requirements section. Elsewhere
    ///   a sentence must be about experience, so "a company with 10 years of history" does not count.
    static func yearsExperience(in sentences: [Sentence], inRequirements: Bool) -> Int? {
        for sentence in sentences {
            let words = sentence.words
            guard inRequirements || words.contains(where: experienceWords.contains) else { continue }
            for (index, word) in words.enumerated() where word == "years" || word == "year" || word == "yrs" || word == "yoe" {
                if index + 1 < words.count, words[index + 1] == "old" || words[index + 1] == "end" { continue }
                if let years = number(before: index, in: words), (1...20).contains(years) {
                    return years
                }
            }
        }
        return nil
    }

    /// The number that counts the years at `index`: the first of a range, skipping "+", "of" and "plus".
    private static func number(before index: Int, in words: [String]) -> Int? {
        var cursor = index - 1
        var candidate: Int?
        while cursor >= 0, index - cursor <= 4 {
            let word = words[cursor]
            if ["plus", "+", "of", "or", "more"].contains(word) { cursor -= 1; continue }
            if let upper = Self.value(of: word) {
                candidate = upper
                // "3 to 5 years", "3 5 years" (a dash became a space): keep walking for the lower bound.
                if cursor >= 2, words[cursor - 1] == "to", let lower = Self.value(of: words[cursor - 2]) { return lower }
                if cursor >= 1, let lower = Self.value(of: words[cursor - 1]) { return min(lower, upper) }
                return candidate
            }
            break
        }
        return candidate
    }

    private static func value(of word: String) -> Int? {
        let digits = word.hasSuffix("+") ? String(word.dropLast()) : word
        if let value = Int(digits) { return value }
        return numberWords[digits]
    }

    // MARK: Education

    private static let levels: [(EducationRequirement.Level, PhraseSet)] = [
        (.phd, PhraseSet(["phd", "doctorate", "doctoral degree", "doctoral"])),
        (.master, PhraseSet(["masters", "masters degree", "master degree", "mba", "msc", "ms degree", "ms in", "ma in", "graduate degree", "advanced degree"])),
        (.bachelor, PhraseSet(["bachelors", "bachelor", "bachelors degree", "bs degree", "ba degree", "bs in", "ba in", "bsc", "bs/ms", "bs or ms", "undergraduate degree", "college degree", "university degree", "4 year degree", "four year degree"])),
        (.associate, PhraseSet(["associates degree", "associate degree", "associates"])),
        (.highSchool, PhraseSet(["high school", "ged", "secondary school"])),
    ]
    /// "A degree in Computer Science" names no level; it means a first degree unless the sentence
    /// names one ("a Master's degree in Finance").
    private static let anyDegree = PhraseSet(["degree in", "degree from", "a degree", "relevant degree", "technical degree", "equivalent degree"])
    private static let optional = PhraseSet(["preferred", "a plus", "plus", "nice to have", "ideally", "or equivalent", "equivalent experience", "equivalent practical experience", "or related experience", "not required", "bonus", "desirable"])

    /// The lowest degree the sentences name, and whether it is a must.
    static func education(in sentences: [Sentence], optionalSection: Bool) -> EducationRequirement? {
        var best: EducationRequirement?
        for sentence in sentences {
            let words = sentence.words
            var named = levels.filter { $0.1.matches(words) }.map(\.0)
            if named.isEmpty, anyDegree.matches(words) { named = [.bachelor] }
            guard let level = named.min() else { continue }
            if let current = best, current.level <= level { continue }
            let required = !optionalSection && !optional.matches(words)
            best = EducationRequirement(level: level, required: required, evidence: sentence.text)
        }
        return best
    }
}
