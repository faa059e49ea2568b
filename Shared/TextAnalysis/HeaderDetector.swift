/// Decides which lines of a description are section headers, and what they are called.
///
/// Markup is trusted first (an `<h2>` or a paragraph that is entirely bold is a header when it is
/// short), then the text conventions authors use when they have no markup: a trailing colon, a known
/// header phrase on its own line, ALL CAPS, Title Case, "1. About you", "Salary: …". The text rules
/// are stricter for HTML input, where an author who wanted a header had the tools to make one.
enum HeaderDetector {
    enum Source: Sendable {
        case html
        case plainText
    }

    struct Header: Sendable, Equatable {
        var title: String
        var type: SectionType
        /// How prominent the header is: 1–6 for headings, 7 for bold paragraphs, 8 for text rules.
        /// A vague header ranked below the current section's header is a sub-heading inside it.
        var rank: Int
    }

    /// Limits that separate a header from a sentence that happens to be bold or end in a colon.
    private static let maximumMarkupWords = 12
    private static let maximumMarkupBytes = 120
    private static let maximumColonWords = 8
    private static let maximumKnownColonWords = 14
    private static let maximumPhraseWords = 6
    private static let maximumCapsWords = 8

    /// The header `line` represents, or `nil` when it is body text.
    ///
    /// - Parameters:
    ///   - next: The following line; a Title Case line is only a header when something follows it.
    ///   - source: Where the lines came from; unstyled Title Case counts only in plain text unless
    ///     the words are a known header phrase.
    static func header(for line: TextLine, next: TextLine?, source: Source) -> Header? {
        guard line.kind != .listItem else { return outlineHeader(for: line, next: next) }
        var body = Substring(line.text)
        let isNumbered: Bool
        if let end = TextLine.numberingEnd(in: body) {
            body = body[end...]
            isNumbered = true
        } else {
            isNumbered = false
        }
        let title = strippingTrailingColons(body)
        let words = wordCount(title)
        // Every rule below wants a short line; most lines are sentences, and classifying them would
        // dominate the cost of structuring a posting.
        guard words <= maximumKnownColonWords else { return isNumbered ? nil : inlineHeader(in: body) }
        guard title.contains(where: \.isLetter) else { return nil }
        let endsWithColon = body.last == ":" || body.last == "："
        let match = SectionClassifier.match(title)
        let isKnownType = match.type != .other
        // "1. Ship the feature" is a numbered item; only a numbered known header phrase is a header.
        if isNumbered, !match.isKnownHeader { return nil }
        let isSentence = !endsWithColon && [".", ",", ";"].contains(title.last)
        func header(rank: Int) -> Header { Header(title: String(title), type: match.type, rank: rank) }

        if case .heading(let level) = line.kind, words <= maximumMarkupWords, title.utf8.count <= maximumMarkupBytes {
            return header(rank: level)
        }
        if line.isEmphasized, !isSentence, words <= maximumMarkupWords, title.utf8.count <= maximumMarkupBytes {
            return header(rank: 7)
        }
        if endsWithColon, words <= maximumColonWords || (isKnownType && words <= maximumKnownColonWords) {
            // "Benefits: Acme offers the following:" is titled by its first clause.
            return inlineHeader(in: body) ?? header(rank: 8)
        }
        if match.isKnownHeader, words <= maximumPhraseWords, !isSentence {
            return header(rank: 8)
        }
        if !isSentence, words <= maximumCapsWords, isAllCaps(title) {
            return header(rank: 8)
        }
        if !isSentence, words <= maximumPhraseWords, next != nil, source == .plainText || isKnownType, isTitleCase(title) {
            return header(rank: 8)
        }
        if !isNumbered, let inline = inlineHeader(in: body) {
            return inline
        }
        return nil
    }

    /// Splits a header that lost its line break ("Requirements:You have…", "ResponsibilitiesYou
    /// will…") into the header and the rest.
    ///
    /// Only recognised header phrases are split, and only at a colon or a lower-to-upper case
    /// change, so brand names like "GitHub" or "iOS" never trigger it. Works on the first bytes of
    /// the line because it runs on every line and headers are short.
    static func splitGluedHeader(_ line: TextLine) -> (header: TextLine, body: TextLine)? {
        guard line.kind != .listItem else { return nil }
        let utf8 = line.text.utf8
        var previous: UInt8 = 0
        var index = utf8.startIndex
        var examined = 0
        while index < utf8.endIndex, examined < 60 {
            let byte = utf8[index]
            defer {
                previous = byte
                index = utf8.index(after: index)
                examined += 1
            }
            if previous == UInt8(ascii: ":"), byte != UInt8(ascii: " ") {
                // "Requirements:You have…": the colon says where the header ends.
                let candidate = strippingTrailingColons(Substring(line.text)[..<index])
                let match = SectionClassifier.match(candidate)
                guard match.isKnownHeader, wordCount(candidate) <= maximumPhraseWords else { return nil }
                return split(line, at: index)
            }
            let isBoundary = isASCIIUppercase(byte)
                && (isASCIILowercase(previous) || previous == UInt8(ascii: "?") || previous == UInt8(ascii: "!") || previous == UInt8(ascii: ")"))
            if isBoundary {
                // "ResponsibilitiesYou will…": only a phrase that is wholly a known header counts, so
                // "About GitHub" is not cut into "About Git" + "Hub". A short single word could be
                // the start of a brand ("HealthAxis", "PerksHub"), so one word must be a long one.
                let prefix = Substring(line.text)[..<index]
                let match = SectionClassifier.match(prefix)
                if match.type != .other, match.coverage == .whole, wordCount(prefix) > 1 || prefix.utf8.count >= 8 {
                    return split(line, at: index)
                }
            }
        }
        return nil
    }

