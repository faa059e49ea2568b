/// Finds a fixed list of terms in free text the way a recruiter reads a posting.
///
/// Substring search is wrong for skills: "Java" is inside "JavaScript", "Go" inside "Google", "C" inside
/// "C++". The old pipeline split on spaces instead and so never found multi-word terms such as
/// "distributed systems". This matcher compares whole tokens and:
/// - ignores letter case, except for one- and two-letter words ("Go", "R"), which are also common
///   English words and only name a skill when written that way;
/// - keeps technology punctuation inside tokens: `C++`, `C#`, `Node.js`, `.NET`, `FP&A`;
/// - matches multi-word terms across spaces, hyphens and slashes ("event-driven" = "event driven",
///   "CI/CD"), but not across a comma, full stop or line break;
/// - accepts a plural of the last word ("API" in "APIs") and spellings that differ only in spacing
///   or dots ("Elasticsearch" in "Elastic Search", "Node.js" in "NodeJS").
///
/// It is deterministic and knows no aliases: "PostgreSQL" does not match "Postgres". The skill
/// taxonomy of the `JobAnalysis` module adds them by giving every alias as a term of its own.
///
/// ```swift
/// let matcher = KeywordMatcher(terms: ["Go", "distributed systems", "Node.js"])
/// matcher.matches(in: "Go and Node.js services for Distributed Systems").map(\.term)
/// ```
public struct KeywordMatcher: Sendable {
    /// One term found in a text.
    public struct Match: Sendable, Equatable {
        /// The term as it was given to the matcher (not as the text spells it).
        public var term: String
        /// How many times the term occurs.
        public var occurrences: Int
        /// The token position of the first occurrence; earlier usually means more prominent.
        public var firstPosition: Int
    }

    private let patterns: [Pattern]
    /// Patterns by the token they can start at (including a one-word term's plural), so a text is
    /// read once instead of once per term.
    private let byFirstToken: [String: [Int]]
    private let byExactSpelling: [String: [Int]]
    private let byCompact: [String: [Int]]
    /// Every prefix of every compact spelling, to stop gluing tokens as soon as no term can follow.
    private let compactPrefixes: Set<String>

    /// - Parameters:
    ///   - terms: The terms to look for; later spellings of a term already given are ignored.
    ///   - caseSensitive: One-word terms that are also ordinary English words and name a skill only
    ///     when capitalised as given ("Swift", "Rust", "Spring"); they match exactly as written.
    public init(terms: some Sequence<String>, caseSensitive: Set<String> = []) {
        var seen = Set<String>()
        var patterns: [Pattern] = []
        for term in terms {
            guard let pattern = Pattern(term, caseSensitive: caseSensitive.contains(term)),
                  seen.insert(pattern.key).inserted else { continue }
            patterns.append(pattern)
        }
        var byFirstToken: [String: [Int]] = [:]
        var byExactSpelling: [String: [Int]] = [:]
        var byCompact: [String: [Int]] = [:]
        var compactPrefixes = Set<String>()
        for (index, pattern) in patterns.enumerated() {
            if let exact = pattern.exactSpelling {
                byExactSpelling[exact, default: []].append(index)
            } else {
                byFirstToken[pattern.tokens[0], default: []].append(index)
                if pattern.tokens.count == 1, pattern.allowsPlural {
                    byFirstToken[pattern.tokens[0] + "s", default: []].append(index)
                    byFirstToken[pattern.tokens[0] + "es", default: []].append(index)
                }
            }
            if let compact = pattern.compact {
                byCompact[compact, default: []].append(index)
                for length in 1...compact.count { compactPrefixes.insert(String(compact.prefix(length))) }
            }
        }
        self.patterns = patterns
        self.byFirstToken = byFirstToken
        self.byExactSpelling = byExactSpelling
        self.byCompact = byCompact
        self.compactPrefixes = compactPrefixes
    }

