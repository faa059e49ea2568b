import Foundation

/// Finds pay stated in a posting's text: "$150,000 – $180,000", "£45k-£55k per annum",
/// "€60.000 bis 75.000 EUR", "USD 40/hour".
///
/// Funding and revenue figures ("raised $50M", "$2B market") are not pay: an amount followed by a
/// million/billion multiplier is skipped, and a lone amount only counts in a sentence about pay.
enum SalaryReader {
    private struct Amount {
        var value: Double
        var currency: String?
        var hasThousandsSuffix: Bool
        var start: Int
        var end: Int
    }

    private static let payWords = PhraseSet([
        "salary", "compensation", "pay", "base", "range", "ote", "wage", "wages", "hourly", "annual", "annually",
        "per year", "per hour", "per annum", "rate", "earnings", "remuneration", "total cash", "package",
        "hour", "hr", "annum", "yr",
    ])
    /// Words that make a sentence about pay even when it also mentions a bonus or the market.
    private static let salaryWords = PhraseSet(["salary", "compensation", "base pay", "pay range", "wage", "hourly rate", "base", "ote"])
    /// Amounts that are perks, not pay: "$1,500 annual learning stipend".
    private static let perkWords = PhraseSet([
        "stipend", "allowance", "budget", "reimbursement", "reimbursed", "401k", "match", "bonus", "per employee",
        "raised", "funding", "valuation", "arr", "revenue", "market", "series",
    ])
    private static let codes: [String: String] = [
        "USD": "USD", "US$": "USD", "EUR": "EUR", "GBP": "GBP", "CAD": "CAD", "CA$": "CAD", "C$": "CAD",
        "AUD": "AUD", "A$": "AUD", "CHF": "CHF", "SEK": "SEK", "NOK": "NOK", "DKK": "DKK", "INR": "INR",
        "SGD": "SGD", "NZD": "NZD", "JPY": "JPY", "PLN": "PLN", "BRL": "BRL", "MXN": "MXN",
    ]

    static func salary(in sentences: [Sentence]) -> StatedSalary? {
        for sentence in sentences {
            guard sentence.text.utf8.contains(where: { (0x30...0x39).contains($0) }) else { continue }
            let characters = Array(sentence.text)
            let amounts = self.amounts(in: characters)
            guard !amounts.isEmpty else { continue }
            let words = sentence.words
            guard !perkWords.matches(words) || salaryWords.matches(words) else { continue }
            let aboutPay = payWords.matches(words)
            if let salary = salary(from: amounts, characters: characters, aboutPay: aboutPay) {
                return salary
            }
        }
        return nil
    }

    private static func salary(from amounts: [Amount], characters: [Character], aboutPay: Bool) -> StatedSalary? {
        var index = 0
        while index < amounts.count {
            var low = amounts[index]
            var high = low
            var isRange = false
            if index + 1 < amounts.count, joinsRange(characters[amounts[index].end..<amounts[index + 1].start]) {
                high = amounts[index + 1]
                isRange = true
                // "$150-180k": the suffix and the currency of one end apply to both.
                if high.hasThousandsSuffix, !low.hasThousandsSuffix, low.value < 1000 { low.value *= 1000 }
                low.currency = low.currency ?? high.currency
                high.currency = high.currency ?? low.currency
            }
            index += isRange ? 2 : 1
            guard let currency = low.currency, low.value >= 7, high.value >= low.value, aboutPay || (isRange && low.value >= 1000) else {
                continue
            }
            let after = String(characters[high.end..<min(characters.count, high.end + 40)])
            let text = String(characters[low.start..<high.end]).trimmingCharacters(in: .whitespaces)
            return StatedSalary(minimum: low.value, maximum: high.value, currency: currency, period: period(after: after, value: high.value), text: text)
        }
        return nil
    }

