import Domain
import Foundation
import Store
import TextAnalysis

/// Readers for the loosely typed values job boards send, shared by every parser.
public enum BoardValues {
    /// A description larger than this is not a job description (a scraped page, a data dump): the
    /// posting is rejected rather than stored and sent through the pipeline.
    public static let maximumDescriptionBytes = 5_000_000

    /// A trimmed, non-empty string, or nil. Numbers become their text (ids arrive as either).
    public static func text(_ value: Any?) -> String? {
        switch value {
        case let string as String:
            // Most values carry no surrounding space; descriptions are long, and Foundation's
            // trimming copies them through NSString, so look at the ends first.
            guard let first = string.unicodeScalars.first, let last = string.unicodeScalars.last else { return nil }
            if !first.properties.isWhitespace, !last.properties.isWhitespace { return string }
            let trimmed = string.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        case let number as NSNumber where String(cString: number.objCType) != "c":
            // JSON ids arrive as numbers on some boards. `true` is an NSNumber too (of type "c"); on
            // Linux `is Bool` also holds for the numbers 0 and 1, so the type code is what tells.
            return number.stringValue
        default:
            return nil
        }
    }

    /// A number from a JSON number or numeric string.
    public static func number(_ value: Any?) -> Double? {
        switch value {
        case let number as NSNumber: number.doubleValue
        case let string as String: Double(string.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ""))
        default: nil
        }
    }

    public static func bool(_ value: Any?) -> Bool? {
        switch value {
        case let bool as Bool: bool
        case let string as String: ["true", "yes", "1"].contains(string.lowercased()) ? true : (["false", "no", "0"].contains(string.lowercased()) ? false : nil)
        default: nil
        }
    }

    /// ISO 8601 with or without fraction, with `Z` or an offset; a date alone (`2026-07-10`) is
    /// midnight UTC.
    public static func isoDate(_ value: Any?) -> Date? {
        guard let text = text(value) else { return nil }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle()) { return date }
        // Offsets without a colon (`+0000`) and no offset at all (taken as UTC).
        var normalized = text
        if let match = normalized.range(of: #"[+-]\d{4}$"#, options: .regularExpression) {
            let offset = normalized[match]
            normalized.replaceSubrange(match, with: offset.prefix(3) + ":" + offset.suffix(2))
        } else if normalized.count == 19 || (normalized.count > 19 && normalized.dropFirst(19).first == ".") && !normalized.hasSuffix("Z") {
            normalized += "Z"
        }
        if let date = try? Date(normalized, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        if let date = try? Date(normalized, strategy: Date.ISO8601FormatStyle()) { return date }
        if text.count == 10, let date = try? Date(text + "T00:00:00Z", strategy: Date.ISO8601FormatStyle()) { return date }
        return nil
    }

    /// Unix time in seconds or milliseconds (values above 10^11 are taken as milliseconds).
    public static func epochDate(_ value: Any?) -> Date? {
        guard let number = number(value), number > 0 else { return nil }
        return Date(timeIntervalSince1970: number > 100_000_000_000 ? number / 1000 : number)
    }

    /// JSON bytes without a UTF-8 byte-order mark (Remotive's payloads start with one).
    public static func withoutByteOrderMark(_ data: Data) -> Data {
        data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data
    }

    /// Parses JSON, naming the problem for the run's record when the payload is not JSON.
    public static func json(_ data: Data) throws -> Any {
        do {
            return try JSONSerialization.jsonObject(with: withoutByteOrderMark(data), options: [.fragmentsAllowed])
        } catch {
            throw IngestionError.unreadablePayload("not valid JSON (\(data.count) bytes): \(error.localizedDescription)")
        }
    }

    /// Undoes UTF-8 text that was decoded as Latin-1/Windows-1252 and encoded again (RemoteOK's `â€™`
    /// for `’`). Text that does not look mis-encoded is returned unchanged.
    public static func repairingMojibake(_ text: String) -> String {
        // Every UTF-8 lead byte of a multi-byte character, read as Latin-1, is in C2–F4.
        guard text.unicodeScalars.contains(where: { (0xC2...0xF4).contains($0.value) }) else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if scalar.value < 0x100 {
                bytes.append(UInt8(scalar.value))
            } else if let byte = windows1252[scalar.value] {
                bytes.append(byte)
            } else {
                return text  // a character Latin-1 cannot hold: not mojibake
            }
        }
        guard let repaired = String(validating: bytes, as: UTF8.self) else { return text }
        return repaired
    }

    /// Windows-1252's characters in 0x80–0x9F, which mis-decoding turns UTF-8 bytes into.
    private static let windows1252: [UInt32: UInt8] = [
        0x20AC: 0x80, 0x201A: 0x82, 0x0192: 0x83, 0x201E: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87,
        0x02C6: 0x88, 0x2030: 0x89, 0x0160: 0x8A, 0x2039: 0x8B, 0x0152: 0x8C, 0x017D: 0x8E, 0x2018: 0x91,
        0x2019: 0x92, 0x201C: 0x93, 0x201D: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02DC: 0x98,
        0x2122: 0x99, 0x0161: 0x9A, 0x203A: 0x9B, 0x0153: 0x9C, 0x017E: 0x9E, 0x0178: 0x9F,
    ]

    /// Maps the many spellings of a pay interval (`1 YEAR`, `yearly`, `per hour`, `HOUR`).
    public static func salaryInterval(_ value: Any?) -> Salary.Interval? {
        guard let text = text(value)?.lowercased() else { return nil }
        if text.contains("hour") { return .hour }
        if text.contains("day") || text.contains("daily") { return .day }
        if text.contains("week") { return .week }
        if text.contains("month") { return .month }
        if text.contains("year") || text.contains("annual") || text.contains("annum") { return .year }
        return nil
    }

    /// A posting's JSON object, re-serialized with sorted keys, for `JobPosting.raw`.
    ///
    /// Written here rather than with `JSONSerialization.data(withJSONObject:)`, which took a quarter
    /// of ingestion's time escaping long descriptions. Empty when the object holds a value JSON cannot
    /// (which a parsed payload never does).
    public static func raw(_ object: Any) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4096)
        return appendJSON(object, to: &bytes) ? bytes : []
    }

    private static func appendJSON(_ value: Any, to bytes: inout [UInt8]) -> Bool {
        switch value {
        case let string as String:
            JSONText.appendQuoted(string, to: &bytes)
        case let number as NSNumber:
            if String(cString: number.objCType) == "c" {
                bytes.append(contentsOf: (number.boolValue ? "true" : "false").utf8)
            } else {
                guard number.doubleValue.isFinite else { return false }
                bytes.append(contentsOf: number.stringValue.utf8)
            }
        case is NSNull:
            bytes.append(contentsOf: "null".utf8)
        case let array as [Any]:
            bytes.append(UInt8(ascii: "["))
            for (index, element) in array.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                guard appendJSON(element, to: &bytes) else { return false }
            }
            bytes.append(UInt8(ascii: "]"))
        case let object as [String: Any]:
            bytes.append(UInt8(ascii: "{"))
            for (index, key) in object.keys.sorted().enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                JSONText.appendQuoted(key, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                guard appendJSON(object[key]!, to: &bytes) else { return false }
            }
            bytes.append(UInt8(ascii: "}"))
        default:
            return false
        }
        return true
    }


    /// `double-the-donation` → `Double The Donation`, `Synergy%20Pet%20Group` → `Synergy Pet Group`;
    /// names that already carry capitals are kept as written. For boards whose payload does not name
    /// the company (Ashby, Lever).
    public static func companyName(fromBoard board: String) -> String {
        let decoded = board.removingPercentEncoding ?? board
        guard decoded == decoded.lowercased() else { return decoded }
        return decoded
            .split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == " " })
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined(separator: " ")
    }

    /// Plain text as minimal HTML (escaped, one paragraph per line), for boards that send only text.
    public static func paragraphs(fromPlainText text: String) -> String {
        let escaped = text
            .replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
        return escaped.split(separator: "\n", omittingEmptySubsequences: true).map { "<p>\($0)</p>" }.joined()
    }
}

