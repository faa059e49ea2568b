import Foundation

// MARK: - Import

extension MasterCV {
    /// Builds a master CV from a JSON Resume document.
    ///
    /// JSON Resume has no achievements, variants or skill tags, so they are derived: each work highlight
    /// becomes one achievement (its own core fact and a single `impact` variant), tagged with the skills
    /// from the résumé's `skills` section that it names, with the numbers it states as metrics. Roles are
    /// ordered most recent first and dates become `YYYY-MM`. The result then passes the same checks as
    /// ``decode(_:file:)``, so an imported CV is as usable for tailoring as a hand-written one.
    ///
    /// - Parameter jsonResume: The decoded document.
    /// - Throws: ``LoadingError`` naming the JSON Resume field that is missing or malformed (for example
    ///   `work[2].startDate`); the file is named "JSON Resume".
    public init(jsonResume: JSONResume) throws {
        self = try Self.converting(jsonResume, file: "JSON Resume")
    }

    /// Decodes a JSON Resume document and converts it to a master CV.
    ///
    /// - Parameters:
    ///   - data: The JSON Resume bytes.
    ///   - file: How to name the source in errors (a path, or a label such as "request body").
    /// - Returns: The checked master CV.
    /// - Throws: ``LoadingError`` naming the file, the place in the JSON Resume and the reason.
    public static func importJSONResume(_ data: Data, file: String) throws -> MasterCV {
        let resume: JSONResume
        do {
            resume = try JSONDecoder().decode(JSONResume.self, from: data)
        } catch let error as DecodingError {
            throw LoadingError(decoding: error, file: file)
        } catch {
            throw LoadingError(kind: .malformedJSON, file: file, location: nil, reason: String(describing: error))
        }
        return try converting(resume, file: file)
    }

    /// The conversion behind both entry points; `file` only labels errors.
    private static func converting(_ resume: JSONResume, file: String) throws -> MasterCV {
        var converter = JSONResumeImport(resume: resume)
        let master = converter.masterCV()
        if let first = converter.problems.first {
            let reason = converter.problems.map { "\($0.location): \($0.reason)" }.joined(separator: "; ")
            throw LoadingError(kind: .invalidValue, file: file, location: first.location, reason: reason)
        }
        try validate(master, file: file)
        return master
    }

    /// Runs the checks ``decode(_:file:)`` applies, by round-tripping through the JSON it reads, so an
    /// import can never accept what loading the saved file would later reject.
    private static func validate(_ master: MasterCV, file: String) throws {
        let data: Data
        do {
            data = try JSONEncoder().encode(master)
        } catch {
            throw LoadingError(kind: .invalidValue, file: file, location: nil, reason: String(describing: error))
        }
        do {
            _ = try decode(data, file: file)
        } catch let error as LoadingError {
            // The location is in master CV terms (`roles[0]…`); say so rather than pretend it is in the input.
            throw LoadingError(
                kind: error.kind,
                file: file,
                location: error.location.map { "imported \($0)" },
                reason: error.reason
            )
        }
    }
}

/// The state of one JSON Resume → master CV conversion: the problems found so far and the achievement
/// ids handed out, so that every problem is reported at once and ids stay unique across roles.
private struct JSONResumeImport {
    let resume: JSONResume
    /// Where in the JSON Resume (`work[1].startDate`) and what is wrong.
    private(set) var problems: [(location: String, reason: String)] = []
    /// The next achievement number per company slug; a second role at the same company continues the
    /// numbering so its ids cannot collide with the first role's.
    private var nextNumber: [String: Int] = [:]
    /// The skills vocabulary achievements are tagged from, in the résumé's order.
    private let vocabulary: [String]

    init(resume: JSONResume) {
        self.resume = resume
        var seen: Set<String> = []
        var terms: [String] = []
        for skill in resume.skills ?? [] {
            for term in JSONResumeImport.groupSkills(skill) where seen.insert(term.lowercased()).inserted {
                terms.append(term)
            }
        }
        vocabulary = terms
    }

    mutating func masterCV() -> MasterCV {
        MasterCV(
            candidate: candidate(),
            roles: roles(),
            skills: skillGroups(),
            version: resume.meta?.version.flatMap(Self.nonEmpty)
        )
    }

    // MARK: Candidate

