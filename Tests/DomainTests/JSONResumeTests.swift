import Domain
import Foundation
import Testing

@Suite struct JSONResumeTests {
    static func fixture() throws -> Data {
        let url = DomainFixtures.fixture("json-resume.json")
        return try Data(contentsOf: url)
    }

    static func importFixture() throws -> MasterCV {
        try MasterCV.importJSONResume(fixture(), file: "json-resume.json")
    }

    /// A minimal valid document with `work` replaced, for the cases the fixture does not cover.
    static func importing(work: String, basics: String = #"{"name": "Ada Quill"}"#) throws -> MasterCV {
        let json = #"{"basics": \#(basics), "work": \#(work), "skills": [{"name": "Languages", "keywords": ["Swift"]}]}"#
        return try MasterCV.importJSONResume(Data(json.utf8), file: "inline.json")
    }

    /// The error an import throws, or a recorded failure when it succeeds.
    static func importError(_ json: String) -> MasterCV.LoadingError? {
        DomainFixtures.importError { try MasterCV.importJSONResume(Data(json.utf8), file: "inline.json") }
    }

    // MARK: Import

    @Test func importsBasicsIntoTheCandidate() throws {
        let master = try Self.importFixture()
        let candidate = master.candidate
        #expect(candidate.name == "Tomás Ekwueme-Hale")
        #expect(candidate.headline == "Principal Backend Engineer")
        #expect(candidate.email == "tomas.ekwueme-hale@example.dev")
        #expect(candidate.phone == "+351 21 000 0417")
        // No region: the country code is spelled out.
        #expect(candidate.location == "Lisbon, Portugal")
        #expect(candidate.summary.hasPrefix("Backend engineer with 12 years"))
        // The home page first; the profile without a URL is left out.
        #expect(candidate.links == [
            MasterCV.Link(label: "Website", url: "https://tomas.example.dev"),
            MasterCV.Link(label: "GitHub", url: "https://github.example.com/tekwueme"),
            MasterCV.Link(label: "Mastodon", url: "https://social.example.net/@tomas"),
        ])
        #expect(master.version == "v3")
    }

    @Test func locationPrefersTheRegionOverTheCountry() throws {
        let master = try Self.importing(
            work: "[]",
            basics: #"{"name": "Ada Quill", "location": {"city": "Austin", "region": "Texas", "countryCode": "US"}}"#
        )
        #expect(master.candidate.location == "Austin, Texas")
    }

    @Test func importsWorkMostRecentFirstWithMonthDates() throws {
        let roles = try Self.importFixture().roles
        #expect(roles.map(\.company) == ["Halvorsen & Pike Freight", "Orla Analytics", "Orla Analytics", "Brightwater Digital"])
        #expect(roles.map(\.title) == ["Principal Engineer", "Senior Backend Engineer", "Backend Engineer", "Software Engineer"])
        // YYYY-MM-DD loses the day, YYYY becomes January, a missing endDate is the current role.
        #expect(roles.map(\.start) == ["2022-03", "2018-06", "2017-01", "2013-01"])
        #expect(roles.map(\.end) == [nil, "2022-02", "2018-05", "2016-12"])
        #expect(roles.map(\.location) == ["Lisbon, Portugal", "Porto, Portugal", "Porto, Portugal", "Braga, Portugal"])
        #expect(roles.map(\.industry) == ["Freight logistics", "Product analytics SaaS", nil, "Travel booking agency"])
    }

    @Test func eachHighlightBecomesAnAchievement() throws {
        let roles = try Self.importFixture().roles
        let freight = roles[0].achievements
        #expect(freight.map(\.id) == ["halvorsen-pike-freight-1", "halvorsen-pike-freight-2", "halvorsen-pike-freight-3"])
        let pipeline = freight[1]
        #expect(pipeline.coreFact == "Designed a Kafka-based event pipeline in Go that ingests 12M shipment events per day at 99.9% availability.")
        #expect(pipeline.variants == [MasterCV.Variant(type: .impact, text: pipeline.coreFact)])
        #expect(pipeline.keywords == ["Go", "Kafka"])
        #expect(pipeline.metrics == ["12M", "99.9%"])
        #expect(freight[0].keywords == ["Kubernetes", "Terraform"])
        #expect(freight[0].metrics == ["38", "45", "6"])
        #expect(freight[2].keywords == ["AWS"])
        #expect(freight[2].metrics == ["22%", "$640k"])

        let analytics = roles[1].achievements
        // "p95" is a name, not a metric; thousands separators stay as written.
        #expect(analytics[0].metrics == ["1.4", "210", "3,000"])
        #expect(analytics[1].keywords == ["PostgreSQL", "ClickHouse"])
        #expect(analytics[1].metrics == ["8x"])
        // Multi-word skills match; a year is not a metric.
        #expect(analytics[2].keywords == ["code review"])
        #expect(analytics[2].metrics == ["5"])
        // A second role at the same company continues the numbering.
        #expect(roles[2].achievements.map(\.id) == ["orla-analytics-4"])
    }

    @Test func roleSkillsComeFromTheSummaryAndHighlights() throws {
        let roles = try Self.importFixture().roles
        #expect(roles[0].skills == ["Go", "Kubernetes", "Terraform", "AWS", "Kafka"])
        // Python appears only in the summary.
        #expect(roles[1].skills == ["Rust", "Python", "PostgreSQL", "ClickHouse", "code review"])
        #expect(roles[3].skills == ["TypeScript", "observability"])
    }

    @Test func achievementIDsAreUniqueAndTheResultLoads() throws {
        let master = try Self.importFixture()
        let ids = master.roles.flatMap(\.achievements).map(\.id)
        #expect(ids.count == 9)
        #expect(Set(ids).count == ids.count)
        // What the import produced is a master CV file the loader accepts unchanged.
        let reloaded = try MasterCV.decode(JSONEncoder().encode(master), file: "reloaded")
        #expect(reloaded == master)
    }

    @Test func importsEducationSkillsLanguagesAndCertificates() throws {
        let master = try Self.importFixture()
        #expect(master.candidate.education == [
            MasterCV.Education(institution: "Instituto Superior Técnico", degree: "MSc", field: "Computer Science and Engineering", startYear: 2011, endYear: 2013),
            MasterCV.Education(institution: "Universidade do Minho", degree: "BSc", field: "Informatics Engineering", startYear: 2008, endYear: 2011),
        ])
        #expect(master.skills == [
            MasterCV.SkillGroup(category: "Programming languages", skills: ["Go", "Rust", "Python", "TypeScript", "SQL"]),
            MasterCV.SkillGroup(category: "Infrastructure", skills: ["Kubernetes", "Terraform", "AWS", "Docker"]),
            MasterCV.SkillGroup(category: "Data", skills: ["PostgreSQL", "Kafka", "ClickHouse"]),
            MasterCV.SkillGroup(category: "Practices", skills: ["code review", "observability", "mentoring"]),
            MasterCV.SkillGroup(category: "Technical writing", skills: ["Technical writing"]),
        ])
        #expect(master.candidate.languages == ["Portuguese (Native speaker)", "English (Fluent)", "Spanish (Conversational)"])
        #expect(master.candidate.certifications == ["Certified Kubernetes Administrator (CKA)"])
    }

    @Test func summaryIsTheAchievementOnlyWithoutHighlights() throws {
        let master = try Self.importing(work: """
            [
              {"name": "Quill Works", "position": "Engineer", "startDate": "2020-02", "summary": "Built the Swift billing service."},
              {"name": "Old Co", "position": "Intern", "startDate": "2019", "endDate": "2019-08",
               "summary": "Summer internship.", "highlights": ["Wrote Swift scripts."]}
            ]
            """)
        #expect(master.roles[0].achievements.map(\.coreFact) == ["Built the Swift billing service."])
        #expect(master.roles[0].achievements.map(\.id) == ["quill-works-1"])
        #expect(master.roles[0].skills == ["Swift"])
        #expect(master.roles[1].achievements.map(\.coreFact) == ["Wrote Swift scripts."])
    }

    @Test func skillsMatchWholeWordsIgnoringCase() throws {
        let json = """
            {"basics": {"name": "Ada Quill"},
             "skills": [{"name": "Languages", "keywords": ["Go", "C++", "Node.js"]}],
             "work": [{"name": "A", "position": "B", "startDate": "2020",
                       "highlights": ["Shipped it two years ago.", "Wrote c++ and NODE.JS tooling.", "Ported it to go, then Golang."]}]}
            """
        let achievements = try MasterCV.importJSONResume(Data(json.utf8), file: "inline.json").roles[0].achievements
        #expect(achievements.map(\.keywords) == [[], ["C++", "Node.js"], ["Go"]])
    }

    // MARK: Dates and errors

    @Test(arguments: [
        ("2015", "2015-01"),
        ("2015-07", "2015-07"),
        ("2015-07-31", "2015-07"),
        ("1999-12-01", "1999-12"),
    ])
    func schemaDatesBecomeMonths(input: String, month: String) throws {
        let master = try Self.importing(work: #"[{"name": "A", "position": "B", "startDate": "\#(input)"}]"#)
        #expect(master.roles[0].start == month)
        #expect(master.roles[0].end == nil)
    }

    @Test(arguments: ["2015/07", "15-07", "2015-13", "2015-07-32", "July 2015", "2015-7"])
    func malformedDatesNameTheirPlace(input: String) throws {
        let error = Self.importError(
            #"{"basics": {"name": "Ada"}, "work": [{"name": "A", "position": "B", "startDate": "2014"}, {"name": "C", "position": "D", "startDate": "\#(input)"}]}"#
        )
        #expect(error?.kind == .invalidValue)
        #expect(error?.location == "work[1].startDate")
        #expect(error?.reason.contains("'\(input)' is not an ISO 8601 date") == true)
    }

    @Test func missingNameFailsAtBasicsName() {
        let error = Self.importError(#"{"basics": {"label": "Engineer", "email": "a@example.com"}, "work": []}"#)
        #expect(error?.kind == .invalidValue)
        #expect(error?.file == "inline.json")
        #expect(error?.location == "basics.name")
        #expect(error?.description.contains("master CV inline.json: invalid value at basics.name") == true)
    }

    @Test func missingBasicsFails() {
        let error = Self.importError(#"{"work": []}"#)
        #expect(error?.location == "basics")
    }

    @Test func everyProblemIsReportedAtOnce() {
        let error = Self.importError(
            #"{"basics": {"name": " "}, "work": [{"position": "Engineer", "highlights": ["Did things.", ""]}, {"name": "A", "position": "B", "startDate": "2020-05", "endDate": "2019"}]}"#
        )
        #expect(error?.location == "basics.name")
        let reason = error?.reason ?? ""
        #expect(reason.contains("work[0].name: missing or empty"))
        #expect(reason.contains("work[0].startDate: missing"))
        #expect(reason.contains("work[1].endDate: '2019' is before the start date '2020-05'"))
    }

    @Test func emptyHighlightIsAnError() {
        let error = Self.importError(
            #"{"basics": {"name": "Ada"}, "work": [{"name": "A", "position": "B", "startDate": "2020", "highlights": ["Did things.", "  "]}]}"#
        )
        #expect(error?.location == "work[0].highlights[1]")
    }

    @Test func wrongShapeNamesThePath() {
        let error = Self.importError(#"{"basics": {"name": "Ada"}, "work": [{"name": "A", "highlights": "Did things."}]}"#)
        #expect(error?.kind == .wrongShape)
        #expect(error?.location == "work[0].highlights")
    }

    @Test func malformedJSONIsReported() {
        let error = Self.importError(#"{"basics": "#)
        #expect(error?.kind == .malformedJSON)
    }

    @Test func legacyCompanyKeyIsAccepted() throws {
        let master = try Self.importing(work: #"[{"company": "Legacy Ltd", "website": "https://legacy.example", "position": "Dev", "startDate": "2010-01-01"}]"#)
        #expect(master.roles[0].company == "Legacy Ltd")
    }

    // MARK: Export

    @Test func roundTripKeepsTheMappedParts() throws {
        let first = try Self.importFixture()
        let exported = try JSONEncoder().encode(first.jsonResume)
        let second = try MasterCV.importJSONResume(exported, file: "exported")

        #expect(second.candidate == first.candidate)
        #expect(second.skills == first.skills)
        #expect(second.version == first.version)
        #expect(second.roles.map(\.company) == first.roles.map(\.company))
        #expect(second.roles.map(\.title) == first.roles.map(\.title))
        #expect(second.roles.map(\.start) == first.roles.map(\.start))
        #expect(second.roles.map(\.end) == first.roles.map(\.end))
        #expect(second.roles.map(\.location) == first.roles.map(\.location))
        #expect(second.roles.map(\.industry) == first.roles.map(\.industry))
        #expect(second.roles.map { $0.achievements.map(\.coreFact) } == first.roles.map { $0.achievements.map(\.coreFact) })
        #expect(second.roles.map(\.achievements) == first.roles.map(\.achievements))
        // After one pass nothing more is lost: exporting the re-import gives the same document.
        #expect(second.jsonResume == first.jsonResume)
    }

    @Test func exportWritesTheSchemaShape() throws {
        let resume = try Self.importFixture().jsonResume
        #expect(resume.schema == JSONResume.schemaURL)
        #expect(resume.basics?.url == "https://tomas.example.dev")
        #expect(resume.basics?.location == JSONResume.Location(city: "Lisbon", region: "Portugal"))
        #expect(resume.basics?.profiles?.map(\.network) == ["GitHub", "Mastodon"])
        #expect(resume.languages?.first == JSONResume.Language(language: "Portuguese", fluency: "Native speaker"))
        #expect(resume.education?.first?.startDate == "2011")
        #expect(resume.work?.first?.endDate == nil)

        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(resume)) as? [String: Any]
        let work = (object?["work"] as? [[String: Any]])?.first
        #expect(object?["$schema"] as? String == JSONResume.schemaURL)
        #expect(work?["name"] as? String == "Halvorsen & Pike Freight")
        // A current role has no endDate key at all, as the schema expects.
        #expect(work?.keys.contains("endDate") == false)
    }

    @Test func exportingTheSampleMatchesItsRoles() throws {
        let sample = try DomainFixtures.sampleMasterCV()
        let resume = sample.jsonResume
        let work = try #require(resume.work)
        #expect(work.count == sample.roles.count)
        for (entry, role) in zip(work, sample.roles) {
            #expect(entry.name == role.company)
            #expect(entry.position == role.title)
            #expect(entry.location == role.location)
            #expect(entry.startDate == role.start)
            #expect(entry.endDate == role.end)
            #expect(entry.highlights == role.achievements.map(\.coreFact))
        }
        #expect(resume.basics?.name == sample.candidate.name)
        #expect(resume.skills?.map(\.name) == sample.skills.map(\.category))

        // And the export imports back with the sample's roles, dates and facts.
        let reimported = try MasterCV(jsonResume: resume)
        #expect(reimported.roles.map(\.company) == sample.roles.map(\.company))
        #expect(reimported.roles.map(\.start) == sample.roles.map(\.start))
        #expect(reimported.roles.map(\.end) == sample.roles.map(\.end))
        #expect(reimported.candidate == sample.candidate)
        #expect(reimported.skills == sample.skills)
    }
}