    private static func joinsRange(_ between: ArraySlice<Character>) -> Bool {
        let words = String(between).lowercased()
            .replacingOccurrences(of: "usd", with: "").replacingOccurrences(of: "eur", with: "").replacingOccurrences(of: "gbp", with: "")
            .filter { !"$€£ ".contains($0) }
        return ["-", "–", "—", "to", "and", "bis", "/", "-$", ""].contains(words) && between.count <= 12
    }

    private static func period(after text: String, value: Double) -> StatedSalary.Period {
        let words = Words.of(text)
        for word in words.prefix(6) {
            switch word {
            case "hour", "hr", "hourly", "hours": return .hour
            case "month", "monthly", "mo": return .month
            case "week", "weekly", "wk": return .week
            case "day", "daily": return .day
            case "year", "yearly", "annual", "annually", "annum", "yr", "pa": return .year
            default: continue
            }
        }
        return value < 300 ? .hour : value < 20_000 ? .month : .year
    }

    private static func amounts(in characters: [Character]) -> [Amount] {
        var amounts: [Amount] = []
        var index = 0
        while index < characters.count {
            guard characters[index].isASCII, characters[index].isNumber,
                  index == 0 || !(characters[index - 1].isLetter || characters[index - 1].isNumber || characters[index - 1] == "." || characters[index - 1] == ",") else {
                index += 1
                continue
            }
            var end = index
            while end < characters.count, characters[end].isNumber || ((characters[end] == "," || characters[end] == ".") && end + 1 < characters.count && characters[end + 1].isNumber) {
                end += 1
            }
            guard var value = number(String(characters[index..<end])) else { index = end; continue }
            var suffixEnd = end
            var hasThousands = false
            if suffixEnd < characters.count, characters[suffixEnd] == "k" || characters[suffixEnd] == "K" {
                value *= 1000
                hasThousands = true
                suffixEnd += 1
            }
            let rest = String(characters[suffixEnd..<min(characters.count, suffixEnd + 9)]).lowercased()
            if rest.hasPrefix("m") || rest.hasPrefix(" m ") || rest.hasPrefix(" million") || rest.hasPrefix("bn") || rest.hasPrefix(" billion") || rest.hasPrefix("b ") || rest.hasPrefix("%") {
                index = suffixEnd
                continue
            }
            let (currency, start) = currency(before: index, after: suffixEnd, in: characters)
            amounts.append(Amount(value: value, currency: currency, hasThousandsSuffix: hasThousands, start: start, end: suffixEnd))
            index = suffixEnd
        }
        return amounts
    }

    private static func currency(before start: Int, after end: Int, in characters: [Character]) -> (String?, Int) {
        var cursor = start
        while cursor > 0, characters[cursor - 1] == " " { cursor -= 1 }
        if cursor > 0 {
            let symbol = characters[cursor - 1]
            let prefix = String(characters[max(0, cursor - 3)..<cursor]).uppercased()
            for (code, currency) in codes where prefix.hasSuffix(code) { return (currency, cursor - code.count) }
            switch symbol {
            case "$": return ("USD", cursor - 1)
            case "€": return ("EUR", cursor - 1)
            case "£": return ("GBP", cursor - 1)
            default: break
            }
        }
        var after = end
        while after < characters.count, characters[after] == " " { after += 1 }
        let following = String(characters[after..<min(characters.count, after + 3)]).uppercased()
        if let currency = codes[following] { return (currency, start) }
        if after < characters.count, characters[after] == "€" { return ("EUR", start) }
        return (nil, start)
    }

    /// "150,000" → 150000, "60.000" → 60000 (a dot grouping thousands), "42.50" → 42.5.
    private static func number(_ text: String) -> Double? {
        let groups = text.split(whereSeparator: { $0 == "," || $0 == "." })
        if groups.count > 1, groups.dropFirst().allSatisfy({ $0.count == 3 }) {
            return Double(groups.joined())
        }
        return Double(text.replacingOccurrences(of: ",", with: ""))
    }
}
