import Domain
import Foundation

/// The one-sentence, third-person pitch under the CV's headline.
///
/// Every part comes from the master CV: the role from the candidate's headline (or the latest role's
/// title), the years of experience from the roles' dates, the industries of the roles, the focus after
/// the headline's dash, and skills in the order the CV's competencies show them. The longest
/// combination that fits 15–25 words wins, preferring more of the job's skills, then the focus, then
/// the industries.
///
/// "Staff Software Engineer with 14 years of experience, focused on distributed systems, data platforms
/// and engineering leadership, skilled in Apache Spark, Airflow and Python."
enum Tagline {
    static let wordRange = 15...25

    static func make(master: MasterCV, skills: [String], asOf date: Date) -> String {
        let (role, focus) = rolesAndFocus(master)
        let years = yearsOfExperience(master.roles, asOf: date)
        var industries: [String] = []
        for industry in master.roles.compactMap(\.industry) {
            let text = lowercasedStart(industry.trimmingCharacters(in: .whitespacesAndNewlines))
            if !text.isEmpty, !industries.contains(text) { industries.append(text) }
        }

        var candidates: [String] = []
        for skillCount in [4, 3, 2, 1, 0] where skillCount <= skills.count {
            for withFocus in focus == nil ? [false] : [true, false] {
                for industryCount in (0...min(3, industries.count)).reversed() {
                    candidates.append(
                        sentence(
                            role: role, years: years, industries: Array(industries.prefix(industryCount)),
                            focus: withFocus ? focus : nil, skills: Array(skills.prefix(skillCount))))
                }
            }
        }
        if let fitting = candidates.first(where: { wordRange.contains(wordCount($0)) }) { return fitting }
        // A very sparse or very wordy master CV: the closest to the range.
        return candidates.min { distance(wordCount($0)) < distance(wordCount($1)) } ?? role + "."
    }

    static func wordCount(_ text: String) -> Int {
        text.split(whereSeparator: \.isWhitespace).count
    }

    private static func distance(_ count: Int) -> Int {
        count < wordRange.lowerBound ? wordRange.lowerBound - count : max(0, count - wordRange.upperBound)
    }

    private static func sentence(role: String, years: Int?, industries: [String], focus: String?, skills: [String]) -> String {
        var text = role
        if let years { text += " with \(years) \(years == 1 ? "year" : "years") of experience" }
        if !industries.isEmpty { text += (years == nil ? " experienced in " : " in ") + list(industries) }
        if let focus { text += ", focused on " + focus }
        if !skills.isEmpty { text += ", skilled in " + list(skills) }
        return text + "."
    }

    private static func list(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
    }

    /// "Staff Software Engineer — distributed systems and data" → the role and what follows the dash.
    private static func rolesAndFocus(_ master: MasterCV) -> (role: String, focus: String?) {
        let headline = master.candidate.headline.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for separator in [" — ", " – ", " - ", " | ", ": "] {
            guard let range = headline.range(of: separator) else { continue }
            let role = String(headline[..<range.lowerBound]).trimmingCharacters(in: .whitespaces)
            let focus = String(headline[range.upperBound...]).trimmingCharacters(in: .whitespaces.union(.punctuationCharacters))
            if !role.isEmpty { return (role, focus.isEmpty ? nil : lowercasedStart(focus)) }
        }
        let role = headline.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: ".")))
        return (role.isEmpty ? master.roles.first?.title ?? "Professional" : role, nil)
    }

    /// Whole years from the first role's start to the last role's end, or to `date` while a role is
    /// current; `nil` when the dates cannot be read or span less than a year.
    static func yearsOfExperience(_ roles: [MasterCV.Role], asOf date: Date) -> Int? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let now = calendar.dateComponents([.year, .month], from: date)
        guard let nowYear = now.year, let nowMonth = now.month else { return nil }
        let today = nowYear * 12 + nowMonth - 1
        let starts = roles.compactMap { month($0.start) }
        let ends = roles.compactMap { role -> Int? in
            guard let end = role.end else { return today }
            return month(end)
        }
        guard let first = starts.min(), let last = ends.max(), last > first else { return nil }
        let years = (last - first) / 12
        return years >= 1 ? years : nil
    }

    /// `YYYY-MM` as a count of months.
    private static func month(_ text: String) -> Int? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month) else { return nil }
        return year * 12 + month - 1
    }

    /// "Logistics software" → "logistics software"; acronyms and names ("NHS", "iOS") stay as written.
    private static func lowercasedStart(_ text: String) -> String {
        let characters = Array(text)
        guard characters.count > 1, characters[0].isUppercase, characters[1].isLowercase else { return text }
        return characters[0].lowercased() + String(characters.dropFirst())
    }
}