    private mutating func candidate() -> MasterCV.Candidate {
        guard let basics = resume.basics else {
            problems.append(("basics", "missing: a master CV needs at least basics.name"))
            return MasterCV.Candidate(name: "", headline: "", email: "", location: "", summary: "")
        }
        let name = basics.name.flatMap(Self.nonEmpty) ?? ""
        if name.isEmpty {
            problems.append(("basics.name", "missing or empty: a master CV needs the candidate's name"))
        }
        return MasterCV.Candidate(
            name: name,
            headline: basics.label.flatMap(Self.nonEmpty) ?? "",
            email: basics.email.flatMap(Self.nonEmpty) ?? "",
            phone: basics.phone.flatMap(Self.nonEmpty),
            location: basics.location.map(Self.locationText) ?? "",
            links: links(basics),
            languages: languages(),
            education: education(),
            certifications: certifications(),
            summary: basics.summary.flatMap(Self.nonEmpty) ?? ""
        )
    }

    /// The home page first, labelled "Website", then each profile labelled with its network. A profile
    /// without a URL is left out: a link with nothing to follow is no use on a CV.
    private func links(_ basics: JSONResume.Basics) -> [MasterCV.Link] {
        var links: [MasterCV.Link] = []
        if let url = basics.url.flatMap(Self.nonEmpty) {
            links.append(MasterCV.Link(label: "Website", url: url))
        }
        for profile in basics.profiles ?? [] {
            guard let url = profile.url.flatMap(Self.nonEmpty) else { continue }
            let label = profile.network.flatMap(Self.nonEmpty) ?? profile.username.flatMap(Self.nonEmpty) ?? "Profile"
            links.append(MasterCV.Link(label: label, url: url))
        }
        return links
    }

    /// "City, Region", or "City, Country" when there is no region: the country name is spelled out from
    /// the ISO code because recruiters read it, and the code is kept when the name is unknown.
    static func locationText(_ location: JSONResume.Location) -> String {
        let country = location.countryCode.flatMap(nonEmpty).map { code in
            Locale(identifier: "en_US").localizedString(forRegionCode: code.uppercased()) ?? code
        }
        let area = location.region.flatMap(nonEmpty) ?? country
        return [location.city.flatMap(nonEmpty), area].compactMap { $0 }.joined(separator: ", ")
    }

    private mutating func languages() -> [String] {
        var result: [String] = []
        for (index, entry) in (resume.languages ?? []).enumerated() {
            guard let language = entry.language.flatMap(Self.nonEmpty) else {
                problems.append(("languages[\(index)].language", "missing or empty"))
                continue
            }
            if let fluency = entry.fluency.flatMap(Self.nonEmpty) {
                result.append("\(language) (\(fluency))")
            } else {
                result.append(language)
            }
        }
        return result
    }

    private mutating func education() -> [MasterCV.Education] {
        var result: [MasterCV.Education] = []
        for (index, entry) in (resume.education ?? []).enumerated() {
            let path = "education[\(index)]"
            guard let institution = entry.institution.flatMap(Self.nonEmpty) else {
                problems.append(("\(path).institution", "missing or empty"))
                continue
            }
            result.append(
                MasterCV.Education(
                    institution: institution,
                    degree: entry.studyType.flatMap(Self.nonEmpty) ?? "",
                    field: entry.area.flatMap(Self.nonEmpty),
                    startYear: year(entry.startDate, at: "\(path).startDate"),
                    endYear: year(entry.endDate, at: "\(path).endDate")
                )
            )
        }
        return result
    }

    private mutating func certifications() -> [String] {
        var result: [String] = []
        for (index, certificate) in (resume.certificates ?? []).enumerated() {
            guard let name = certificate.name.flatMap(Self.nonEmpty) else {
                problems.append(("certificates[\(index)].name", "missing or empty"))
                continue
            }
            result.append(name)
        }
        return result
    }

    // MARK: Skills

    private mutating func skillGroups() -> [MasterCV.SkillGroup] {
        var result: [MasterCV.SkillGroup] = []
        for (index, skill) in (resume.skills ?? []).enumerated() {
            guard let name = skill.name.flatMap(Self.nonEmpty) else {
                problems.append(("skills[\(index)].name", "missing or empty"))
                continue
            }
            result.append(MasterCV.SkillGroup(category: name, skills: Self.groupSkills(skill)))
        }
        return result
    }

    /// The skills a group lists: its keywords, or the group's own name when it has none (a skill entry
    /// such as `{"name": "Rust"}` is itself the skill).
    static func groupSkills(_ skill: JSONResume.Skill) -> [String] {
        let keywords = (skill.keywords ?? []).compactMap(nonEmpty)
        if !keywords.isEmpty { return keywords }
        return skill.name.flatMap(nonEmpty).map { [$0] } ?? []
    }

    // MARK: Roles

