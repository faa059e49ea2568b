import Foundation

// MARK: - Markdown format

/// A master CV written by hand as Markdown; the full reference with an example is
/// `docs/master-cv-markdown.md`.
///
/// ```markdown
/// # Maren Okafor-Lind
/// Staff Software Engineer — distributed systems and data platforms
///
/// - Email: maren@example.com
/// - Phone: +44 20 7946 0321
/// - Location: Bristol, United Kingdom
/// - Links: [Website](https://maren.example.com), [Code](https://git.example.com/maren)
/// - Languages: English (native), German (fluent)
/// - Version: 2025-01
///
/// ## Summary
/// One or more paragraphs.
///
/// ## Experience
///
/// ### Staff Software Engineer — Northgale Logistics
/// 2021-04 – present · Bristol, UK · Logistics
/// Skills: Go, Kafka, Kubernetes
/// Keywords: event-driven architecture, SLOs
///
/// - Core fact of an achievement with its numbers, 4.2M events a day. {#ngl-slos}
///   - Leadership: a variant told for leaders.
///   - Short: a short variant.
///   - Keywords: SLOs, incident management
///   - Metrics: 4.2M events/day; p99 < 800 ms
///
/// ## Education
/// - MEng in Computer Science, University of Bristol, 2008–2012
///
/// ## Certifications
/// - AWS Certified Solutions Architect – Associate (2022)
///
/// ## Skills
/// - Languages: Go, Kotlin, Python
/// ```
///
/// The rules, in short:
/// - `# Name` must be the first line with text; the next plain line is the headline. The list under it
///   holds `Email`, `Phone`, `Location`, `Links` (`[Label](url)` joined by commas), `Languages` and
///   `Version`; any other key is an error.
/// - `##` headings open the sections `Summary` (also `Profile`, `About`), `Experience` (also
///   `Work Experience`, `Roles`), `Education`, `Certifications` (also `Certificates`) and `Skills`,
///   in any letter case and any order. Any other `##` heading is an error.
/// - A role is `### Title — Company` (split at the last ` — `), then a line of dates, location and
///   industry separated by ` · ` (an empty segment leaves one out), then optional `Skills:` and
///   `Keywords:` lines. Dates are `YYYY-MM`, or `YYYY` for its January; the end may be `present`. The
///   two dates are joined by `–`, `—`, ` - ` or ` to `. Roles keep the order they are written in.
/// - Each top-level `-` item of a role is an achievement's core fact. A trailing `{#id}` sets its id;
///   otherwise it is `<company-slug>-<n>`, numbered per company across the file. Indented items under it
///   are `Type: text` variants (`Technical`, `Architecture`, `Impact`, `Leadership`, `Short`, any
///   case), `Keywords: a, b` and `Metrics: a; b` (semicolons, since metrics contain commas). Without a
///   `Metrics` line the numbers of the core fact are the metrics; an empty `Metrics:` line means none.
///   An indented line that is not an item continues the previous core fact or variant.
/// - Lists (skills, keywords, languages) are separated by commas; commas inside parentheses do not
///   split. Education items are `Degree in Field, Institution, YYYY–YYYY` (the years may be one end year,
///   `YYYY–present` or absent; an item with no second part is only an institution).
///
/// Not carried: a role or skill name containing a comma, a degree without a name but with a field, line
/// breaks inside a summary paragraph, and the difference between an empty metrics list and none.
extension MasterCV {
    /// Parses a master CV from the Markdown format above and checks it as ``decode(_:file:)`` does.
    ///
    /// - Parameters:
    ///   - text: The Markdown document.
    ///   - file: How to name the source in errors (a path, or a label such as "request body").
    /// - Returns: The checked master CV.
    /// - Throws: ``LoadingError`` whose location is the offending line (`line 14`), or for a check made
    ///   after parsing, the line of the role or achievement it concerns.
    public static func importMarkdown(_ text: String, file: String) throws -> MasterCV {
        var parser = MarkdownCVParser(file: file)
        let parsed = try parser.parse(text)
        let data: Data
        do {
            data = try JSONEncoder().encode(parsed.master)
        } catch {
            throw LoadingError(kind: .invalidValue, file: file, location: nil, reason: String(describing: error))
        }
        do {
            return try decode(data, file: file)
        } catch let error as LoadingError {
            // Turn `roles[1].achievements[0].id` into the line that item was written on.
            let location = error.location.map { path in
                let line = parsed.lines.filter { path.hasPrefix($0.path) }.max { $0.path.count < $1.path.count }
                return line.map { "line \($0.line) (\(path))" } ?? path
            }
            throw LoadingError(kind: error.kind, file: file, location: location, reason: error.reason)
        }
    }