    // MARK: - Rules

    /// A bullet that is a known header phrase and has nested bullets under it ("- Responsibilities"
    /// followed by indented duties), the shape outlines take when pasted from a document. A lone
    /// bullet like "- Equity" in a benefits list has no children and stays an item.
    private static func outlineHeader(for line: TextLine, next: TextLine?) -> Header? {
        guard let next, next.kind == .listItem, next.listDepth > line.listDepth, let item = line.itemText else { return nil }
        let title = strippingTrailingColons(Substring(item))
        guard wordCount(title) <= maximumPhraseWords else { return nil }
        let match = SectionClassifier.match(title)
        guard match.isKnownHeader else { return nil }
        return Header(title: String(title), type: match.type, rank: 8)
    }

    /// A known header phrase followed by a colon and the section's first sentence on the same line
    /// ("Salary: $120k–$150k", "Requirements: 5+ years of Go"). The line starts the section; its
    /// text is left as written.
    private static func inlineHeader(in text: Substring) -> Header? {
        // Header phrases are short, so only the first bytes can hold the colon.
        guard let colon = text.utf8.prefix(60).firstIndex(of: UInt8(ascii: ":")), colon != text.startIndex else { return nil }
        let rest = text[text.utf8.index(after: colon)...].trimmingSpaces()
        guard !rest.isEmpty else { return nil }
        let candidate = text[..<colon].trimmingSpaces()
        guard wordCount(candidate) <= maximumPhraseWords else { return nil }
        let match = SectionClassifier.match(candidate)
        guard match.isKnownHeader else { return nil }
        return Header(title: String(candidate), type: match.type, rank: 8)
    }

    private static func split(_ line: TextLine, at index: Substring.Index) -> (header: TextLine, body: TextLine)? {
        let text = Substring(line.text)
        let head = text[..<index].trimmingSpaces()
        let rest = text[index...].trimmingSpaces()
        guard !head.isEmpty, !rest.isEmpty else { return nil }
        var header = line
        header.text = String(head)
        let body = TextLine(text: String(rest))
        return (header, body)
    }

    /// Words separated by single spaces (lines are already collapsed), counted without allocating
    /// and only up to one past the longest header any rule accepts.
    private static func wordCount(_ text: Substring) -> Int {
        guard !text.isEmpty else { return 0 }
        var words = 1
        for byte in text.utf8 where byte == UInt8(ascii: " ") {
            words += 1
            if words > maximumKnownColonWords { break }
        }
        return words
    }

    private static func isASCIIUppercase(_ byte: UInt8) -> Bool { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) }

    private static func isASCIILowercase(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) }

    private static func strippingTrailingColons(_ text: Substring) -> Substring {
        var result = text
        while result.last == ":" || result.last == "：" || result.last == " " { result.removeLast() }
        return result.trimmingSpaces()
    }

    /// At least four letters and no lowercase ones: "WHAT YOU'LL DO", not "AWS" or "NYC".
    private static func isAllCaps(_ text: Substring) -> Bool {
        var letters = 0
        for character in text where character.isLetter {
            guard !character.isLowercase else { return false }
            if character.isUppercase { letters += 1 }
        }
        return letters >= 4
    }

    /// Function words that stay lowercase in Title Case headers ("Life at Acme", "What You'll Do").
    private static let minorWords: Set<String> = [
        "a", "an", "the", "and", "or", "nor", "but", "of", "to", "in", "on", "at", "for", "with", "by", "from",
        "as", "into", "via", "per", "vs", "&", "+", "-", "–", "—", "/",
    ]

    /// Every word starts with a capital except minor words, and the first word is capitalised.
    private static func isTitleCase(_ text: Substring) -> Bool {
        let words = text.split(separator: " ")
        guard let first = words.first, let firstLetter = first.first(where: \.isLetter), firstLetter.isUppercase else {
            return false
        }
        for word in words.dropFirst() {
            guard let letter = word.first(where: { $0.isLetter || $0.isNumber }) else { continue }
            if letter.isUppercase || letter.isNumber { continue }
            if minorWords.contains(word.lowercased()) { continue }
            return false
        }
        // A URL or an email address is not a header even when it is capitalised.
        return !text.contains("://") && !text.contains("@")
    }
}
