import Foundation
import Store

/// Writes `GET /api/jobs`'s JSON by hand: each job exactly as `JSONEncoder` writes a `JobSummary`
/// with the API's ISO 8601 dates (the tests compare the two).
///
/// The job list is the API's busiest read. Encoding a page of 50 jobs through `JSONEncoder` took more
/// than half of the gateway's CPU per request (a boxed value tree, generic metadata lookups and a
/// date formatter per field); appending bytes to one buffer takes a small fraction of that.
struct JobListJSON {
    private(set) var bytes: [UInt8] = []

    /// The whole response body.
    static func document(_ response: JobListResponse) -> [UInt8] {
        var writer = JobListJSON()
        writer.bytes.reserveCapacity(1024 + response.items.count * 640)
        writer.raw("{\"items\":[")
        for (index, job) in response.items.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.summary(job)
        }
        writer.raw("],\"total\":")
        writer.number(response.total)
        writer.raw(",\"page\":")
        writer.number(response.page)
        writer.raw(",\"per_page\":")
        writer.number(response.perPage)
        writer.raw(",\"next_cursor\":")
        writer.string(response.nextCursor)
        writer.raw("}")
        return writer.bytes
    }

    /// One job, with the keys and order of `JobSummary.encode(to:)`.
    private mutating func summary(_ job: JobSummary) {
        typealias Key = JobSummary.CodingKeys
        raw("{")
        key(.id, first: true)
        number(job.id)
        key(.title)
        string(job.title)
        key(.company)
        string(job.company)
        key(.locations)
        raw("[")
        for (index, location) in job.locations.enumerated() {
            if index > 0 { raw(",") }
            string(location)
        }
        raw("]")
        key(.isRemote)
        boolean(job.isRemote)
        key(.workplaceType)
        string(job.workplaceType)
        key(.source)
        string(job.source)
        key(.jobURL)
        string(job.jobURL)
        key(.status)
        string(job.status.rawValue)
        key(.priority)
        number(job.priority)
        key(.notes)
        string(job.notes)
        key(.fitScore)
        number(job.fitScore)
        key(.tier)
        string(job.tier)
        key(.fitCategory)
        string(job.fitCategory)
        key(.postedAt)
        timestamp(job.postedAt)
        key(.createdAt)
        timestamp(job.createdAt)
        key(.updatedAt)
        timestamp(job.updatedAt)
        key(.stages)
        raw("{\"extracted\":")
        boolean(job.stages.extracted)
        raw(",\"researched\":")
        boolean(job.stages.researched)
        raw(",\"cv\":")
        boolean(job.stages.cv)
        raw("}}")
    }

    // MARK: - Values

    private mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func key(_ key: JobSummary.CodingKeys, first: Bool = false) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        JSONText.appendQuoted(key.rawValue, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    private mutating func string(_ value: String?) {
        guard let value else { return raw("null") }
        JSONText.appendQuoted(value, to: &bytes)
    }

    private mutating func boolean(_ value: Bool?) {
        guard let value else { return raw("null") }
        value ? raw("true") : raw("false")
    }

    private mutating func number(_ value: Int?) {
        guard let value else { return raw("null") }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        digits(value.magnitude, width: 1)
    }

    /// `value` in decimal, zero-padded to at least `width` digits.
    private mutating func digits(_ value: UInt, width: Int) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var start = buffer.count
            var rest = value
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0 || buffer.count - start < width
            bytes.append(contentsOf: buffer[start...])
        }
    }

    /// `"2025-10-07T23:16:27Z"`: ISO 8601 in UTC to the second, as `JSONEncoder`'s `.iso8601` writes
    /// it (the fraction is dropped, not rounded).
    private mutating func timestamp(_ date: Date?) {
        guard let date else { return raw("null") }
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let (days, secondOfDay) = seconds.quotientAndRemainder(dividingBy: 86_400)
        let (year, month, day) = UTCCalendar.civilDate(daysSinceEpoch: secondOfDay < 0 ? days - 1 : days)
        guard (1...9999).contains(year) else {
            // Four digits cannot say it; no board dates a job so, but a stored value must not stop the list.
            return JSONText.appendQuoted(date.formatted(.iso8601), to: &bytes)
        }
        let time = secondOfDay < 0 ? secondOfDay + 86_400 : secondOfDay
        bytes.append(UInt8(ascii: "\""))
        digits(UInt(year), width: 4)
        bytes.append(UInt8(ascii: "-"))
        digits(UInt(month), width: 2)
        bytes.append(UInt8(ascii: "-"))
        digits(UInt(day), width: 2)
        bytes.append(UInt8(ascii: "T"))
        digits(UInt(time / 3600), width: 2)
        bytes.append(UInt8(ascii: ":"))
        digits(UInt(time / 60 % 60), width: 2)
        bytes.append(UInt8(ascii: ":"))
        digits(UInt(time % 60), width: 2)
        raw("Z\"")
    }
}