    private mutating func roles() -> [MasterCV.Role] {
        var dated: [(start: String, index: Int, work: JSONResume.Work)] = []
        for (index, work) in (resume.work ?? []).enumerated() {
            let path = "work[\(index)]"
            if work.name.flatMap(Self.nonEmpty) == nil {
                problems.append(("\(path).name", "missing or empty: the company name is required"))
            }
            if work.position.flatMap(Self.nonEmpty) == nil {
                problems.append(("\(path).position", "missing or empty: the job title is required"))
            }
            guard let rawStart = work.startDate.flatMap(Self.nonEmpty) else {
                problems.append(("\(path).startDate", "missing: a role needs a start date (YYYY, YYYY-MM or YYYY-MM-DD)"))
                continue
            }
            guard let start = month(rawStart, at: "\(path).startDate") else { continue }
            dated.append((start, index, work))
        }
        // Most recent first; equal starts keep the résumé's order.
        dated.sort { $0.start != $1.start ? $0.start > $1.start : $0.index < $1.index }
        return dated.map { role(from: $0.work, start: $0.start, path: "work[\($0.index)]") }
    }

    private mutating func role(from work: JSONResume.Work, start: String, path: String) -> MasterCV.Role {
        let company = work.name.flatMap(Self.nonEmpty) ?? ""
        var end: String?
        if let rawEnd = work.endDate.flatMap(Self.nonEmpty) {
            end = month(rawEnd, at: "\(path).endDate")
            if let end, end < start {
                problems.append(("\(path).endDate", "'\(rawEnd)' is before the start date '\(start)'"))
            }
        }

        // The summary stands in for highlights only when there are none, so no fact is told twice.
        var facts: [(text: String, path: String)] = []
        for (index, highlight) in (work.highlights ?? []).enumerated() {
            let highlightPath = "\(path).highlights[\(index)]"
            guard let text = Self.nonEmpty(highlight) else {
                problems.append((highlightPath, "must not be empty"))
                continue
            }
            facts.append((text, highlightPath))
        }
        let summary = work.summary.flatMap(Self.nonEmpty)
        if facts.isEmpty, let summary {
            facts.append((summary, "\(path).summary"))
        }

        let slug = Self.slug(company)
        let achievements = facts.map { fact in
            let number = nextNumber[slug, default: 1]
            nextNumber[slug] = number + 1
            let metrics = Self.metrics(in: fact.text)
            return MasterCV.Achievement(
                id: "\(slug)-\(number)",
                coreFact: fact.text,
                variants: [MasterCV.Variant(type: .impact, text: fact.text)],
                keywords: mentionedSkills(in: [fact.text]),
                metrics: metrics.isEmpty ? nil : metrics
            )
        }
        return MasterCV.Role(
            company: company,
            title: work.position.flatMap(Self.nonEmpty) ?? "",
            location: work.location.flatMap(Self.nonEmpty),
            start: start,
            end: end,
            industry: work.description.flatMap(Self.nonEmpty),
            skills: mentionedSkills(in: [summary].compactMap { $0 } + facts.map(\.text)),
            achievements: achievements
        )
    }

    // MARK: Dates

    /// `YYYY-MM` from a schema date; a bare year means its January, since the schema gives no month.
    private mutating func month(_ text: String, at location: String) -> String? {
        guard let parts = Self.dateParts(text) else {
            problems.append((location, "'\(text)' is not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)"))
            return nil
        }
        return String(format: "%04d-%02d", parts.year, parts.month ?? 1)
    }

    private mutating func year(_ text: String?, at location: String) -> Int? {
        guard let text = text.flatMap(Self.nonEmpty) else { return nil }
        guard let parts = Self.dateParts(text) else {
            problems.append((location, "'\(text)' is not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)"))
            return nil
        }
        return parts.year
    }

