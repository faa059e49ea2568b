import Foundation
import TextAnalysis

/// A structured description read back as sections of lines, the unit every analysis step works on.
struct DescriptionText: Sendable {
    struct Section: Sendable {
        var type: SectionType
        var title: String?
        /// The section's lines without its header line and without bullet markers.
        var lines: [Line]
        /// Which lines were bullets.
        var items: [String]
    }

    /// A paragraph or bullet, split into sentences once so every reader shares the work.
    struct Line: Sendable {
        var text: String
        var sentences: [Sentence]
        var words: [String] { sentences.flatMap(\.words) }

        init(_ text: String) {
            self.text = text
            sentences = Sentences.split(text).map(Sentence.init)
        }
    }

    var sections: [Section]

    init(_ structure: DescriptionStructure) {
        let utf16 = structure.text.utf16
        sections = structure.sections.map { section in
            let lower = utf16.index(utf16.startIndex, offsetBy: section.start, limitedBy: utf16.endIndex) ?? utf16.endIndex
            let upper = utf16.index(utf16.startIndex, offsetBy: section.end, limitedBy: utf16.endIndex) ?? utf16.endIndex
            var lines = String(structure.text[lower..<upper]).split(separator: "\n").map(Self.withoutMarker)
            if let title = section.title, !lines.isEmpty {
                // A header glued to its text ("Compensation: $150k–$180k") keeps the text.
                let first = lines.removeFirst()
                if let range = first.range(of: title), range.upperBound < first.endIndex {
                    let rest = first[range.upperBound...].drop { $0 == ":" || $0 == " " || $0 == "-" || $0 == "–" }
                    if !rest.isEmpty { lines.insert(String(rest), at: 0) }
                }
            }
            return Section(type: section.type, title: section.title, lines: lines.filter { !$0.isEmpty }.map(Line.init), items: section.items)
        }
    }

    /// Sentences of the sections of the given types, in text order.
    func sentences(of types: Set<SectionType>) -> [Sentence] {
        sections.filter { types.contains($0.type) }.flatMap { $0.lines.flatMap(\.sentences) }
    }

    /// Sentences of every section except those of the given types.
    func sentences(except types: Set<SectionType>) -> [Sentence] {
        sections.filter { !types.contains($0.type) }.flatMap { $0.lines.flatMap(\.sentences) }
    }

    /// A section's bullets, or its sentences when it has none (a duty list written as prose).
    func points(of types: Set<SectionType>) -> [String] {
        sections.filter { types.contains($0.type) }.flatMap { section in
            section.items.isEmpty ? section.lines.flatMap { $0.sentences.map(\.text) } : section.items
        }
    }

    private static func withoutMarker(_ line: Substring) -> String {
        var body = line.drop { $0 == " " }
        if body.hasPrefix("- ") {
            body = body.dropFirst(2)
        } else if let dot = body.firstIndex(of: "."), dot != body.startIndex, body[..<dot].allSatisfy(\.isNumber),
                  body[body.index(after: dot)...].hasPrefix(" ") {
            body = body[body.index(dot, offsetBy: 2)...]
        }
        return String(body)
    }
}

/// A sentence with its words, read once.
struct Sentence: Sendable {
    var text: String
    var words: [String]

    init(_ text: String) {
        self.text = text
        words = Words.of(text)
    }
}

/// Splits prose into sentences, for evidence quotes.
enum Sentences {
    /// Sentences end at `.`, `!` or `?` followed by a space and a capital letter or digit; a line
    /// never continues a sentence (lines are paragraphs or bullets).
    static func split(_ line: String) -> [String] {
        var sentences: [String] = []
        var start = line.startIndex
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            let next = line.index(after: index)
            if character == "." || character == "!" || character == "?", next < line.endIndex, line[next] == " " {
                let following = line.index(after: next)
                if following < line.endIndex, line[following].isUppercase || line[following].isNumber,
                   !Self.endsWithAbbreviation(line[start..<index]) {
                    appendTrimmed(line[start...index], to: &sentences)
                    start = following
                    index = following
                    continue
                }
            }
            index = next
        }
        appendTrimmed(line[start...], to: &sentences)
        return sentences
    }

    private static func appendTrimmed(_ text: Substring, to sentences: inout [String]) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty { sentences.append(String(trimmed)) }
    }

    /// "e.g. Kafka", "vs. Go", "Inc. Our": no sentence ends there.
    private static func endsWithAbbreviation(_ text: Substring) -> Bool {
        let last = text.split(separator: " ").last.map { $0.lowercased() } ?? ""
        return ["e.g", "i.e", "etc", "vs", "inc", "incl", "approx", "mr", "ms", "dr", "st", "jr", "sr", "no", "u.s"].contains(last)
    }
}

