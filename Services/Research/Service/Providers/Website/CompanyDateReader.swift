/// Reads the dates company pages write, as precisely as they give them: `2025-03-14`, `2025-03` or
/// `2025`.
///
/// Recognised forms: ISO (`2025-03-14`, `2025/03/14`, `2025-03`), month names in English, full or
/// abbreviated, with or without a day (`March 14, 2025`, `Mar. 14th 2025`, `14 March 2025`,
/// `Mar 2025`), and a year after a word that dates an event (`in 2024`, `during 2024`, `early 2024`,
/// `Q3 2024`) or opening the text (`2023 — Fleet Manager 2.0 released`). All-numeric `03/04/2025` is skipped: whether it is March or April depends on the
/// writer's country. Years outside 1990–2099 are not dates here (they are counts, prices, model names).
enum CompanyDateReader {
    /// The first date in `text`, or nil.
    ///
    /// - Parameter bareYear: Whether a year on its own counts (`2024` on a date line of a news page);
    ///   in running text a bare number is rarely a date, so sentences pass `false`.
    static func firstDate(in text: String, bareYear: Bool = false) -> String? {
        let tokens = tokenize(text)
        var yearOnly: String?
        for index in tokens.indices {
            let token = tokens[index]
            if let iso = isoDate(token) { return iso }
            if let month = monthNumber(token) {
                if let date = monthDate(month: month, tokens: tokens, at: index) { return date }
                continue
            }
            if let day = dayNumber(token), index + 2 < tokens.count, let month = monthNumber(tokens[index + 1]),
                let year = yearNumber(tokens[index + 2])
            {
                return format(year: year, month: month, day: day)
            }
            if yearOnly == nil, let year = yearNumber(token) {
                let previous = index > 0 ? tokens[index - 1] : ""
                // A year opening the text dates it too: timelines write "2023 — Fleet Manager 2.0 released".
                if bareYear || index == 0 || yearContextWords.contains(previous) || isQuarter(previous) {
                    yearOnly = String(year)
                }
            }
        }
        return yearOnly
    }

    /// Whether `line` is a date line of a news listing: short, and mostly a date
    /// (`March 14, 2025`, `Published 2025-03-14`, `Press release · Mar 2025`, `2024`).
    ///
    /// - Returns: The date the line gives, or nil when it is not a date line.
    static func dateLine(_ line: String) -> String? {
        let words = WebsiteTextMatching.words(line)
        guard !words.isEmpty, words.count <= 7, line.count <= 60 else { return nil }
        // A line that is a sentence ("We grew in 2024.") is not a date line, and neither is a fact
        // ("Founded 2017") or a copyright: the items below them did not happen then.
        if line.hasSuffix("."), words.count > 3 { return nil }
        if line.contains("©") || words.contains(where: { notEventDateWords.contains($0.lowercased()) }) { return nil }
        return firstDate(in: line, bareYear: true)
    }

    // MARK: - Forms

    private static func monthDate(month: Int, tokens: [String], at index: Int) -> String? {
        guard index + 1 < tokens.count else { return nil }
        let next = tokens[index + 1]
        if let day = dayNumber(next), index + 2 < tokens.count, let year = yearNumber(tokens[index + 2]) {
            return format(year: year, month: month, day: day)
        }
        if let year = yearNumber(next) {
            return format(year: year, month: month, day: nil)
        }
        return nil
    }

    /// `2025-03-14`, `2025/03/14`, `2025-03`.
    private static func isoDate(_ token: String) -> String? {
        let parts = token.split(whereSeparator: { $0 == "-" || $0 == "/" })
        guard parts.count == 2 || parts.count == 3, parts[0].count == 4, let year = yearNumber(String(parts[0])),
            parts[1].count <= 2, let month = Int(parts[1]), (1...12).contains(month)
        else { return nil }
        if parts.count == 3 {
            guard parts[2].count <= 2, let day = Int(parts[2]), (1...31).contains(day) else { return nil }
            return format(year: year, month: month, day: day)
        }
        return format(year: year, month: month, day: nil)
    }

    private static func format(year: Int, month: Int, day: Int?) -> String {
        let monthText = month < 10 ? "0\(month)" : "\(month)"
        guard let day else { return "\(year)-\(monthText)" }
        return "\(year)-\(monthText)-\(day < 10 ? "0\(day)" : "\(day)")"
    }

    private static func yearNumber(_ token: String) -> Int? {
        guard token.count == 4, token.allSatisfy(\.isASCII), let year = Int(token), (1990...2099).contains(year) else { return nil }
        return year
    }

    /// `14`, `14th`, `1st`.
    private static func dayNumber(_ token: String) -> Int? {
        var digits = token
        for suffix in ["st", "nd", "rd", "th"] where digits.hasSuffix(suffix) {
            digits = String(digits.dropLast(2))
        }
        guard (1...2).contains(digits.count), digits.allSatisfy(\.isASCII), let day = Int(digits), (1...31).contains(day) else {
            return nil
        }
        return day
    }

    private static func monthNumber(_ token: String) -> Int? {
        months[token]
    }

    private static func isQuarter(_ token: String) -> Bool {
        ["q1", "q2", "q3", "q4", "h1", "h2"].contains(token)
    }

    /// Lowercased words with surrounding punctuation removed; `-` and `/` stay inside tokens for ISO
    /// dates, and commas and periods are dropped (`14,` → `14`, `Mar.` → `mar`).
    private static func tokenize(_ text: String) -> [String] {
        text.lowercased()
            .split { $0.isWhitespace || $0 == "," || $0 == "(" || $0 == ")" || $0 == "·" || $0 == "|" || $0 == "•" }
            .map { token in
                var token = Substring(token)
                while let first = token.first, !(first.isLetter || first.isNumber) { token = token.dropFirst() }
                while let last = token.last, !(last.isLetter || last.isNumber) { token = token.dropLast() }
                return String(token)
            }
            .filter { !$0.isEmpty }
    }

    private static let notEventDateWords: Set<String> = [
        "founded", "established", "est", "since", "copyright", "incorporated", "updated",
    ]

    private static let yearContextWords: Set<String> = [
        "in", "during", "early", "late", "mid", "spring", "summer", "fall", "autumn", "winter", "of", "throughout",
    ]

    private static let months: [String: Int] = [
        "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
        "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
        "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    ]
}
