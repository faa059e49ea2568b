import Foundation

/// Dates of the proleptic Gregorian calendar in UTC, by arithmetic (Howard Hinnant's civil-day
/// algorithms), for the job list's hot paths: reading its date filters and writing its times.
/// Foundation's format styles took a quarter of the gateway's CPU for a list filtered by date.
enum UTCCalendar {
    /// Days from 1970-01-01 to the date (negative before it).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` after 1970-01-01.
    static func civilDate(daysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Reads `2025-10-01` (midnight UTC, `isDate`) or `2025-10-01T09:30:00[.250](Z|+02:00)`; nil for
    /// any other shape and for times that do not exist (`2025-02-30`, `24:00:00`). A space stands
    /// for the `+` of a zone offset, which an unencoded query string turns into one.
    static func instant(_ text: String) -> (date: Date, isDate: Bool)? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else { return nil }
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            }
            return value
        }
        func byte(_ index: Int) -> UInt8? { index < bytes.count ? bytes[index] : nil }

        guard let year = number(0..<4), byte(4) == UInt8(ascii: "-"), let month = number(5..<7), byte(7) == UInt8(ascii: "-"),
              let day = number(8..<10), (1...12).contains(month), (1...daysInMonth(month, year: year)).contains(day) else { return nil }
        let midnight = Double(days(year: year, month: month, day: day) * 86_400)
        if bytes.count == 10 { return (Date(timeIntervalSince1970: midnight), true) }

        guard byte(10) == UInt8(ascii: "T"), let hour = number(11..<13), byte(13) == UInt8(ascii: ":"), let minute = number(14..<16),
              byte(16) == UInt8(ascii: ":"), let second = number(17..<19), hour < 24, minute < 60, second < 60 else { return nil }
        var seconds = midnight + Double(hour * 3600 + minute * 60 + second)
        var index = 19
        if byte(index) == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while let digit = byte(index), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) {
                seconds += Double(digit - UInt8(ascii: "0")) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        switch byte(index) {
        case UInt8(ascii: "Z"):
            guard index + 1 == bytes.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: " "), UInt8(ascii: "-"):
            guard index + 6 == bytes.count, let hours = number((index + 1)..<(index + 3)), byte(index + 3) == UInt8(ascii: ":"),
                  let minutes = number((index + 4)..<(index + 6)), hours < 24, minutes < 60 else { return nil }
            let offset = Double(hours * 3600 + minutes * 60)
            seconds += byte(index) == UInt8(ascii: "-") ? offset : -offset
        default:
            return nil
        }
        return (Date(timeIntervalSince1970: seconds), false)
    }
}