    /// Calls `visit` with each pattern that may match at `position`; `Pattern.matches` decides.
    private func forEachCandidate(_ tokens: [Token], at position: Int, _ visit: (Int) -> Void) {
        let token = tokens[position]
        byFirstToken[token.folded]?.forEach(visit)
        byExactSpelling[token.text]?.forEach(visit)
        guard compactPrefixes.contains(token.compact) else { return }
        var joined = token.compact
        byCompact[joined]?.forEach(visit)
        for offset in 1..<3 where position + offset < tokens.count {
            let next = tokens[position + offset]
            if next.hardBreakBefore { return }
            joined += next.compact
            guard compactPrefixes.contains(joined) else { return }
            byCompact[joined]?.forEach(visit)
        }
    }

    /// The terms that occur in `text`, most frequent first, then earliest, then in the order given.
    public func matches(in text: String) -> [Match] {
        let tokens = Tokenizer.tokens(in: text)
        var counts = [Int](repeating: 0, count: patterns.count)
        var firsts = [Int](repeating: -1, count: patterns.count)
        var tried: [Int] = []
        for position in tokens.indices {
            tried.removeAll(keepingCapacity: true)
            forEachCandidate(tokens, at: position) { index in
                // A pattern can be reached through its first token and its compact spelling.
                guard !tried.contains(index) else { return }
                tried.append(index)
                guard patterns[index].matches(tokens, at: position) else { return }
                if firsts[index] < 0 { firsts[index] = position }
                counts[index] += 1
            }
        }
        var found: [(match: Match, order: Int)] = []
        for (order, pattern) in patterns.enumerated() where counts[order] > 0 {
            found.append((Match(term: pattern.term, occurrences: counts[order], firstPosition: firsts[order]), order))
        }
        found.sort { lhs, rhs in
            if lhs.match.occurrences != rhs.match.occurrences { return lhs.match.occurrences > rhs.match.occurrences }
            if lhs.match.firstPosition != rhs.match.firstPosition { return lhs.match.firstPosition < rhs.match.firstPosition }
            return lhs.order < rhs.order
        }
        return found.map(\.match)
    }

    /// The identity of a term: two spellings with the same key are the same term ("Event-driven" and
    /// "event driven"). Empty for a term with no words.
    public static func key(for term: String) -> String {
        Tokenizer.tokens(in: term).map(\.folded).joined(separator: " ")
    }

    /// The lower-cased words of a text, for comparing bullets with each other.
    public static func words(in text: String) -> [String] {
        Tokenizer.tokens(in: text).map(\.folded)
    }
}

// MARK: - Pattern

extension KeywordMatcher {
    /// A term compiled for matching.
    private struct Pattern: Sendable {
        let term: String
        let key: String
        /// Lower-cased tokens.
        let tokens: [String]
        /// For a short word that must match exactly as written ("Go").
        let exactSpelling: String?
        /// The term without spaces and dots ("elasticsearch", "nodejs"), if long enough to be safe.
        let compact: String?
        /// Whether the last word may carry a plural "s"/"es".
        let allowsPlural: Bool

        init?(_ term: String, caseSensitive: Bool) {
            let termTokens = Tokenizer.tokens(in: term)
            guard !termTokens.isEmpty else { return nil }
            self.term = term
            self.tokens = termTokens.map(\.folded)
            self.key = tokens.joined(separator: " ")
            let only = termTokens.count == 1 ? termTokens[0].text : nil
            if let only, caseSensitive || (only.count <= 2 && only.allSatisfy(\.isLetter)) {
                exactSpelling = only
            } else {
                exactSpelling = nil
            }
            let compact = termTokens.map(\.compact).joined()
            self.compact = exactSpelling == nil && compact.count >= 4 ? compact : nil
            let last = tokens[tokens.count - 1]
            allowsPlural = exactSpelling == nil && last.count >= 3 && last.allSatisfy(\.isLetter)
        }

        func matches(_ text: [Token], at position: Int) -> Bool {
            matchesTokens(text, at: position) || matchesCompact(text, at: position)
        }

        private func matchesTokens(_ text: [Token], at position: Int) -> Bool {
            guard position + tokens.count <= text.count else { return false }
            if let exactSpelling { return text[position].text == exactSpelling }
            for (offset, expected) in tokens.enumerated() {
                let token = text[position + offset]
                if offset > 0, token.hardBreakBefore { return false }
                if token.folded == expected { continue }
                let isLast = offset == tokens.count - 1
                if isLast, allowsPlural, token.folded == expected + "s" || token.folded == expected + "es" { continue }
                return false
            }
            return true
        }