    /// The schema's date pattern: four-digit year, then optionally a month, then optionally a day.
    static func dateParts(_ text: String) -> (year: Int, month: Int?)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count),
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            parts[0].count == 4, let year = Int(parts[0])
        else { return nil }
        guard parts.count > 1 else { return (year, nil) }
        guard parts[1].count == 2, let month = Int(parts[1]), (1...12).contains(month) else { return nil }
        if parts.count == 3 {
            guard parts[2].count == 2, let day = Int(parts[2]), (1...31).contains(day) else { return nil }
        }
        return (year, month)
    }

    // MARK: Text analysis

    /// The vocabulary terms the texts mention, in vocabulary order.
    private func mentionedSkills(in texts: [String]) -> [String] {
        vocabulary.filter { term in texts.contains { Self.mentions(term, in: $0) } }
    }

    /// Whether `text` contains `term` as a whole word, ignoring case: "Go" matches "in Go," but not
    /// "ago", and terms with punctuation ("C++", "Node.js", "CI/CD") still match.
    static func mentions(_ term: String, in text: String) -> Bool {
        guard !term.isEmpty else { return false }
        var searchStart = text.startIndex
        while searchStart < text.endIndex,
            let found = text.range(of: term, options: .caseInsensitive, range: searchStart..<text.endIndex)
        {
            let startsWord = found.lowerBound == text.startIndex || !isWordCharacter(text[text.index(before: found.lowerBound)])
            let endsWord = found.upperBound == text.endIndex || !isWordCharacter(text[found.upperBound])
            if startsWord && endsWord { return true }
            searchStart = text.index(after: found.lowerBound)
        }
        return false
    }

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_"
    }

    /// The numbers a highlight states, as written ("45%", "£1.2M", "2,400", "3x"), for checking that a
    /// generated text kept them. Numbers inside words ("p99", "S3") are names, not metrics, and bare
    /// years are dates, so both are skipped.
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

    /// The id prefix for a company: lowercase letters and digits joined by hyphens ("Acme & Co." →
    /// "acme-co"), so ids stay readable and safe in URLs.
    static func slug(_ company: String) -> String {
        var words: [String] = []
        var current = ""
        for character in company.lowercased() {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words.isEmpty ? "role" : words.joined(separator: "-")
    }

    /// The trimmed text, or `nil` when nothing is left: the schema allows empty strings where Jobsmith
    /// means "absent".
    static func nonEmpty(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}

// MARK: - Export

extension MasterCV {
    /// The master CV as a JSON Resume document, for CV tools and theme renderers.
    ///
    /// JSON Resume has no place for variants, achievement keywords, metrics or role skills, so those are
    /// dropped; each achievement's core fact becomes a highlight, the truth rather than one telling of it.
    /// What comes back in holds the same names, titles, companies, dates, highlights, skills and
    /// education: the "Website" link is the home page and the other links are profiles, the location is
    /// split at its first comma into city and region, and "Language (fluency)" is split back apart.
    public var jsonResume: JSONResume {
        var profiles: [JSONResume.Profile] = []
        var homePage: String?
        for link in candidate.links {
            if homePage == nil, link.label == "Website" {
                homePage = link.url
            } else {
                profiles.append(JSONResume.Profile(network: link.label, url: link.url))
            }
        }
        let basics = JSONResume.Basics(
            name: candidate.name,
            label: Self.nilIfEmpty(candidate.headline),
            email: Self.nilIfEmpty(candidate.email),
            phone: candidate.phone,
            url: homePage,
            summary: Self.nilIfEmpty(candidate.summary),
            location: Self.location(candidate.location),
            profiles: profiles.isEmpty ? nil : profiles
        )
        let work = roles.map { role in
            JSONResume.Work(
                name: role.company,
                position: role.title,
                location: role.location,
                description: role.industry,
                startDate: role.start,
                endDate: role.end,
                highlights: role.achievements.map(\.coreFact)
            )
        }
        let education = candidate.education.map { entry in
            JSONResume.Education(
                institution: entry.institution,
                area: entry.field,
                studyType: Self.nilIfEmpty(entry.degree),
                startDate: entry.startYear.map { String($0) },
                endDate: entry.endYear.map { String($0) }
            )
        }
        return JSONResume(
            schema: JSONResume.schemaURL,
            basics: basics,
            work: work,
            education: education,
            skills: skills.map { JSONResume.Skill(name: $0.category, keywords: $0.skills) },
            languages: candidate.languages.map(Self.language),
            certificates: candidate.certifications.map { JSONResume.Certificate(name: $0) },
            meta: version.map { JSONResume.Meta(version: $0) }
        )
    }

    private static func nilIfEmpty(_ text: String) -> String? {
        text.isEmpty ? nil : text
    }

    /// Free-text location → city and region, split at the first comma so importing joins it back unchanged.
    private static func location(_ text: String) -> JSONResume.Location? {
        guard !text.isEmpty else { return nil }
        guard let comma = text.firstIndex(of: ",") else { return JSONResume.Location(city: text) }
        let city = text[..<comma].trimmingCharacters(in: .whitespaces)
        let region = text[text.index(after: comma)...].trimmingCharacters(in: .whitespaces)
        return JSONResume.Location(city: city, region: region.isEmpty ? nil : region)
    }

    /// "German (fluent)" → language "German", fluency "fluent"; text without a trailing parenthesis is all language.
    private static func language(_ text: String) -> JSONResume.Language {
        guard text.hasSuffix(")"), let open = text.lastIndex(of: "(") else {
            return JSONResume.Language(language: text)
        }
        let language = text[..<open].trimmingCharacters(in: .whitespaces)
        let fluency = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        guard !language.isEmpty else { return JSONResume.Language(language: text) }
        return JSONResume.Language(language: language, fluency: fluency)
    }
}
