import CVGeneratorService
import Domain
import Foundation
import JobAnalysis
import JobsmithTesting
import Testing

/// The CV writer against the sample master CV and real Ashby postings.
///
/// The promise under test is the one users care most about: the CV is tailored (it names the posting's
/// title and leads with what the posting asks for) and never says anything the master CV does not.
@Suite struct CVWriterTests {
    /// Real postings from `shared/datasets/ashby`, one engineering and one sales.
    enum Posting: String, CaseIterable, Sendable {
        case backend
        case sales

        var board: String { self == .backend ? "docker" : "ClassDojo" }
        var titlePrefix: String { self == .backend ? "Staff Backend/Data Engineer" : "Senior Account Executive" }

        func load() throws -> JobForCV {
            struct Board: Decodable {
                struct Job: Decodable {
                    var title: String
                    var descriptionPlain: String?
                }
                var jobs: [Job]
            }
            let url = TestEnvironment.ashbyDatasetDirectory.appendingPathComponent("\(board).json")
            let jobs = try JSONDecoder().decode(Board.self, from: Data(contentsOf: url)).jobs
            let job = try #require(jobs.first { $0.title.hasPrefix(titlePrefix) }, "no '\(titlePrefix)' in \(url.path)")
            let text = try #require(job.descriptionPlain)
            return JobForCV(title: job.title, company: board, descriptionText: text)
        }
    }

    static let masterURL = TestEnvironment.repositoryRoot.appendingPathComponent("samples/master-cv.json")

    let master: MasterCV

    init() throws {
        master = try MasterCV.load(from: Self.masterURL)
    }

    // MARK: Tailoring