        /// "Elastic Search" for "Elasticsearch": up to three adjacent tokens glued together.
        private func matchesCompact(_ text: [Token], at position: Int) -> Bool {
            guard let compact else { return false }
            var joined = ""
            for offset in 0..<3 where position + offset < text.count {
                let token = text[position + offset]
                if offset > 0, token.hardBreakBefore { return false }
                joined += token.compact
                if joined == compact { return true }
                if !compact.hasPrefix(joined) { return false }
            }
            return false
        }
    }
}

// MARK: - Tokenizer

extension KeywordMatcher {
    /// A word of a text, with whether punctuation that ends a phrase stands before it.
    fileprivate struct Token: Sendable, Equatable {
        /// As written.
        let text: String
        /// Lower-cased.
        let folded: String
        /// Lower-cased without dots.
        let compact: String
        /// A comma, full stop, bracket or line break separates it from the previous token, so a
        /// multi-word term may not continue across it.
        let hardBreakBefore: Bool

        init(_ text: String, hardBreakBefore: Bool) {
            self.text = text
            self.folded = text.lowercased()
            self.compact = folded.utf8.contains(UInt8(ascii: ".")) ? folded.filter { $0 != "." } : folded
            self.hardBreakBefore = hardBreakBefore
        }
    }

    /// Splits text into tokens of letters and digits that keep the punctuation technology names use.
    ///
    /// Reads Unicode scalars rather than Characters: grapheme breaking dominated the cost of scoring
    /// thousands of postings, and combining marks are kept inside the word they follow instead.
    fileprivate enum Tokenizer {
        static func tokens(in text: String) -> [Token] {
            let scalars = Array(text.unicodeScalars)
            var tokens: [Token] = []
            var current = String.UnicodeScalarView()
            var hardBreak = false
            var index = 0

            func flush() {
                guard !current.isEmpty else { return }
                tokens.append(Token(String(current), hardBreakBefore: hardBreak))
                current = String.UnicodeScalarView()
                hardBreak = false
            }

            while index < scalars.count {
                let scalar = scalars[index]
                let next = index + 1 < scalars.count ? scalars[index + 1] : nil
                if isWordScalar(scalar) || (!current.isEmpty && isMark(scalar)) {
                    current.append(scalar)
                    index += 1
                    continue
                }
                if !current.isEmpty {
                    // A dot between word characters stays: "Node.js", "ASP.NET", "2.5".
                    if scalar == ".", let next, isWordScalar(next) {
                        current.append(scalar)
                        index += 1
                        continue
                    }
                    // An "&" between letters is part of a name: "FP&A", "M&A", "P&L" (and "R&D" is not "R").
                    if scalar == "&", let next, isLetter(next) {
                        current.append(scalar)
                        index += 1
                        continue
                    }
                    // A "+" or "#" suffix ends a name: "C++", "C#", "F#" (but "a+b" is two words).
                    if scalar == "+" || scalar == "#" {
                        var end = index
                        while end < scalars.count, scalars[end] == scalar, end - index < 2 { end += 1 }
                        if end == scalars.count || !isWordScalar(scalars[end]) {
                            current.append(contentsOf: scalars[index..<end])
                            index = end
                            continue
                        }
                    }
                } else if scalar == ".", let next, isLetter(next) {
                    // A leading dot after a separator names a technology: ".NET".
                    current.append(scalar)
                    index += 1
                    continue
                }
                flush()
                if isHardBreak(scalar) { hardBreak = true }
                index += 1
            }
            flush()
            return tokens
        }

        private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
            if scalar.isASCII {
                return (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
            }
            return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
        }

        private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
            if scalar.isASCII { return (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") }
            return scalar.properties.isAlphabetic
        }

        private static func isMark(_ scalar: Unicode.Scalar) -> Bool {
            guard !scalar.isASCII else { return false }
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: return true
            default: return false
            }
        }

        /// Spaces, hyphens, slashes, apostrophes and ampersands join the words of one phrase ("Weights &
        /// Biases"); anything else ends it.
        private static func isHardBreak(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar {
            case "\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}": return true
            case " ", "\t", "-", "/", "'", "’", "&": return false
            default: return !scalar.properties.isWhitespace
            }
        }
    }
}
