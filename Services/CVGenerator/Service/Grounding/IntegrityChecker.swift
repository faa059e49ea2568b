import Domain
import Foundation
import JobAnalysis
import Synchronization

/// Traces every number, date, employer, title and skill of a generated document to the master CV
/// (or, for the posting's own title and company, to the job).
///
/// Users trust a generated CV only if it never invents: a number that is not in their record is worse
/// than no CV. The checker knows nothing about how the text was written — the deterministic writer and
/// an LLM are held to the same rule — so it reads the text back and looks each claim up:
/// - numbers (`40`, `3x`, `99.9%`, `$2.5M`, `12k`) must occur in the master CV's text, compared by
///   value and unit ("40 %" and "40%" are one claim, "$2.5M" and "$2.5 million" too);
/// - years and month-year dates must be a role's or an education's date;
/// - skills the taxonomy recognises must be skills, keywords or achievement words of the master CV;
/// - role headings (`### Title — Company`) must name a role of the master CV.
public struct IntegrityChecker: Sendable {
    let master: MasterCV
    let taxonomy: SkillTaxonomy
    private let grounds: Grounds
    private let allowedTitle: String?
    private let allowedCompany: String?

    /// Where each number, year, skill and role of a master CV is stated. Reading a master CV through the
    /// taxonomy costs milliseconds, and every document of every job is checked against the same one,
    /// so it is read once per version.
    private struct Grounds: Sendable {
        var numbers: [String: String] = [:]
        var years: [String: String] = [:]
        var skills: [String: String] = [:]
        var roles: [String: String] = [:]
    }

    private static let cache = Mutex<[String: Grounds]>([:])

    /// - Parameters:
    ///   - jobTitle: The posting's title, which the CV headline quotes by design.
    ///   - company: The posting's company, which letters name by design.
    public init(master: MasterCV, jobTitle: String? = nil, company: String? = nil, taxonomy: SkillTaxonomy = .standard, now: Date = Date()) {
        self.master = master
        self.taxonomy = taxonomy
        allowedTitle = jobTitle
        allowedCompany = company
        let key = master.fingerprint + "|" + String(FitScorer.yearsOfExperience(master.roles, now: now))
        if let cached = Self.cache.withLock({ $0[key] }) {
            grounds = cached
        } else {
            let read = Self.grounds(of: master, taxonomy: taxonomy, now: now)
            Self.cache.withLock { cache in
                if cache.count >= 16 { cache.removeAll() }
                cache[key] = read
            }
            grounds = read
        }
    }

