/// Word-level phrase matching over page text, shared by the quality gate and the page readers.
///
/// Every rule in those readers is a list of words and phrases ("we use cookies", "series b",
/// "partnered with"). Matching them on text reduced to ` lowercase words ` separated by single spaces
/// makes each rule a plain substring test that respects word boundaries ("ai" does not match
/// "maintain", "cookie" in "cookie-policy" still matches), needs no regular expressions, and costs
/// one pass over the text.
enum WebsiteTextMatching {
    /// `text` lowercased, with every run of characters other than letters, digits and `$ € £ % +`
    /// turned into one space, and a space added at both ends.
    ///
    /// Apostrophes split words (`don't` → `don t`), so phrases must be written through this function
    /// too: use ``phrases(_:)`` for rule lists.
    static func padded(_ text: String) -> String {
        var result = " "
        result.reserveCapacity(text.utf8.count + 2)
        var lastWasSpace = true
        for character in text.lowercased() {
            if character.isLetter || character.isNumber || keptSymbols.contains(character) {
                result.append(character)
                lastWasSpace = false
            } else if !lastWasSpace {
                result.append(" ")
                lastWasSpace = true
            }
        }
        if !lastWasSpace { result.append(" ") }
        return result
    }

    /// Rule phrases in the form ``padded(_:)`` produces, ready for ``containsAny(_:_:)``.
    static func phrases(_ list: [String]) -> [String] {
        list.map(padded).filter { $0.count > 2 }
    }

    /// Whether the padded text holds any of the padded phrases.
    static func containsAny(_ padded: String, _ phrases: [String]) -> Bool {
        phrases.contains { padded.contains($0) }
    }

    /// The first of the padded phrases the padded text holds, trimmed, for explaining a decision.
    static func firstMatch(_ padded: String, _ phrases: [String]) -> String? {
        phrases.first { padded.contains($0) }.map { String($0.dropFirst().dropLast()) }
    }

    /// The words of `text`: runs of letters and digits, with the case kept.
    static func words(_ text: String) -> [Substring] {
        text.split { !($0.isLetter || $0.isNumber) }
    }

    /// How many words `text` has.
    static func wordCount(_ text: String) -> Int {
        var count = 0
        var inWord = false
        for character in text {
            let isWordCharacter = character.isLetter || character.isNumber
            if isWordCharacter, !inWord { count += 1 }
            inWord = isWordCharacter
        }
        return count
    }

    /// The non-empty lines of `text`, trimmed.
    static func lines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let trimmed = trimmed(line)
            return trimmed.isEmpty ? nil : trimmed
        }
    }

    /// `text` without surrounding whitespace.
    static func trimmed<Text: StringProtocol>(_ text: Text) -> String {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }),
            let last = text.lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(text[first...last])
    }

    /// `text` with runs of whitespace collapsed to one space and no space at either end.
    static func collapsingWhitespace<Text: StringProtocol>(_ text: Text) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// `text` cut to at most `limit` characters at a word boundary, with `…` when something was cut.
    static func shortened(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        var cut = String(text.prefix(limit - 1))
        if let space = cut.lastIndex(of: " "), cut.distance(from: cut.startIndex, to: space) > limit / 2 {
            cut = String(cut[..<space])
        }
        while let last = cut.last, last == "," || last == ";" || last == ":" || last.isWhitespace {
            cut.removeLast()
        }
        return cut + "…"
    }

    private static let keptSymbols: Set<Character> = ["$", "€", "£", "%", "+"]
}