    /// The master CV in the Markdown format that ``importMarkdown(_:file:)`` reads back to the same value
    /// (except for what the format cannot carry, listed above).
    public var markdown: String {
        var out: [String] = ["# \(candidate.name)"]
        if !candidate.headline.isEmpty { out.append(candidate.headline) }
        var contacts: [String] = []
        if !candidate.email.isEmpty { contacts.append("- Email: \(candidate.email)") }
        if let phone = candidate.phone, !phone.isEmpty { contacts.append("- Phone: \(phone)") }
        if !candidate.location.isEmpty { contacts.append("- Location: \(candidate.location)") }
        if !candidate.links.isEmpty {
            contacts.append("- Links: " + candidate.links.map { "[\($0.label)](\($0.url))" }.joined(separator: ", "))
        }
        if !candidate.languages.isEmpty { contacts.append("- Languages: " + candidate.languages.joined(separator: ", ")) }
        if let version, !version.isEmpty { contacts.append("- Version: \(version)") }
        if !contacts.isEmpty { out += [""] + contacts }

        if !candidate.summary.isEmpty { out += ["", "## Summary", "", candidate.summary] }

        if !roles.isEmpty {
            out += ["", "## Experience"]
            var numbers: [String: Int] = [:]
            for role in roles {
                out += ["", "### \(role.title) — \(role.company)"]
                var line = "\(role.start) – \(role.end ?? "present")"
                if role.location != nil || role.industry != nil { line += " · \(role.location ?? "")" }
                if let industry = role.industry { line += " · \(industry)" }
                out.append(line)
                if !role.skills.isEmpty { out.append("Skills: " + role.skills.joined(separator: ", ")) }
                if !role.keywords.isEmpty { out.append("Keywords: " + role.keywords.joined(separator: ", ")) }
                if !role.achievements.isEmpty { out.append("") }
                let slug = MarkdownCVParser.slug(role.company)
                for achievement in role.achievements {
                    let number = numbers[slug, default: 1]
                    numbers[slug] = number + 1
                    let automatic = achievement.id == "\(slug)-\(number)"
                    out.append("- \(achievement.coreFact)" + (automatic ? "" : " {#\(achievement.id)}"))
                    for variant in achievement.variants {
                        out.append("  - \(variant.type.rawValue.capitalized): \(variant.text)")
                    }
                    if !achievement.keywords.isEmpty {
                        out.append("  - Keywords: " + achievement.keywords.joined(separator: ", "))
                    }
                    let derived = MarkdownCVParser.metrics(in: achievement.coreFact)
                    let metrics = achievement.metrics ?? []
                    if !metrics.isEmpty || !derived.isEmpty {
                        out.append(("  - Metrics: " + metrics.joined(separator: "; ")).trimmingTrailingSpaces)
                    }
                }
            }
        }

        if !candidate.education.isEmpty {
            out += ["", "## Education"]
            for education in candidate.education {
                var parts: [String] = []
                if !education.degree.isEmpty {
                    parts.append(education.degree + (education.field.map { " in \($0)" } ?? ""))
                }
                parts.append(education.institution)
                switch (education.startYear, education.endYear) {
                case let (start?, end?): parts.append("\(start)–\(end)")
                case let (start?, nil): parts.append("\(start)–present")
                case let (nil, end?): parts.append("\(end)")
                case (nil, nil): break
                }
                out.append("- " + parts.joined(separator: ", "))
            }
        }
        if !candidate.certifications.isEmpty {
            out += ["", "## Certifications"] + candidate.certifications.map { "- \($0)" }
        }
        if !skills.isEmpty {
            out += ["", "## Skills"] + skills.map { "- \($0.category): " + $0.skills.joined(separator: ", ") }
        }
        return out.joined(separator: "\n") + "\n"
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}

// MARK: - Parser

/// One pass over the Markdown lines. Parse errors throw at once, naming the line; the drafts remember
/// the line each role and achievement starts on so later checks can name it too.
private struct MarkdownCVParser {
    private enum Section {
        case header, summary, experience, education, certifications, skills
    }