    private static func grounds(of master: MasterCV, taxonomy: SkillTaxonomy, now: Date) -> Grounds {
        var grounds = Grounds()
        func record(_ text: String, at path: String) {
            for number in Self.numbers(in: text) where grounds.numbers[number] == nil { grounds.numbers[number] = path }
            for mention in taxonomy.mentions(in: text) where grounds.skills[mention.skill.name] == nil { grounds.skills[mention.skill.name] = path }
        }
        // Years of experience are computed from the roles' dates, as the tagline states them.
        grounds.numbers[String(FitScorer.yearsOfExperience(master.roles, now: now))] = "roles (years of experience)"
        let candidate = master.candidate
        // Contact details are printed as given; their digits (a phone number) are claims of nothing.
        for (field, value) in [("name", candidate.name), ("email", candidate.email), ("phone", candidate.phone ?? ""), ("location", candidate.location)] {
            record(value, at: "candidate.\(field)")
        }
        for (index, link) in candidate.links.enumerated() { record(link.label + " " + link.url, at: "candidate.links[\(index)]") }
        record(candidate.headline, at: "candidate.headline")
        record(candidate.summary, at: "candidate.summary")
        for (index, language) in candidate.languages.enumerated() { record(language, at: "candidate.languages[\(index)]") }
        for (index, certification) in candidate.certifications.enumerated() { record(certification, at: "candidate.certifications[\(index)]") }
        for (index, education) in candidate.education.enumerated() {
            let path = "candidate.education[\(index)]"
            record([education.degree, education.field ?? "", education.institution].joined(separator: " "), at: path)
            for year in [education.startYear, education.endYear].compactMap({ $0 }) { grounds.years[String(year)] = path }
        }
        for (roleIndex, role) in master.roles.enumerated() {
            let path = "roles[\(roleIndex)]"
            grounds.roles[Self.key(role.title) + "|" + Self.key(role.company)] = path
            for date in [role.start, role.end].compactMap({ $0 }) {
                let year = String(date.prefix(4))
                if grounds.years[year] == nil { grounds.years[year] = path }
                if date.count >= 7 { grounds.years[date] = path }
            }
            record(role.title, at: "\(path).title")
            for (index, term) in (role.skills + role.keywords).enumerated() {
                let name = taxonomy.entry(named: term)?.name ?? term
                if grounds.skills[name] == nil { grounds.skills[name] = "\(path).skills[\(index)]" }
            }
            for (index, achievement) in role.achievements.enumerated() {
                let achievementPath = "\(path).achievements[\(index)]"
                record(achievement.coreFact, at: "\(achievementPath).core_fact")
                for (variantIndex, variant) in achievement.variants.enumerated() {
                    record(variant.text, at: "\(achievementPath).variants[\(variantIndex)]")
                }
                for metric in achievement.metrics ?? [] { record(metric, at: "\(achievementPath).metrics") }
                for term in achievement.keywords {
                    let name = taxonomy.entry(named: term)?.name ?? term
                    if grounds.skills[name] == nil { grounds.skills[name] = "\(achievementPath).keywords" }
                }
            }
        }
        for (groupIndex, group) in master.skills.enumerated() {
            for term in group.skills {
                let name = taxonomy.entry(named: term)?.name ?? term
                if grounds.skills[name] == nil { grounds.skills[name] = "skills[\(groupIndex)]" }
            }
        }
        return grounds
    }

    /// The claims of `text`, each with its source or none.
    public func check(_ text: String) -> IntegrityReport {
        var claims: [IntegrityReport.Claim] = []
        var seen = Set<String>()
        func add(_ kind: IntegrityReport.Claim.Kind, _ text: String, _ source: String?) {
            guard seen.insert("\(kind.rawValue)|\(text)").inserted else { return }
            claims.append(.init(kind: kind, text: text, source: source))
        }
        let jobTitleNumbers = Set(allowedTitle.map(Self.numbers(in:)) ?? [])
        for line in text.split(separator: "\n").map(String.init) {
            if line.hasPrefix("### "), let (title, company) = Self.roleHeading(line) {
                add(.title, title, grounds.roles[Self.key(title) + "|" + Self.key(company)])
                add(.employer, company, grounds.roles[Self.key(title) + "|" + Self.key(company)])
            }
            for year in Self.years(in: line) {
                add(.date, year, grounds.years[year] ?? grounds.numbers[year])
            }
            for number in Self.numbers(in: line) where !Self.isYear(number) {
                let source = grounds.numbers[number] ?? (jobTitleNumbers.contains(number) ? "job.title" : nil)
                add(.number, number, source)
            }
        }
        for mention in taxonomy.mentions(in: text) {
            let name = mention.skill.name
            var source = grounds.skills[name]
            if source == nil, let title = allowedTitle, !taxonomy.mentions(in: title).filter({ $0.skill.name == name }).isEmpty {
                source = "job.title"
            }
            if source == nil, let company = allowedCompany, name.caseInsensitiveCompare(company) == .orderedSame {
                source = "job.company"
            }
            add(.skill, name, source)
        }
        return IntegrityReport(claims: claims)
    }

