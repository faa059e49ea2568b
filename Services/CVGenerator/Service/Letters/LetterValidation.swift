import Domain
import Foundation

/// What a check of a letter found.
public struct LetterCheck: Sendable, Equatable {
    /// One readable sentence per broken rule; empty when the letter passes.
    public var problems: [String]
    public var isValid: Bool

    public init(problems: [String]) {
        self.problems = problems
        self.isValid = problems.isEmpty
    }
}

/// The rules every cover letter and outreach message must meet before it can be marked ready.
///
/// The limits are the platforms' own (LinkedIn rejects a longer connection note) plus the domain's
/// rules for letters; grounding is the rule users care about most: a number the master CV and the
/// research do not contain is an invented claim.
public enum LetterValidation {
    public static let coverLetterWords = 180...420
    public static let coverLetterParagraphs = 2...5
    public static let linkedInNoteMaximum = 300
    public static let inMailSubjectMaximum = 30
    public static let inMailBodyCharacters = 400...600
    public static let emailSubjectMaximum = 100
    public static let emailBodyWords = 95...205

    /// Stock phrases recruiters skim past; matched case-insensitively on whole words, with hyphens and
    /// spaces treated alike.
    public static let boilerplatePhrases: [String] = [
        "I am excited to apply", "excited to apply", "thrilled to apply", "I am writing to express my interest",
        "I am writing to apply", "to whom it may concern", "dear sir or madam", "team player", "dream job",
        "passionate about", "hit the ground running", "fast-paced", "synergy", "synergies",
        "think outside the box", "go-getter", "perfect fit", "self-starter", "results-driven",
        "detail-oriented", "hard worker", "proven track record", "wear many hats", "rockstar", "ninja",
        "I believe I would be a great", "look no further",
    ]

    /// The boilerplate phrases `text` contains, as listed in ``boilerplatePhrases``.
    public static func boilerplate(in text: String) -> [String] {
        let haystack = " " + normalizedWords(text) + " "
        return boilerplatePhrases.filter { haystack.contains(" " + normalizedWords($0) + " ") }
    }

    /// Words as a reader counts them: runs of text between spaces that hold a letter or digit.
    public static func wordCount(_ text: String) -> Int {
        text.split(whereSeparator: \.isWhitespace).filter { $0.contains(where: { $0.isLetter || $0.isNumber }) }.count
    }

    /// Every number, percentage or money amount in `text` that neither the master CV nor the job's
    /// inputs contain, as written in `text`.
    ///
    /// Amounts are compared by value, so "40%" matches "40 %" and "40 percent", "$40M" matches
    /// "$40 million" and "2,400" matches "2400"; a percentage needs a percentage in the sources, and a
    /// currency symbol must not contradict the source's.
    public static func ungroundedNumbers(in text: String, master: MasterCV, inputs: LetterJob) -> [String] {
        let sources = groundingTexts(master: master, inputs: inputs).flatMap(numbers(in:))
        var byKey: [Int64: [LetterNumber]] = [:]
        for number in sources { byKey[number.key, default: []].append(number) }
        return numbers(in: text).filter { number in
            !(byKey[number.key] ?? []).contains { source in
                (!number.isPercent || source.isPercent)
                    && (number.currency == nil || source.currency == nil || number.currency == source.currency)
            }
        }
        .map(\.text)
    }

    // MARK: Numbers

    /// A number as written, with its value after units ("4.2M" is 4,200,000).
    struct LetterNumber: Sendable, Equatable {
        var text: String
        var value: Double
        var isPercent: Bool
        var currency: Character?

        /// The value to three decimals, so `2.5` and `2.50` compare equal.
        var key: Int64 { Int64((value * 1000).rounded()) }
    }

    private static let currencySymbols: Set<Character> = ["$", "£", "€", "¥"]
    private static let attachedMultipliers: [(suffix: String, factor: Double)] = [
        ("bn", 1e9), ("B", 1e9), ("M", 1e6), ("K", 1e3), ("k", 1e3),
    ]
    private static let spelledMultipliers: [(word: String, factor: Double)] = [
        ("billion", 1e9), ("million", 1e6), ("thousand", 1e3), ("bn", 1e9), ("mn", 1e6),
    ]