    private struct AchievementDraft {
        var line: Int
        var coreFact: String
        var variants: [MasterCV.Variant] = []
        var keywords: [String] = []
        var metrics: [String]?
        var metricsGiven = false
    }

    private struct RoleDraft {
        var line: Int
        var role: MasterCV.Role
        var hasDates = false
        var achievements: [AchievementDraft] = []
    }

    /// Where the last continuation line goes.
    private enum TextTarget {
        case none, coreFact, variant
    }

    let file: String
    private var section = Section.header
    private var name: String?
    private var headline: String?
    private var seenContacts = false
    private var candidate = MasterCV.Candidate(name: "", headline: "", email: "", location: "", summary: "")
    private var version: String?
    private var summaryParagraphs: [[String]] = []
    private var roles: [RoleDraft] = []
    private var skills: [MasterCV.SkillGroup] = []
    private var target = TextTarget.none

    init(file: String) {
        self.file = file
    }

    mutating func parse(_ text: String) throws -> (master: MasterCV, lines: [(path: String, line: Int)]) {
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            var line = String(raw)
            if line.hasSuffix("\r") { line.removeLast() }
            try handle(line, at: number)
        }
        guard let name else {
            throw error(at: 1, "missing the candidate's name: the file must start with '# Name'")
        }
        candidate.name = name
        candidate.headline = headline ?? ""
        candidate.summary = summaryParagraphs.filter { !$0.isEmpty }.map { $0.joined(separator: " ") }.joined(separator: "\n\n")

        var lines: [(path: String, line: Int)] = []
        var numbers: [String: Int] = [:]
        var built: [MasterCV.Role] = []
        for (roleIndex, draft) in roles.enumerated() {
            guard draft.hasDates else {
                throw error(at: draft.line, "role has no dates line (for example '2021-04 – present · City · Industry')")
            }
            lines.append(("roles[\(roleIndex)]", draft.line))
            var role = draft.role
            let slug = Self.slug(role.company)
            for (index, achievement) in draft.achievements.enumerated() {
                lines.append(("roles[\(roleIndex)].achievements[\(index)]", achievement.line))
                var fact = achievement.coreFact
                var id: String?
                if let match = fact.firstMatch(of: #/\s*\{#([^{}\s]+)\}\s*$/#) {
                    id = String(match.output.1)
                    fact.removeSubrange(match.range)
                }
                let next = numbers[slug, default: 1]
                numbers[slug] = next + 1
                let derived = Self.metrics(in: fact)
                let metrics = achievement.metricsGiven ? achievement.metrics : (derived.isEmpty ? nil : derived)
                role.achievements.append(
                    MasterCV.Achievement(
                        id: id ?? "\(slug)-\(next)",
                        coreFact: fact,
                        variants: achievement.variants,
                        keywords: achievement.keywords,
                        metrics: metrics
                    )
                )
            }
            built.append(role)
        }
        return (MasterCV(candidate: candidate, roles: built, skills: skills, version: version), lines)
    }

    // MARK: Lines

    private mutating func handle(_ line: String, at number: Int) throws {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty {
            if section == .summary { summaryParagraphs.append([]) }
            target = .none
            return
        }
        if let heading = Self.heading(trimmed) {
            target = .none
            return try handleHeading(level: heading.level, text: heading.text, at: number)
        }
        guard name != nil else {
            throw error(at: number, "missing the candidate's name: the file must start with '# Name', found '\(trimmed)'")
        }
        let indented = line.first == " " || line.first == "\t"
        let item = Self.listItem(trimmed)
        switch section {
        case .header:
            if let item {
                seenContacts = true
                try contact(item, at: number)
            } else if headline == nil && !seenContacts {
                headline = trimmed
            } else {
                throw error(at: number, "unexpected text '\(trimmed)' after the headline; contacts are '- Key: value' items")
            }
        case .summary:
            if summaryParagraphs.isEmpty { summaryParagraphs.append([]) }
            summaryParagraphs[summaryParagraphs.count - 1].append(trimmed)
        case .experience:
            try experience(trimmed, item: item, indented: indented, at: number)
        case .education:
            guard let item else { throw notAnItem(trimmed, at: number) }
            candidate.education.append(try education(item, at: number))
        case .certifications:
            guard let item else { throw notAnItem(trimmed, at: number) }
            candidate.certifications.append(item)
        case .skills:
            guard let item, let (category, rest) = Self.keyValue(item) else {
                throw error(at: number, "expected a skills group '- Category: skill, skill', found '\(trimmed)'")
            }
            skills.append(MasterCV.SkillGroup(category: category, skills: Self.list(rest)))
        }
    }

