import Foundation

/// Reads a `Retry-After` header (RFC 9110 §10.2.3): how long the server asks us to wait.
///
/// The header is either delta-seconds (`Retry-After: 120`) or an HTTP date
/// (`Retry-After: Wed, 21 Oct 2015 07:28:00 GMT`), measured against our wall clock.
public enum RetryAfter {
    /// The wait `value` asks for, or `nil` when it is neither form (the caller then falls back to its
    /// own backoff rather than trusting a value it cannot read).
    ///
    /// - Parameters:
    ///   - value: The header's value.
    ///   - now: The wall-clock time a date is measured from.
    /// - Returns: Zero for a date already past; delta-seconds too large to represent as the largest
    ///   number of seconds, which every limit then rejects.
    public static func delay(_ value: String, now: Date) -> Duration? {
        let text = value.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        if text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            return .seconds(Int64(text) ?? .max)
        }
        guard let date = HTTPDate.secondsSince1970(text) else { return nil }
        let remaining = Double(date) - now.timeIntervalSince1970
        guard remaining > 0 else { return .zero }
        // Whole milliseconds, rounded up: never retry before the moment the server named.
        return .milliseconds(Int64((remaining * 1000).rounded(.up)))
    }
}

/// Parses the three HTTP date formats that RFC 9110 §5.6.7 requires recipients to accept.
///
/// Written out rather than left to `DateFormatter`, whose parsing depends on locale and calendar
/// settings and whose instances are not safe to share between tasks:
///
/// - IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT` (what servers send today);
/// - RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT`;
/// - asctime: `Sun Nov  6 08:49:37 1994`.
enum HTTPDate {
    /// The date as seconds since 1970-01-01 00:00:00 UTC, or `nil` when `text` is not an HTTP date.
    static func secondsSince1970(_ text: String) -> Int64? {
        let tokens = text.split(separator: " ", omittingEmptySubsequences: true)
        let day: Substring, month: Substring, year: Substring, time: Substring
        switch tokens.count {
        case 6 where tokens[5] == "GMT":
            (day, month, year, time) = (tokens[1], tokens[2], tokens[3], tokens[4])
        case 4 where tokens[3] == "GMT":
            let parts = tokens[1].split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 3 else { return nil }
            (day, month, year, time) = (parts[0], parts[1], parts[2], tokens[2])
        case 5:
            (day, month, year, time) = (tokens[2], tokens[1], tokens[4], tokens[3])
        default:
            return nil
        }
        guard let monthNumber = months.firstIndex(of: month.lowercased()).map({ $0 + 1 }),
            let dayNumber = number(day, digits: 1...2), (1...31).contains(dayNumber),
            var yearNumber = number(year, digits: 2...4)
        else { return nil }
        if year.count == 2 {
            // RFC 850's two-digit years: the 1900s from 70 on (HTTP dates cannot precede 1970).
            yearNumber += yearNumber >= 70 ? 1900 : 2000
        } else if year.count != 4 {
            return nil
        }
        let clock = time.split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3,
            let hour = number(clock[0], digits: 2...2), hour < 24,
            let minute = number(clock[1], digits: 2...2), minute < 60,
            let second = number(clock[2], digits: 2...2), second <= 60
        else { return nil }
        let days = daysSince1970(year: yearNumber, month: monthNumber, day: dayNumber)
        return days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// A number of `digits` ASCII digits.
    private static func number(_ text: Substring, digits: ClosedRange<Int>) -> Int? {
        guard digits.contains(text.count),
            text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return Int(text)
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's
    /// `days_from_civil`).
    private static func daysSince1970(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = Int64(month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