    /// The numbers in `text`: digits with thousands commas and decimals, an optional currency symbol
    /// before, and a percent sign, "percent" or a magnitude ("M", "million", "bn") after.
    static func numbers(in text: String) -> [LetterNumber] {
        let characters = Array(text)
        var result: [LetterNumber] = []
        var index = 0
        while index < characters.count {
            guard characters[index].isPlainDigit else {
                index += 1
                continue
            }
            let start = index
            var digits = ""
            var end = index
            while end < characters.count {
                if characters[end].isPlainDigit {
                    digits.append(characters[end])
                    end += 1
                } else if characters[end] == ",", isThousandsGroup(characters, at: end + 1) {
                    end += 1
                } else {
                    break
                }
            }
            if end + 1 < characters.count, characters[end] == ".", characters[end + 1].isPlainDigit {
                digits.append(".")
                end += 1
                while end < characters.count, characters[end].isPlainDigit {
                    digits.append(characters[end])
                    end += 1
                }
            }
            var value = Double(digits) ?? 0
            var textStart = start
            var currency: Character?
            if start >= 1, currencySymbols.contains(characters[start - 1]) {
                currency = characters[start - 1]
                textStart = start - 1
            } else if start >= 2, characters[start - 1] == " ", currencySymbols.contains(characters[start - 2]) {
                currency = characters[start - 2]
                textStart = start - 2
            }
            var isPercent = false
            if let after = suffix(characters, from: end) {
                switch after.kind {
                case .percent: isPercent = true
                case .multiplier(let factor): value *= factor
                }
                end = after.end
            }
            result.append(LetterNumber(
                text: String(characters[textStart..<end]),
                value: value,
                isPercent: isPercent,
                currency: currency
            ))
            index = end
        }
        return result
    }

    private static func isThousandsGroup(_ characters: [Character], at index: Int) -> Bool {
        guard index + 3 <= characters.count else { return false }
        let group = characters[index..<(index + 3)]
        guard group.allSatisfy(\.isPlainDigit) else { return false }
        return index + 3 == characters.count || !characters[index + 3].isPlainDigit
    }

    private enum SuffixKind {
        case percent
        case multiplier(Double)
    }

    /// A unit directly after a number: "%", " %", " percent", "M", " million"; a letter suffix must end
    /// its word, so "800 ms" is not 800 million.
    private static func suffix(_ characters: [Character], from end: Int) -> (kind: SuffixKind, end: Int)? {
        func word(at position: Int) -> String {
            var stop = position
            while stop < characters.count, characters[stop].isLetter { stop += 1 }
            return String(characters[position..<stop])
        }
        guard end < characters.count else { return nil }
        if characters[end] == "%" { return (.percent, end + 1) }
        let attached = word(at: end)
        if let multiplier = attachedMultipliers.first(where: { $0.suffix == attached }) {
            return (.multiplier(multiplier.factor), end + attached.count)
        }
        guard characters[end] == " ", end + 1 < characters.count else { return nil }
        if characters[end + 1] == "%" { return (.percent, end + 2) }
        let spaced = word(at: end + 1)
        let lowered = spaced.lowercased()
        if lowered == "percent" || lowered == "per cent" { return (.percent, end + 1 + spaced.count) }
        if let multiplier = spelledMultipliers.first(where: { $0.word == lowered }) {
            return (.multiplier(multiplier.factor), end + 1 + spaced.count)
        }
        return nil
    }

    /// Every text of the master CV and the inputs a letter may take a number from.
    private static func groundingTexts(master: MasterCV, inputs: LetterJob) -> [String] {
        let candidate = master.candidate
        var texts = [candidate.name, candidate.headline, candidate.email, candidate.phone ?? "", candidate.location, candidate.summary]
        texts += candidate.links.flatMap { [$0.label, $0.url] } + candidate.languages + candidate.certifications
        texts += candidate.education.flatMap { education in
            [education.institution, education.degree, education.field ?? "", education.startYear.map(String.init) ?? "", education.endYear.map(String.init) ?? ""]
        }
        for role in master.roles {
            texts += [role.company, role.title, role.location ?? "", role.start, role.end ?? "", role.industry ?? ""]
            texts += role.keywords + role.skills
            for achievement in role.achievements {
                texts += [achievement.coreFact] + achievement.variants.map(\.text) + achievement.keywords + (achievement.metrics ?? [])
            }
        }
        texts += master.skills.flatMap { [$0.category] + $0.skills }
        texts += [inputs.title, inputs.company, inputs.companySummary ?? ""]
        texts += inputs.requiredSkills + inputs.topKeywords + inputs.painPoints + inputs.companySignals
        return texts
    }