    @Test(arguments: Posting.allCases)
    func headlineCarriesTheExactTitle(posting: Posting) throws {
        let job = try posting.load()
        let cv = CVWriter.write(for: job, master: master)
        let lines = cv.markdown.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.first == "# \(master.candidate.name)")
        let headline = try #require(lines.dropFirst().first)
        #expect(headline.contains(job.title))
        #expect(headline.contains(master.candidate.headline))
    }

    @Test(arguments: Posting.allCases)
    func matchedKeywordsOccurInThePosting(posting: Posting) throws {
        let job = try posting.load()
        let cv = CVWriter.write(for: job, master: master)
        let text = (job.title + "\n" + job.descriptionText).lowercased()
        for keyword in cv.matchedKeywords {
            // Spacing and dots may differ ("Elastic Search" for "Elasticsearch"), and the posting may use
            // another name the skill taxonomy gives the skill ("PostgreSQL" for "Postgres"); the letters of
            // one of its names must be there.
            let names = [keyword] + (SkillTaxonomy.standard.entry(named: keyword).map { [$0.name] + $0.aliases } ?? [])
            let found = names.contains { text.contains($0.lowercased()) || Self.squeezed(text).contains(Self.squeezed($0)) }
            #expect(found, "'\(keyword)' is not in the posting")
        }
    }

    @Test func backendPostingMatchesItsStackAndNotLookalikes() throws {
        let cv = CVWriter.write(for: try Posting.backend.load(), master: master)
        for expected in [
            "Go", "Java", "Python", "DynamoDB", "Elasticsearch", "AWS", "data modeling", "query optimization", "code review",
            "continuous integration", "APIs",
        ] {
            #expect(cv.matchedKeywords.contains(expected), "expected '\(expected)' among \(cv.matchedKeywords)")
        }
        // The posting says "Node.js" and "NoSQL", which must not count as JavaScript or SQL.
        #expect(!cv.matchedKeywords.contains("JavaScript"))
        #expect(!cv.matchedKeywords.contains("SQL"))
        // "At Docker, we..." names the employer, not a skill the posting asks for.
        #expect(!cv.matchedKeywords.contains("Docker"))
    }

    @Test func engineeringAndSalesPostingsSelectDifferentAchievements() throws {
        let engineering = CVWriter.write(for: try Posting.backend.load(), master: master)
        let sales = CVWriter.write(for: try Posting.sales.load(), master: master)
        #expect(engineering.selectedAchievementIDs != sales.selectedAchievementIDs)
        // The data-heavy posting brings the database and search work forward.
        #expect(engineering.selectedAchievementIDs.contains("ngl-postgres-partitioning"))
        #expect(engineering.selectedAchievementIDs.contains("fm-record-search"))
        #expect(!sales.selectedAchievementIDs.contains("ngl-postgres-partitioning"))
        #expect(engineering.matchedKeywords.count > sales.matchedKeywords.count)
    }

    @Test(arguments: Posting.allCases)
    func everyNumberComesFromTheMasterCV(posting: Posting) throws {
        let job = try posting.load()
        let cv = CVWriter.write(for: job, master: master)
        let source = Set(try Self.numbers(in: String(contentsOf: Self.masterURL, encoding: .utf8)))
        // The posting's title is printed on purpose; everything else must trace to the master CV, except
        // the tagline's years of experience, which are counted from the roles' dates.
        let output = cv.markdown.replacingOccurrences(of: job.title, with: "")
        let numbers = try Self.numbers(in: output)
        #expect(!numbers.isEmpty)
        let years = try #require(cv.tagline.firstMatch(of: try Regex(#"with (\d+) years of experience"#)))
        let computed = try #require(years.output[1].substring)
        for number in numbers where number != computed {
            #expect(source.contains(number), "\(number) is not in the master CV")
        }
    }

    @Test(arguments: Posting.allCases)
    func cvHasEverySectionWithTheAgreedSizes(posting: Posting) throws {
        let cv = CVWriter.write(for: try posting.load(), master: master)
        let sections = Self.sections(of: cv.markdown)
        #expect(
            sections.map(\.title) == [
                "Summary", "Key achievements", "Core competencies", "Experience", "Skills", "Education", "Certifications",
                "Languages",
            ]
        )
        let body = Dictionary(uniqueKeysWithValues: sections.map { ($0.title, $0.body) })
        #expect((5...6).contains(Self.bullets(in: body["Key achievements"] ?? "").count))
        let competencies = (body["Core competencies"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            .components(separatedBy: " · ")
        #expect((6...8).contains(competencies.count))
        let roles = (body["Experience"] ?? "").components(separatedBy: "### ").dropFirst()
        #expect(roles.count == master.roles.count)
        for role in roles {
            #expect((3...4).contains(Self.bullets(in: role).count), "\(role)")
        }
        #expect(cv.markdown.contains("Apr 2021 – Present"))
    }

    @Test func matchedSkillsLeadTheCompetencies() throws {
        let cv = CVWriter.write(for: try Posting.backend.load(), master: master)
        let body = Dictionary(uniqueKeysWithValues: Self.sections(of: cv.markdown).map { ($0.title, $0.body) })
        let competencies = (body["Core competencies"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            .components(separatedBy: " · ")
        let allSkills = Set(master.skills.flatMap(\.skills))
        for skill in competencies { #expect(allSkills.contains(skill), "'\(skill)' is not a master CV skill") }
        let matched = competencies.prefix { cv.matchedKeywords.contains($0) }
        #expect(matched.count >= 6, "\(competencies)")
    }

    @Test func outputIsDeterministic() throws {
        let job = try Posting.backend.load()
        let first = CVWriter.write(for: job, master: master)
        let second = CVWriter.write(for: job, master: try MasterCV.load(from: Self.masterURL))
        #expect(first == second)
    }

    @Test func masterWithNoMatchingSkillsStillYieldsACompleteCV() throws {
        var unrelated = master
        unrelated.skills = [MasterCV.SkillGroup(category: "Crafts", skills: ["weaving", "pottery"])]
        for index in unrelated.roles.indices {
            unrelated.roles[index].skills = []
            unrelated.roles[index].keywords = []
            for achievement in unrelated.roles[index].achievements.indices {
                unrelated.roles[index].achievements[achievement].keywords = []
            }
        }
        let job = try Posting.backend.load()
        let cv = CVWriter.write(for: job, master: unrelated)

        #expect(cv.matchedKeywords.isEmpty)
        // With nothing to go on, each role keeps its first three achievements in the master CV's order.
        let expected = unrelated.roles.flatMap { $0.achievements.prefix(3).map(\.id) }
        #expect(cv.selectedAchievementIDs == expected)
        #expect(cv.markdown.contains(job.title))
        #expect(cv.markdown.contains("## Core competencies\n\nweaving · pottery\n"))
        #expect(Self.sections(of: cv.markdown).count == 8)
    }

    // MARK: Truthfulness and safety

    @Test func variantWithAMetricTheCoreFactLacksIsNeverUsed() {
        let achievement = MasterCV.Achievement(
            id: "a1",
            coreFact: "Cut Kafka consumer lag by 40%.",
            variants: [
                MasterCV.Variant(type: .technical, text: "Cut Kafka consumer lag by 75% in distributed systems on Kubernetes."),
                MasterCV.Variant(type: .short, text: "Lag down 90%."),
            ],
            keywords: ["Kafka"]
        )
        let master = Self.smallMaster(achievements: [achievement], skills: ["Kafka", "distributed systems", "Kubernetes"])
        let job = JobForCV(
            title: "Platform Engineer", company: "Acme", descriptionText: "Kafka, distributed systems, Kubernetes.")
        let cv = CVWriter.write(for: job, master: master)
        #expect(cv.markdown.contains("40%"))
        #expect(!cv.markdown.contains("75%"))
        #expect(!cv.markdown.contains("90%"))
    }

    @Test func masterCVTextCannotBreakTheMarkdown() {
        let achievement = MasterCV.Achievement(
            id: "a1",
            coreFact: "# Shipped *everything* in [a day](javascript:alert(1))\n## twice",
            variants: []
        )
        var master = Self.smallMaster(achievements: [achievement], skills: ["_underscored_"])
        master.candidate.name = "Ada *Star*"
        master.candidate.links = [MasterCV.Link(label: "Site", url: "javascript:alert(1)")]
        master.candidate.certifications = ["1. Certified"]
        master.candidate.phone = "+44 20 7946 0000"
        let cv = CVWriter.write(for: JobForCV(title: "Engineer", company: "Acme", descriptionText: "x"), master: master)

        #expect(cv.markdown.hasPrefix("# Ada \\*Star\\*\n"))
        #expect(cv.markdown.contains("- \\# Shipped \\*everything\\* in \\[a day\\](javascript:alert(1)) ## twice"))
        #expect(!cv.markdown.contains("[Site]"))
        #expect(cv.markdown.contains("Site: javascript:alert(1)"))
        #expect(cv.markdown.contains("- 1\\. Certified"))
        // Line-start escapes only where the text starts a line.
        #expect(cv.markdown.contains("ada@example.com · +44 20 7946 0000 · Remote"))
        #expect(cv.markdown.contains("\\_underscored\\_"))
        // Only the writer's own headings start a line with "#".
        let headings = cv.markdown.split(separator: "\n").filter { $0.hasPrefix("#") }
        #expect(headings.allSatisfy { $0.hasPrefix("# Ada") || $0.hasPrefix("## ") || $0.hasPrefix("### Engineer") })
    }

    @Test func keywordsMatchWholeWordsPhrasesAndTechnologyPunctuation() {
        let skills = [
            "Node.js", "C++", "C#", ".NET", "Java", "Go", "C", "distributed systems", "event-driven architecture",
            "Elasticsearch", "API", "machine learning",
        ]
        let master = Self.smallMaster(achievements: [], skills: skills)
        let text = """
            We build Distributed  Systems in C# and .NET, with NodeJS and C++ services;
            event driven architecture on Elastic Search behind public APIs. JavaScript is welcome.
            Google it, we go fast. Machine
            learning is out of scope.
            """
        let cv = CVWriter.write(for: JobForCV(title: "Engineer", company: "Acme", descriptionText: text), master: master)
        #expect(
            Set(cv.matchedKeywords)
                == ["Node.js", "C++", "C#", ".NET", "distributed systems", "event-driven architecture", "Elasticsearch", "API"]
        )
    }

    // MARK: Loading

    @Test func sampleMasterCVIsAFullCareer() throws {
        #expect(master.roles.count == 4)
        #expect((5...6).contains(master.skills.count))
        #expect((35...45).contains(master.skills.flatMap(\.skills).count))
        #expect(
            !master.candidate.education.isEmpty && !master.candidate.certifications.isEmpty && !master.candidate.languages.isEmpty
        )
        for achievement in master.roles.flatMap(\.achievements) {
            #expect((2...4).contains(achievement.variants.count), "\(achievement.id)")
            #expect(Set(achievement.variants.map(\.type)).count == achievement.variants.count, "\(achievement.id)")
            // The sample itself keeps the promise: a variant's numbers all come from its core fact.
            let facts = Set(try Self.numbers(in: achievement.coreFact))
            for variant in achievement.variants {
                #expect(Set(try Self.numbers(in: variant.text)).isSubset(of: facts), "\(achievement.id) \(variant.type)")
            }
        }
        for role in master.roles { #expect((4...6).contains(role.achievements.count), "\(role.company)") }
    }

    @Test func encodingUsesSnakeCaseAndRoundTrips() throws {
        let data = try JSONEncoder().encode(master)
        let text = try #require(String(data: data, encoding: .utf8))
        #expect(text.contains("\"core_fact\"") && text.contains("\"start_year\""))
        #expect(!text.contains("coreFact"))
        #expect(try MasterCV.decode(data, file: "round trip") == master)
    }

    @Test func malformedJSONNamesTheFile() throws {
        let url = try Self.temporaryFile(contents: #"{ "candidate": { "name": "#)
        defer { try? FileManager.default.removeItem(at: url) }
        let error = try #require(throws: MasterCV.LoadingError.self) { try MasterCV.load(from: url) }
        #expect(error.kind == .malformedJSON)
        #expect(error.file == url.path)
        #expect(error.description.contains(url.path))
        #expect(error.description.contains("not valid JSON"))
    }

    @Test func missingKeyNamesTheKeyAndWhereItIsMissing() throws {
        var json = try Self.sampleJSONObject()
        var roles = try #require(json["roles"] as? [[String: Any]])
        var achievements = try #require(roles[1]["achievements"] as? [[String: Any]])
        achievements[2].removeValue(forKey: "core_fact")
        roles[1]["achievements"] = achievements
        json["roles"] = roles
        let url = try Self.temporaryFile(contents: Self.serialized(json))
        defer { try? FileManager.default.removeItem(at: url) }

        let error = try #require(throws: MasterCV.LoadingError.self) { try MasterCV.load(from: url) }
        #expect(error.kind == .wrongShape)
        #expect(error.location == "roles[1].achievements[2]")
        #expect(error.description.contains("missing key 'core_fact'"))
        #expect(error.description.contains(url.lastPathComponent))
    }

    @Test func badValuesAreReportedWithTheirPath() throws {
        var json = try Self.sampleJSONObject()
        var roles = try #require(json["roles"] as? [[String: Any]])
        roles[0]["start"] = "April 2021"
        var achievements = try #require(roles[2]["achievements"] as? [[String: Any]])
        achievements[1]["id"] = "ngl-mentoring"
        roles[2]["achievements"] = achievements
        json["roles"] = roles
        let url = try Self.temporaryFile(contents: Self.serialized(json))
        defer { try? FileManager.default.removeItem(at: url) }

        let error = try #require(throws: MasterCV.LoadingError.self) { try MasterCV.load(from: url) }
        #expect(error.kind == .invalidValue)
        #expect(error.location == "roles[0].start")
        #expect(error.reason.contains("'April 2021' is not a YYYY-MM month"))
        #expect(error.reason.contains("roles[2].achievements[1].id: 'ngl-mentoring' is already used by roles[0].achievements[0]"))
    }

    @Test func unknownVariantTypeListsTheAllowedOnes() throws {
        var json = try Self.sampleJSONObject()
        var roles = try #require(json["roles"] as? [[String: Any]])
        var achievements = try #require(roles[0]["achievements"] as? [[String: Any]])
        achievements[0]["variants"] = [["type": "Leadership", "text": "Led."], ["type": "visionary", "text": "Saw."]]
        roles[0]["achievements"] = achievements
        json["roles"] = roles

        let error = try #require(throws: MasterCV.LoadingError.self) {
            try MasterCV.decode(Self.serialized(json), file: "edited.json")
        }
        #expect(error.kind == .invalidValue)
        #expect(error.location == "roles[0].achievements[0].variants[1].type")
        #expect(error.reason.contains("unknown variant type 'visionary'; expected one of technical, architecture"))
    }

    @Test func missingFileIsUnreadable() throws {
        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            TestEnvironment.uniqueName("absent") + ".json")
        let error = try #require(throws: MasterCV.LoadingError.self) { try MasterCV.load(from: url) }
        #expect(error.kind == .unreadable)
        #expect(error.description.contains(url.path))
    }

    // MARK: Helpers

    static func numbers(in text: String) throws -> [String] {
        let pattern = try Regex(#"\d+(\.\d+)?%?"#)
        return text.matches(of: pattern).map { String(text[$0.range]) }
    }

    static func squeezed(_ text: String) -> String {
        String(text.lowercased().filter { $0.isLetter || $0.isNumber || "+#".contains($0) })
    }

    /// The `## ` sections in order, with their text up to the next one.
    static func sections(of markdown: String) -> [(title: String, body: String)] {
        markdown.components(separatedBy: "\n## ").dropFirst().map { chunk in
            let title = chunk.prefix { $0 != "\n" }
            return (String(title), String(chunk.dropFirst(title.count)))
        }
    }

    static func bullets(in text: String) -> [Substring] {
        text.split(separator: "\n").filter { $0.hasPrefix("- ") }
    }

    static func smallMaster(achievements: [MasterCV.Achievement], skills: [String]) -> MasterCV {
        MasterCV(
            candidate: MasterCV.Candidate(
                name: "Ada Example",
                headline: "Software engineer",
                email: "ada@example.com",
                location: "Remote",
                summary: "Software engineer."
            ),
            roles: [MasterCV.Role(company: "Example Ltd", title: "Engineer", start: "2020-01", achievements: achievements)],
            skills: [MasterCV.SkillGroup(category: "Skills", skills: skills)]
        )
    }

    static func sampleJSONObject() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: masterURL))
        return try #require(object as? [String: Any])
    }

    static func serialized(_ object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    static func temporaryFile(contents: String) throws -> URL {
        try temporaryFile(contents: Data(contents.utf8))
    }

    static func temporaryFile(contents: Data) throws -> URL {
        let url = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent(TestEnvironment.uniqueName("master-cv") + ".json")
        try contents.write(to: url)
        return url
    }
}