/// Lower-cased words of a sentence, for the cue tables: letters, digits, `+`, `%` and `$` kept,
/// apostrophes and dots dropped ("master's" → "masters", "Ph.D." → "phd").
enum Words {
    static func of(_ text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty {
                words.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                switch value {
                case 0x61...0x7A, 0x30...0x39: current.append(scalar)  // a-z, 0-9
                case 0x41...0x5A: current.append(Unicode.Scalar(value + 0x20) ?? scalar)  // A-Z
                case 0x27, 0x2E: continue  // ' .
                case 0x2B, 0x25, 0x24: current.append(scalar)  // + % $
                default: flush()
                }
            } else if scalar == "’" {
                continue
            } else if scalar == "€" || scalar == "£" {
                current.append(scalar)
            } else if scalar.properties.isAlphabetic {
                current.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else if scalar.properties.numericType != nil {
                current.append(scalar)
            } else {
                flush()
            }
        }
        flush()
        return words
    }
}

/// A list of phrases looked for as whole words ("head of" in "Head of Data", not in "ahead of").
///
/// Phrases are indexed by their first word, so a sentence is read once whatever the list's length.
struct PhraseSet: Sendable {
    private let byFirstWord: [String: [[String]]]

    init(_ phrases: [String]) {
        var byFirstWord: [String: [[String]]] = [:]
        for phrase in phrases {
            let words = Words.of(phrase)
            guard let first = words.first else { continue }
            byFirstWord[first, default: []].append(words)
        }
        self.byFirstWord = byFirstWord
    }

    func matches(_ words: [String]) -> Bool {
        for (position, word) in words.enumerated() {
            guard let candidates = byFirstWord[word] else { continue }
            for phrase in candidates where position + phrase.count <= words.count {
                if words[position..<(position + phrase.count)].elementsEqual(phrase) { return true }
            }
        }
        return false
    }
}

/// Several tagged phrase lists searched in one pass: which tags' phrases a sentence contains.
///
/// The readers ask a dozen questions of every sentence ("does it talk about migrations? about
/// scale?"); one index answers them all with one dictionary lookup per word instead of one per list.
struct TaggedPhrases: Sendable {
    private let byFirstWord: [String: [(phrase: [String], tag: Int)]]
    let tagCount: Int

    /// - Parameter lists: The phrase lists; a list's position is its tag.
    init(_ lists: [[String]]) {
        var byFirstWord: [String: [(phrase: [String], tag: Int)]] = [:]
        for (tag, phrases) in lists.enumerated() {
            for phrase in phrases {
                let words = Words.of(phrase)
                guard let first = words.first else { continue }
                byFirstWord[first, default: []].append((words, tag))
            }
        }
        self.byFirstWord = byFirstWord
        tagCount = lists.count
    }

    /// For each tag, how many of its phrases occur in `words` (each occurrence counts).
    func counts(in words: [String]) -> [Int] {
        var counts = [Int](repeating: 0, count: tagCount)
        for (position, word) in words.enumerated() {
            guard let candidates = byFirstWord[word] else { continue }
            for candidate in candidates where position + candidate.phrase.count <= words.count {
                if candidate.phrase.count == 1 || words[position..<(position + candidate.phrase.count)].elementsEqual(candidate.phrase) {
                    counts[candidate.tag] += 1
                }
            }
        }
        return counts
    }
}