    private static func normalizedWords(_ text: String) -> String {
        let mapped = text.lowercased().map { character -> Character in
            character.isLetter || character.isNumber ? character : (character == "'" || character == "’" ? "\u{0}" : " ")
        }
        return String(mapped.filter { $0 != "\u{0}" }).split(separator: " ").joined(separator: " ")
    }
}

// MARK: - Checks

extension CoverLetter {
    /// Checks the letter's body against the domain's rules: length, paragraphs, a real metric, the
    /// company named and no boilerplate.
    ///
    /// The greeting and sign-off are not counted: application forms take the body alone.
    public func check(company: String) -> LetterCheck {
        var problems: [String] = []
        let body = paragraphs.joined(separator: "\n\n")
        let whole = [greeting, body, signOff].joined(separator: "\n\n")
        let words = LetterValidation.wordCount(body)
        if !LetterValidation.coverLetterWords.contains(words) {
            problems.append("has \(words) words; a cover letter needs \(LetterValidation.coverLetterWords.lowerBound)–\(LetterValidation.coverLetterWords.upperBound)")
        }
        let count = paragraphs.filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }.count
        if !LetterValidation.coverLetterParagraphs.contains(count) {
            problems.append("has \(count) paragraphs; a cover letter needs \(LetterValidation.coverLetterParagraphs.lowerBound)–\(LetterValidation.coverLetterParagraphs.upperBound)")
        }
        if LetterValidation.numbers(in: body).isEmpty {
            problems.append("states no metric")
        }
        let name = company.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || body.range(of: name, options: [.caseInsensitive, .diacriticInsensitive]) == nil {
            problems.append("does not name the company")
        }
        for phrase in LetterValidation.boilerplate(in: whole) {
            problems.append("uses the boilerplate phrase \"\(phrase)\"")
        }
        return LetterCheck(problems: problems)
    }
}

extension Outreach {
    /// Checks every message against its platform's limit and the boilerplate list.
    public func check() -> LetterCheck {
        var problems: [String] = []
        func limit(_ name: String, _ text: String, maximum: Int) {
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                problems.append("\(name) is empty")
            } else if text.count > maximum {
                problems.append("\(name) has \(text.count) characters; the limit is \(maximum)")
            }
        }
        limit("LinkedIn note", linkedInNote, maximum: LetterValidation.linkedInNoteMaximum)
        limit("InMail subject", inMailSubject, maximum: LetterValidation.inMailSubjectMaximum)
        limit("email subject", emailSubject, maximum: LetterValidation.emailSubjectMaximum)
        if !LetterValidation.inMailBodyCharacters.contains(inMailBody.count) {
            let range = LetterValidation.inMailBodyCharacters
            problems.append("InMail body has \(inMailBody.count) characters; it needs \(range.lowerBound)–\(range.upperBound)")
        }
        let words = LetterValidation.wordCount(emailBody)
        if !LetterValidation.emailBodyWords.contains(words) {
            let range = LetterValidation.emailBodyWords
            problems.append("email body has \(words) words; it needs \(range.lowerBound)–\(range.upperBound)")
        }
        for phrase in LetterValidation.boilerplate(in: [linkedInNote, inMailSubject, inMailBody, emailSubject, emailBody].joined(separator: "\n")) {
            problems.append("uses the boilerplate phrase \"\(phrase)\"")
        }
        return LetterCheck(problems: problems)
    }
}

extension Character {
    /// `0`–`9` only: other scripts' digits never appear in the master CV's metrics.
    fileprivate var isPlainDigit: Bool { isASCII && isNumber }
}
