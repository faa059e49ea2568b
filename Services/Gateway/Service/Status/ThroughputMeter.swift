import Foundation
import Messaging
import Redis

/// Counts the messages entering each pipeline stage over the last 15 minutes.
///
/// A stream entry's ID is the millisecond Redis added it, so the entries of a stream within a time
/// range are the messages that entered it then. Redis cannot count a range without reading it, and
/// `XRANGE` sends whole entries, so the meter never reads an entry twice: it keeps per-second counts
/// and the last ID it saw for each stream, and each measurement reads only what was added since — at
/// most `pageSize × maximumPages` entries per stream. A burst larger than that is caught up on the
/// following measurements and reported as incomplete until then.
///
/// Measurements are meant to run one at a time (the status cache runs one refresh at a time); should
/// two overlap, entries at or before a stream's cursor are not counted again.
actor ThroughputMeter {
    /// One stage's count.
    struct Stage: Codable, Sendable, Equatable {
        /// The stream as the API names it, without the deployment prefix: `jobs:ingested`.
        var stream: String
        /// Messages in the whole window.
        var messages: Int
        /// The window's average.
        var perMinute: Double
        /// Messages in each minute of the window, oldest first; the last is the 60 s up to now.
        var minutes: [Int]
        /// False while a burst is still being counted: the figures are then lower bounds.
        var complete: Bool

        enum CodingKeys: String, CodingKey {
            case stream, messages, minutes, complete
            case perMinute = "per_minute"
        }
    }

    struct Report: Codable, Sendable, Equatable {
        var windowMinutes: Int
        var stages: [Stage]

        enum CodingKeys: String, CodingKey {
            case stages
            case windowMinutes = "window_minutes"
        }
    }

    /// What is known of one stream.
    private struct Tally {
        /// The newest entry counted.
        var cursor: StreamInspector.EntryID?
        /// Entries per second (Unix seconds), within the window.
        var perSecond: [Int64: Int] = [:]
        var complete = false
    }

    static let windowMinutes = 15
    private let inspector: StreamInspector
    /// Each stage's name in the API and its Redis key, in pipeline order.
    private let stages: [(name: String, key: String)]
    private let pageSize: Int
    private let maximumPages: Int
    private var tallies: [String: Tally] = [:]

    init(inspector: StreamInspector, streams: StreamNames, pageSize: Int = 1000, maximumPages: Int = 10) {
        self.inspector = inspector
        let keys = [streams.jobsIngested, streams.jobsExtracted, streams.jobsResearched, streams.cvGenerated]
        self.stages = keys.map { key in (String(key.dropFirst(streams.prefix.count + 1)), key) }
        self.pageSize = pageSize
        self.maximumPages = maximumPages
    }

    /// Reads what entered each stage since the last measurement and reports the window ending at `now`.
    ///
    /// - Parameter now: The time on Redis's clock, which stamps the entry IDs.
    func measure(now: Date) async throws -> Report {
        let nowMilliseconds = Int64(max(0, now.timeIntervalSince1970 * 1000))
        let windowMilliseconds = Int64(Self.windowMinutes * 60_000)
        let windowStart = StreamInspector.EntryID.justBefore(milliseconds: nowMilliseconds - min(nowMilliseconds, windowMilliseconds))

        var unfinished = stages.map(\.key)
        for key in unfinished { tallies[key, default: Tally()].complete = false }
        var pages = 0
        while !unfinished.isEmpty && pages < maximumPages {
            // Where the last read stopped, or the window's start when that is later (after a quiet spell).
            let ranges = unfinished.map { key in (stream: key, after: max(tallies[key]?.cursor ?? windowStart, windowStart)) }
            let pagesRead = try await inspector.entryIDs(of: ranges, count: pageSize)
            var stillUnfinished: [String] = []
            for (key, ids) in zip(unfinished, pagesRead) {
                count(ids, into: key)
                if ids.count == pageSize { stillUnfinished.append(key) } else { tallies[key]?.complete = true }
            }
            unfinished = stillUnfinished
            pages += 1
        }
        return report(nowMilliseconds: nowMilliseconds)
    }

    private func count(_ ids: [StreamInspector.EntryID], into key: String) {
        var tally = tallies[key, default: Tally()]
        for id in ids where tally.cursor.map({ id > $0 }) ?? true {
            tally.perSecond[id.milliseconds / 1000, default: 0] += 1
            tally.cursor = id
        }
        tallies[key] = tally
    }

    private func report(nowMilliseconds: Int64) -> Report {
        let nowSecond = nowMilliseconds / 1000
        let windowSeconds = Int64(Self.windowMinutes * 60)
        let report = Report(
            windowMinutes: Self.windowMinutes,
            stages: stages.map { stage in
                var tally = tallies[stage.key, default: Tally()]
                // Seconds that left the window are forgotten, which keeps a tally to about 900 counts.
                tally.perSecond = tally.perSecond.filter { $0.key + windowSeconds > nowSecond }
                tallies[stage.key] = tally
                var minutes = [Int](repeating: 0, count: Self.windowMinutes)
                // An entry added after Redis told the time belongs to the next report.
                for (second, count) in tally.perSecond where second <= nowSecond {
                    let minutesAgo = Int((nowSecond - second) / 60)
                    minutes[Self.windowMinutes - 1 - minutesAgo] += count
                }
                let messages = minutes.reduce(0, +)
                return Stage(
                    stream: stage.name,
                    messages: messages,
                    perMinute: (Double(messages) / Double(Self.windowMinutes) * 10).rounded() / 10,
                    minutes: minutes,
                    complete: tally.complete
                )
            }
        )
        return report
    }
}