// MARK: - Reading a board's list of postings

extension BoardValues {
    /// Why one posting was not accepted; the rest of the payload still counts.
    public struct Rejection: Error, Sendable {
        public var reason: String

        public init(_ reason: String) {
            self.reason = reason
        }
    }

    /// Reads every element of a board's job list into a posting or a rejection.
    ///
    /// One bad posting must not cost the run the rest of the board: an element that is not an object,
    /// or that `read` refuses, becomes a `RejectedPosting` named by the board's ID when it has one and
    /// by its position (`#3`) otherwise.
    /// - Parameters:
    ///   - jobs: The payload's job array.
    ///   - idKey: The field holding the board's ID, for naming rejections.
    ///   - skipping: Objects in the list that are not postings at all (RemoteOK's legal notice), left
    ///     out without a rejection; positions still count them, so `#n` is the payload's own index.
    ///   - read: Makes one posting, or throws a `Rejection` with the reason.
    public static func page(
        of jobs: [Any],
        idKey: String,
        skipping: ([String: Any]) -> Bool = { _ in false },
        read: ([String: Any]) throws(Rejection) -> JobPosting
    ) -> BoardPage {
        var page = BoardPage()
        for (index, element) in jobs.enumerated() {
            guard let job = element as? [String: Any] else {
                page.rejected.append(RejectedPosting(reference: "#\(index)", reason: "a posting must be a JSON object"))
                continue
            }
            if skipping(job) { continue }
            do throws(Rejection) {
                page.postings.append(try read(job))
            } catch {
                page.rejected.append(RejectedPosting(reference: text(job[idKey]) ?? "#\(index)", reason: error.reason))
            }
        }
        return page
    }