    /// Removes the lines holding ungrounded claims (bullets, sentences a model added) and checks again.
    /// Headings and role lines are never removed: a document that needs that fails instead.
    public func removingUngrounded(from text: String) -> (text: String, report: IntegrityReport) {
        let first = check(text)
        guard !first.isClean else { return (text, first) }
        let bad = first.ungrounded
        var removed: [IntegrityReport.Claim] = []
        let kept = text.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
            guard !line.hasPrefix("#") else { return true }
            let lineReport = check(String(line))
            let offending = lineReport.ungrounded.filter { claim in bad.contains { $0.kind == claim.kind && $0.text == claim.text } }
            removed += offending
            return offending.isEmpty
        }
        let cleaned = kept.joined(separator: "\n")
        var report = check(cleaned)
        report.removed = removed
        return (cleaned, report)
    }

    // MARK: Reading claims

    /// "### Staff Software Engineer — Northwind" → ("Staff Software Engineer", "Northwind").
    static func roleHeading(_ line: String) -> (String, String)? {
        let body = line.dropFirst(4)
        guard let range = body.range(of: " — ") else { return nil }
        return (Self.unescaped(String(body[..<range.lowerBound])), Self.unescaped(String(body[range.upperBound...])))
    }

    private static func unescaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "").trimmingCharacters(in: .whitespaces)
    }

    private static func key(_ text: String) -> String {
        text.lowercased().filter { $0.isLetter || $0.isNumber }
    }

    private static func isYear(_ number: String) -> Bool {
        number.count == 4 && number.allSatisfy(\.isNumber) && (number.hasPrefix("19") || number.hasPrefix("20"))
    }

    /// Four-digit years from 1950 to 2099.
    static func years(in text: String) -> [String] {
        numbers(in: text).filter(isYear)
    }

    /// Numbers with their unit, normalized: "40 %" → "40%", "$2.5 million" → "$2.5m", "12,000" → "12000",
    /// "3x" → "3x". Single digits written as words are not numbers here.
    public static func numbers(in text: String) -> [String] {
        var found: [String] = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            guard characters[index].isASCII, characters[index].isNumber,
                  index == 0 || !(characters[index - 1].isLetter || characters[index - 1].isNumber || characters[index - 1] == ".") else {
                index += 1
                continue
            }
            var prefix = ""
            if index > 0, ["$", "€", "£"].contains(characters[index - 1]) { prefix = String(characters[index - 1]) }
            var end = index
            var digits = ""
            while end < characters.count {
                let character = characters[end]
                if character.isASCII, character.isNumber {
                    digits.append(character)
                } else if (character == "," || character == "."), end + 1 < characters.count, characters[end + 1].isASCII, characters[end + 1].isNumber {
                    if character == "." { digits.append(".") }
                } else {
                    break
                }
                end += 1
            }
            var suffix = ""
            var cursor = end
            if cursor < characters.count, characters[cursor] == " ", cursor + 1 < characters.count, characters[cursor + 1] == "%" { cursor += 1 }
            if cursor < characters.count {
                let rest = String(characters[cursor..<min(characters.count, cursor + 9)]).lowercased()
                if rest.hasPrefix("%") {
                    suffix = "%"
                } else if rest.hasPrefix("x") && !(rest.dropFirst().first?.isLetter ?? false) {
                    suffix = "x"
                } else if rest.hasPrefix(" million") || (rest.hasPrefix("m") && !(rest.dropFirst().first?.isLetter ?? false)) {
                    suffix = "m"
                } else if rest.hasPrefix(" billion") || (rest.hasPrefix("bn") && !(rest.dropFirst(2).first?.isLetter ?? false)) || (rest.hasPrefix("b") && !(rest.dropFirst().first?.isLetter ?? false)) {
                    suffix = "b"
                } else if rest.hasPrefix("k") && !(rest.dropFirst().first?.isLetter ?? false) {
                    suffix = "k"
                }
            }
            found.append(prefix + digits + suffix)
            index = end
        }
        return found
    }
}