    private mutating func handleHeading(level: Int, text: String, at number: Int) throws {
        switch level {
        case 1:
            guard name == nil else { throw error(at: number, "a second '# ' heading; only the candidate's name is a level-1 heading") }
            guard !text.isEmpty else { throw error(at: number, "missing the candidate's name after '#'") }
            name = text
        case 2:
            guard name != nil else {
                throw error(at: number, "missing the candidate's name: the file must start with '# Name', found '## \(text)'")
            }
            guard let found = Self.section(named: text) else {
                throw error(
                    at: number,
                    "unknown section '\(text)'; expected Summary, Experience, Education, Certifications or Skills"
                )
            }
            section = found
        case 3:
            guard section == .experience else {
                throw error(at: number, "a '### ' role heading belongs under '## Experience'")
            }
            guard let split = text.range(of: " — ", options: .backwards) else {
                throw error(at: number, "a role heading is '### Title — Company', found '\(text)'")
            }
            let title = text[..<split.lowerBound].trimmingCharacters(in: .whitespaces)
            let company = text[split.upperBound...].trimmingCharacters(in: .whitespaces)
            guard !title.isEmpty, !company.isEmpty else {
                throw error(at: number, "a role heading needs both a title and a company: '### Title — Company'")
            }
            roles.append(RoleDraft(line: number, role: MasterCV.Role(company: company, title: title, start: "")))
        default:
            throw error(at: number, "headings deeper than '###' are not part of the format")
        }
    }

    private mutating func contact(_ item: String, at number: Int) throws {
        guard let (key, value) = Self.keyValue(item) else {
            throw error(at: number, "expected a contact '- Key: value', found '- \(item)'")
        }
        switch key.lowercased() {
        case "email": candidate.email = value
        case "phone": candidate.phone = value.isEmpty ? nil : value
        case "location": candidate.location = value
        case "languages": candidate.languages = Self.list(value)
        case "version": version = value.isEmpty ? nil : value
        case "links":
            var links: [MasterCV.Link] = []
            for part in Self.list(value) {
                guard let match = part.wholeMatch(of: #/\[([^\]]*)\]\(([^)\s]+)\)/#) else {
                    throw error(at: number, "a link is '[Label](url)', found '\(part)'")
                }
                links.append(MasterCV.Link(label: String(match.output.1), url: String(match.output.2)))
            }
            candidate.links = links
        default:
            throw error(at: number, "unknown contact '\(key)'; expected Email, Phone, Location, Links, Languages or Version")
        }
    }

    // MARK: Experience

    private mutating func experience(_ trimmed: String, item: String?, indented: Bool, at number: Int) throws {
        guard !roles.isEmpty else {
            throw error(at: number, "text before the first role; a role starts with '### Title — Company'")
        }
        let last = roles.count - 1
        if !roles[last].hasDates {
            try dates(trimmed, into: &roles[last], at: number)
            return
        }
        guard let item else {
            if indented {
                try continueText(trimmed, at: number)
                return
            }
            if let (key, value) = Self.keyValue(trimmed), roles[last].achievements.isEmpty {
                switch key.lowercased() {
                case "skills":
                    roles[last].role.skills = Self.list(value)
                    return
                case "keywords":
                    roles[last].role.keywords = Self.list(value)
                    return
                default: break
                }
            }
            throw error(at: number, "unexpected line '\(trimmed)' in a role; expected 'Skills:', 'Keywords:' or '- achievement'")
        }
        if !indented {
            roles[last].achievements.append(AchievementDraft(line: number, coreFact: item))
            target = .coreFact
            return
        }
        guard !roles[last].achievements.isEmpty else {
            throw error(at: number, "an indented item belongs under an achievement ('- core fact')")
        }
        let index = roles[last].achievements.count - 1
        guard let (key, value) = Self.keyValue(item) else {
            throw error(at: number, "expected '- Type: text', '- Keywords: …' or '- Metrics: …', found '- \(item)'")
        }
        switch key.lowercased() {
        case "keywords":
            roles[last].achievements[index].keywords = Self.list(value)
            target = .none
        case "metrics":
            let metrics = value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            roles[last].achievements[index].metrics = metrics.isEmpty ? nil : metrics
            roles[last].achievements[index].metricsGiven = true
            target = .none
        default:
            guard let type = MasterCV.VariantType(rawValue: key.lowercased()) else {
                let allowed = MasterCV.VariantType.allCases.map { $0.rawValue.capitalized }.joined(separator: ", ")
                throw error(at: number, "unknown variant type '\(key)'; expected one of \(allowed), or Keywords or Metrics")
            }
            roles[last].achievements[index].variants.append(MasterCV.Variant(type: type, text: value))
            target = .variant
        }
    }