    /// The board's HTML description, or its plain text as HTML when that is all it sent.
    ///
    /// - Throws: `Rejection` when there is no description (nothing to match a CV against) or it is over
    ///   `maximumDescriptionBytes`.
    public static func requireDescription(html: String?, plain: String? = nil) throws(Rejection) -> String {
        guard html != nil || plain != nil else { throw Rejection("no description") }
        let size = max(html?.utf8.count ?? 0, plain?.utf8.count ?? 0)
        guard size <= maximumDescriptionBytes else {
            throw Rejection("description of \(size) bytes is over the \(maximumDescriptionBytes)-byte limit")
        }
        return html ?? paragraphs(fromPlainText: plain ?? "")
    }

    /// The next page's URL for boards that page by `offset` and `limit` (Himalayas, SmartRecruiters), or
    /// nil on the last page.
    ///
    /// Built from the URL that was fetched so the board's other query items (`limit`, filters) carry
    /// over. A page that brought no postings ends the paging whatever the total says, so a board that
    /// miscounts cannot keep the fetcher asking.
    public static func nextOffsetURL(after url: String?, offset: Int, limit: Int, total: Int, received: Int) -> String? {
        guard let url, limit > 0, received > 0, offset + limit < total,
              var components = URLComponents(string: url) else { return nil }
        var items = (components.queryItems ?? []).filter { $0.name != "offset" }
        items.append(URLQueryItem(name: "offset", value: String(offset + limit)))
        components.queryItems = items
        return components.string
    }
}

// MARK: - Salary written as text

extension BoardValues {
    /// A pay range read from short free text (`$120k - $150k`, `USD 100,000-120,000/year`, `€50-60k`,
    /// `$18 - $22/hr`), or nil when the text is anything else.
    ///
    /// Boards such as Remotive only send pay as text. Reading a wrong number is worse than reading
    /// none, so only a bare amount or range with a currency and an optional interval is read: words
    /// (`OTE $25k`, `up to`, `competitive`), unknown currencies, `50.000` (grouping or decimal?) and
    /// ranges whose ends disagree leave the salary unset. `$` is taken as US dollars. A single amount
    /// is both bounds; `$100k+` is a minimum only. Without a stated interval, the interval stays nil.
    public static func salary(fromText value: Any?) -> Salary? {
        guard var written = text(value), written.count <= 60 else { return nil }
        var interval: Salary.Interval?
        let suffix = #/\s*(?:/|\bper\s+|\ban?\s+)\s*(?<unit>hour|hr|h|day|week|wk|month|mo|year|yr|annum)\.?\s*$/#.ignoresCase()
        let word = #/\s*\b(?<unit>hourly|daily|weekly|monthly|yearly|annually|annual)\s*$/#.ignoresCase()
        if let match = written.firstMatch(of: suffix) {
            interval = salaryUnit(match.output.unit)
            written.removeSubrange(match.range)
        } else if let match = written.firstMatch(of: word) {
            interval = salaryUnit(match.output.unit)
            written.removeSubrange(match.range)
        }
        let range = #/^(?<c1>[$€£]|[a-z]{1,2}\$|[a-z]{3})?\s*(?<n1>\d[\d.,]*)\s*(?<k1>k)?\s*(?<c2>[$€£]|[a-z]{3})?(?:\s*(?:-|–|—|to)\s*(?<c3>[$€£]|[a-z]{1,2}\$|[a-z]{3})?\s*(?<n2>\d[\d.,]*)\s*(?<k2>k)?\s*(?<c4>[$€£]|[a-z]{3})?)?\s*(?<plus>\+)?$/#.ignoresCase()
        guard let match = written.firstMatch(of: range) else { return nil }
        let output = match.output
        var currencies: Set<String> = []
        for symbol in [output.c1, output.c2, output.c3, output.c4].compactMap({ $0 }) {
            guard let code = currencyCode(symbol) else { return nil }
            currencies.insert(code)
        }
        guard currencies.count == 1, let currency = currencies.first else { return nil }
        guard var low = amount(output.n1) else { return nil }
        if output.k1 != nil { low *= 1000 }
        var high: Double?
        if let second = output.n2 {
            guard var value = amount(second) else { return nil }
            if output.k2 != nil {
                // `50-60k`: the suffix on the upper bound covers both.
                if output.k1 == nil && low < value { low *= 1000 }
                value *= 1000
            }
            guard low <= value, output.plus == nil else { return nil }
            high = value
        } else if output.plus == nil {
            high = low
        }
        return Salary(minimum: low, maximum: high, currency: currency, interval: interval)
    }

    private static func salaryUnit(_ unit: Substring) -> Salary.Interval? {
        switch unit.lowercased() {
        case "hour", "hr", "h", "hourly": .hour
        case "day", "daily": .day
        case "week", "wk", "weekly": .week
        case "month", "mo", "monthly": .month
        case "year", "yr", "annum", "yearly", "annually", "annual": .year
        default: nil
        }
    }

    /// Currencies job boards quote pay in; a three-letter word outside this list (`OTE`) is not one.
    private static let currencyCodes: Set<String> = [
        "USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "INR",
        "JPY", "CNY", "SGD", "HKD", "BRL", "MXN", "ARS", "COP", "ZAR", "ILS", "AED", "TRY", "UAH", "PHP",
    ]

    private static func currencyCode(_ symbol: Substring) -> String? {
        switch symbol.lowercased() {
        case "$", "us$": "USD"
        case "€": "EUR"
        case "£": "GBP"
        case "c$", "ca$": "CAD"
        case "a$", "au$": "AUD"
        default: currencyCodes.contains(symbol.uppercased()) ? symbol.uppercased() : nil
        }
    }