    private mutating func continueText(_ text: String, at number: Int) throws {
        let last = roles.count - 1
        guard let index = roles[last].achievements.indices.last else {
            throw error(at: number, "unexpected indented line '\(text)' before any achievement")
        }
        switch target {
        case .coreFact:
            roles[last].achievements[index].coreFact += " " + text
        case .variant:
            let variant = roles[last].achievements[index].variants.count - 1
            roles[last].achievements[index].variants[variant].text += " " + text
        case .none:
            throw error(at: number, "unexpected indented line '\(text)'; only a core fact or a variant continues")
        }
    }

    /// `2021-04 – present · Bristol, UK · Logistics`.
    private func dates(_ text: String, into draft: inout RoleDraft, at number: Int) throws {
        let segments = text.components(separatedBy: "·").map { $0.trimmingCharacters(in: .whitespaces) }
        guard segments.count <= 3 else {
            throw error(at: number, "a dates line has at most three parts: 'start – end · location · industry'")
        }
        let range = segments[0]
        var bounds: [String] = []
        for separator in ["–", "—", " - ", " to "] where range.contains(separator) {
            bounds = range.components(separatedBy: separator).map { $0.trimmingCharacters(in: .whitespaces) }
            break
        }
        guard bounds.count == 2 else {
            throw error(at: number, "expected the role's dates 'YYYY-MM – YYYY-MM' (or '– present'), found '\(text)'")
        }
        guard let start = Self.month(bounds[0]) else {
            throw error(at: number, "'\(bounds[0])' is not a start date (YYYY-MM or YYYY)")
        }
        var end: String?
        if bounds[1].lowercased() != "present" {
            guard let month = Self.month(bounds[1]) else {
                throw error(at: number, "'\(bounds[1])' is not an end date (YYYY-MM, YYYY or present)")
            }
            guard month >= start else {
                throw error(at: number, "the end date '\(bounds[1])' is before the start date '\(bounds[0])'")
            }
            end = month
        }
        draft.role.start = start
        draft.role.end = end
        draft.role.location = segments.count > 1 && !segments[1].isEmpty ? segments[1] : nil
        draft.role.industry = segments.count > 2 && !segments[2].isEmpty ? segments[2] : nil
        draft.hasDates = true
    }

    // MARK: Education