    /// `100,000` and `31,2` (a decimal comma) read; `50.000` does not, being either fifty or fifty
    /// thousand.
    private static func amount(_ digits: Substring) -> Double? {
        if digits.wholeMatch(of: #/\d{1,3}(?:,\d{3})+(?:\.\d+)?/#) != nil {
            return Double(digits.replacingOccurrences(of: ",", with: ""))
        }
        if digits.wholeMatch(of: #/\d+,\d{1,2}/#) != nil {
            return Double(digits.replacingOccurrences(of: ",", with: "."))
        }
        if digits.wholeMatch(of: #/\d+\.\d{3}/#) != nil { return nil }
        if digits.wholeMatch(of: #/\d+(?:\.\d+)?/#) != nil { return Double(digits) }
        return nil
    }
}

// MARK: - Feeds and HTML pages

extension BoardValues {
    /// An RFC 822 / RFC 1123 date as RSS writes it (`Fri, 10 Jul 2026 22:45:30 +0000`), in the zone it
    /// names, or nil.
    ///
    /// Feeds take liberties with RFC 822: the weekday left out, no seconds, two-digit years, `GMT`,
    /// `UTC`, `Z` or a North American zone name instead of an offset, `+05:30` with a colon. A date with
    /// no zone at all is taken as UTC. An unknown zone name (`CET` means different things to different
    /// feeds) gives nil rather than a date hours off. The weekday is not checked: the date is what
    /// the board meant.
    public static func rfc822Date(_ value: Any?) -> Date? {
        guard let text = text(value) else { return nil }
        var parts = text.split(whereSeparator: { $0.isWhitespace || $0 == "," }).map(String.init)
        if let weekday = parts.first, weekday.allSatisfy(\.isLetter) { parts.removeFirst() }
        // day month year time [zone]
        guard parts.count >= 4,
              let day = Int(parts[0]), (1...31).contains(day),
              let month = rfc822Months[parts[1].prefix(3).lowercased()],
              var year = Int(parts[2]), parts[2].count == 2 || parts[2].count == 4 else { return nil }
        if parts[2].count == 2 { year += year < 50 ? 2000 : 1900 }  // RFC 2822's reading of two-digit years
        let clock = parts[3].split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard clock.count == 2 || clock.count == 3, let hour = clock[0], let minute = clock[1],
              (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        let second = clock.count == 3 ? clock[2] : 0
        guard let second, (0...60).contains(second) else { return nil }
        let offset: Int
        if parts.count > 4 {
            guard let zone = rfc822ZoneOffset(parts[4]) else { return nil }
            offset = zone
        } else {
            offset = 0
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: min(second, 59))
        // `31 Feb` would roll over into March: refuse it instead.
        guard let date = calendar.date(from: components), calendar.component(.day, from: date) == day else { return nil }
        return date.addingTimeInterval(TimeInterval(-offset))
    }

    private static let rfc822Months: [String: Int] = [
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
        "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
    ]

    /// Seconds east of UTC for `+0200`, `-07:00`, `+05`, `GMT` or one of RFC 822's US zone names.
    private static func rfc822ZoneOffset(_ zone: String) -> Int? {
        let names: [String: Int] = [
            "UT": 0, "UTC": 0, "GMT": 0, "Z": 0,
            "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
        ]
        if let hours = names[zone.uppercased()] { return hours * 3600 }
        guard let sign = zone.first, sign == "+" || sign == "-" else { return nil }
        let digits = zone.dropFirst().filter { $0 != ":" }
        guard digits.count == 2 || digits.count == 4, digits.allSatisfy(\.isASCII), let value = Int(digits) else { return nil }
        let hours = digits.count == 2 ? value : value / 100
        let minutes = digits.count == 2 ? 0 : value % 100
        guard hours <= 14, minutes < 60 else { return nil }
        return (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
    }

    /// Text with its HTML character references replaced once (`&lt;p&gt;` → `<p>`, `&#8217;` and
    /// `&rsquo;` → `’`).
    ///
    /// For HTML that arrives escaped (a JSON-LD `description` written as `&lt;p&gt;`) and for
    /// plain-text fields that pages write with entities (`R&amp;D`). A reference this does not know
    /// is left as written, so text that merely contains `&` survives.
    public static func unescapingHTMLEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return HTMLText.decodingCharacterReferences(text)
    }
}