    /// `Degree in Field, Institution, 2008–2012`.
    private func education(_ item: String, at number: Int) throws -> MasterCV.Education {
        var parts = item.components(separatedBy: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        var startYear: Int?
        var endYear: Int?
        if parts.count > 1, let last = parts.last, last.first?.isNumber == true {
            parts.removeLast()
            let years = last.components(separatedBy: CharacterSet(charactersIn: "–—-")).map { $0.trimmingCharacters(in: .whitespaces) }
            func year(_ text: String) -> Int? {
                text.count == 4 && text.allSatisfy { $0.isASCII && $0.isNumber } ? Int(text) : nil
            }
            switch years.count {
            case 1:
                endYear = year(years[0])
                if endYear == nil { throw error(at: number, "'\(last)' is not a year (YYYY or YYYY–YYYY)") }
            case 2:
                startYear = year(years[0])
                endYear = years[1].lowercased() == "present" ? nil : year(years[1])
                if startYear == nil || (endYear == nil && years[1].lowercased() != "present") {
                    throw error(at: number, "'\(last)' is not a year range (YYYY–YYYY or YYYY–present)")
                }
            default:
                throw error(at: number, "'\(last)' is not a year range (YYYY–YYYY or YYYY–present)")
            }
        }
        guard !parts.isEmpty, !parts.contains(where: \.isEmpty) else {
            throw error(at: number, "expected '- Degree in Field, Institution, YYYY–YYYY', found '- \(item)'")
        }
        if parts.count == 1 {
            return MasterCV.Education(institution: parts[0], degree: "", startYear: startYear, endYear: endYear)
        }
        let degreePart = parts.removeFirst()
        var degree = degreePart
        var field: String?
        if let split = degreePart.range(of: " in ") {
            degree = String(degreePart[..<split.lowerBound])
            field = String(degreePart[split.upperBound...])
        }
        return MasterCV.Education(
            institution: parts.joined(separator: ", "),
            degree: degree,
            field: field,
            startYear: startYear,
            endYear: endYear
        )
    }

    // MARK: Helpers

    private func error(at line: Int, _ reason: String) -> MasterCV.LoadingError {
        MasterCV.LoadingError(kind: .invalidValue, file: file, location: "line \(line)", reason: reason)
    }

    private func notAnItem(_ text: String, at line: Int) -> MasterCV.LoadingError {
        error(at: line, "expected a '- ' list item, found '\(text)'")
    }

    private static func section(named text: String) -> Section? {
        switch text.lowercased() {
        case "summary", "profile", "about": .summary
        case "experience", "work experience", "roles": .experience
        case "education": .education
        case "certifications", "certificates": .certifications
        case "skills": .skills
        default: nil
        }
    }

    /// `## Skills` → (2, "Skills"); `#hashtag` without a space is not a heading.
    private static func heading(_ line: String) -> (level: Int, text: String)? {
        let hashes = line.prefix { $0 == "#" }.count
        guard hashes > 0, line.count == hashes || line.dropFirst(hashes).first == " " else { return nil }
        return (hashes, line.dropFirst(hashes).trimmingCharacters(in: .whitespaces))
    }

    /// The text of a `- ` or `* ` item.
    private static func listItem(_ trimmed: String) -> String? {
        guard trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") || trimmed == "-" || trimmed == "*" else { return nil }
        return trimmed.dropFirst().trimmingCharacters(in: .whitespaces)
    }

    /// `Key: value`, split at the first colon, so a value may contain colons.
    private static func keyValue(_ text: String) -> (String, String)? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let key = text[..<colon].trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty else { return nil }
        return (key, text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }

    /// Splits at commas that are not inside parentheses or brackets: "German (fluent, written)" stays whole.
    static func list(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            switch character {
            case "(", "[": depth += 1
            case ")", "]": depth = max(0, depth - 1)
            case "," where depth == 0:
                result.append(current)
                current = ""
                continue
            default: break
            }
            current.append(character)
        }
        result.append(current)
        return result.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// `YYYY-MM`, or `YYYY` as its January; `nil` for anything else.
    static func month(_ text: String) -> String? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            parts[0].count == 4
        else { return nil }
        guard parts.count == 2 else { return "\(parts[0])-01" }
        guard parts[1].count == 2, let month = Int(parts[1]), (1...12).contains(month) else { return nil }
        return "\(parts[0])-\(parts[1])"
    }

    /// The id prefix for a company, as the JSON Resume import makes it: "Acme & Co." → "acme-co".
    static func slug(_ company: String) -> String {
        let words = company.lowercased().split { !($0.isLetter || $0.isNumber) }
        return words.isEmpty ? "role" : words.joined(separator: "-")
    }

    /// The numbers a core fact states, as written ("45%", "£1.2M", "2,400", "3x"), by the rule the JSON
    /// Resume import uses: numbers inside words ("p99", "S3") and bare years are skipped.
    static func metrics(in text: String) -> [String] {
        let number = #/[$£€]?\d+(?:[.,]\d+)*(?:%|\+|(?:k|K|M|B|bn)(?![A-Za-z])|x(?![A-Za-z]))?/#
        var result: [String] = []
        for match in text.matches(of: number) {
            let token = String(match.output)
            if match.range.lowerBound > text.startIndex {
                let previous = text[text.index(before: match.range.lowerBound)]
                if previous.isLetter || previous.isNumber || previous == "_" { continue }
            }
            if token.count == 4, let value = Int(token), (1900...2099).contains(value) { continue }
            if !result.contains(token) { result.append(token) }
        }
        return result
    }
}
