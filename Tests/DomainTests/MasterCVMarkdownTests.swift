import Domain
import Foundation
import Testing

@Suite struct MasterCVMarkdownTests {
    static func importFixture() throws -> MasterCV {
        let url = DomainFixtures.fixture("master-cv.md")
        return try MasterCV.importMarkdown(String(contentsOf: url, encoding: .utf8), file: "master-cv.md")
    }

    /// A minimal document: a name, then `body`.
    static func document(_ body: String) -> String {
        "# Ada Quill\nEngineer\n\n" + body
    }

    /// The error an import throws, or a recorded failure when it succeeds.
    static func importError(_ text: String) -> MasterCV.LoadingError? {
        DomainFixtures.importError { try MasterCV.importMarkdown(text, file: "inline.md") }
    }

    // MARK: Each part maps

    @Test func mapsTheCandidate() throws {
        let master = try Self.importFixture()
        let candidate = master.candidate
        #expect(candidate.name == "Ines Vashti-Moore")
        #expect(candidate.headline == "Principal Platform Engineer — developer tooling and build systems")
        #expect(candidate.email == "ines.vm@example.org")
        #expect(candidate.phone == "+353 1 555 0142")
        #expect(candidate.location == "Cork, Ireland")
        #expect(
            candidate.links == [
                MasterCV.Link(label: "Website", url: "https://ines.example.org"),
                MasterCV.Link(label: "Code", url: "https://code.example.org/ivm"),
            ]
        )
        #expect(candidate.languages == ["English (native)", "Irish (conversational, written)", "Spanish (fluent)"])
        #expect(master.version == "2024-11-draft")
        #expect(
            candidate.summary
                == "Platform engineer with 10 years of experience making builds fast and releases boring.\n\nHappiest where a monorepo meets a deadline."
        )
    }

    @Test func mapsRoles() throws {
        let roles = try Self.importFixture().roles
        #expect(roles.map(\.title) == ["Principal Platform Engineer", "Software Engineer", "Build Engineer"])
        #expect(roles.map(\.company) == ["Harrow & Quay Software", "Harrow & Quay Software", "Tallowmere Games"])
        #expect(roles.map(\.start) == ["2022-02", "2019-01", "2016-07"])
        #expect(roles.map(\.end) == [nil, "2022-01", "2018-12"])
        #expect(roles.map(\.location) == ["Cork, Ireland", nil, "Dublin, Ireland"])
        #expect(roles.map(\.industry) == ["Developer tools", "Developer tools", nil])
        #expect(roles[0].skills == ["Bazel", "Go", "Kubernetes"])
        #expect(roles[0].keywords == ["build systems", "developer experience"])
        #expect(roles[1].skills.isEmpty && roles[1].keywords.isEmpty)
    }

    @Test func mapsAchievements() throws {
        let roles = try Self.importFixture().roles
        let ci = roles[0].achievements[0]
        #expect(ci.id == "hq-ci")
        #expect(ci.coreFact == "Cut median CI time from 42 to 9 minutes across 300 repositories.")
        #expect(
            ci.variants == [
                MasterCV.Variant(
                    type: .technical,
                    text: "Moved 300 repositories to remote Bazel caching, cutting median CI time from 42 to 9 minutes."
                ),
                MasterCV.Variant(type: .short, text: "CI from 42 to 9 minutes."),
            ]
        )
        #expect(ci.keywords == ["Bazel", "continuous integration"])
        #expect(ci.metrics == ["42", "9", "300"], "without a Metrics line the core fact's numbers are the metrics")

        let guild = roles[0].achievements[1]
        #expect(guild.id == "harrow-quay-software-2")
        #expect(guild.variants == [MasterCV.Variant(type: .leadership, text: "Ran a 12-person guild that retired 4 deploy tools.")])
        #expect(guild.metrics == ["12 engineers", "4 tools retired"])

        // The second role at the same company continues the numbering; an empty Metrics line means none.
        #expect(roles[1].achievements[0].id == "harrow-quay-software-3")
        #expect(roles[1].achievements[0].metrics == nil)
        #expect(roles[2].achievements[0].id == "tallowmere-games-1")
        #expect(roles[2].achievements[0].metrics == ["2"])
    }

    @Test func mapsEducationCertificationsAndSkills() throws {
        let master = try Self.importFixture()
        #expect(
            master.candidate.education == [
                MasterCV.Education(
                    institution: "Munster Technological University", degree: "BSc (Hons)", field: "Computing", startYear: 2012,
                    endYear: 2016),
                MasterCV.Education(institution: "Cork School of Music", degree: "Diploma", field: "Music Technology", endYear: 2011),
                MasterCV.Education(institution: "Open University", degree: ""),
            ]
        )
        #expect(master.candidate.certifications == ["Certified Kubernetes Administrator (CKA) (2021)"])
        #expect(
            master.skills == [
                MasterCV.SkillGroup(category: "Build", skills: ["Bazel", "Gradle", "Make"]),
                MasterCV.SkillGroup(category: "Languages and runtimes", skills: ["Go", "Python", "C++"]),
            ]
        )
    }

    // MARK: Round trip

    @Test func sampleRoundTripsThroughMarkdown() throws {
        let sample = try DomainFixtures.sampleMasterCV()
        let back = try MasterCV.importMarkdown(sample.markdown, file: "export.md")
        // The sample holds nothing the format cannot carry, so the whole value comes back.
        #expect(back.candidate == sample.candidate)
        for (index, role) in sample.roles.enumerated() {
            #expect(back.roles[index] == role, "role \(index)")
        }
        #expect(back == sample)
    }

    @Test func fixtureRoundTripsThroughMarkdown() throws {
        let master = try Self.importFixture()
        #expect(try MasterCV.importMarkdown(master.markdown, file: "export.md") == master)
    }

    @Test func exportWritesIdsOnlyWhenTheyAreNotAutomatic() throws {
        let markdown = try Self.importFixture().markdown
        #expect(markdown.contains("- Cut median CI time from 42 to 9 minutes across 300 repositories. {#hq-ci}"))
        #expect(markdown.contains("- Led a guild of 12 engineers that retired 4 legacy deploy tools.\n"))
        #expect(markdown.contains("2019-01 – 2022-01 ·  · Developer tools"))
    }

    // MARK: Dates and headings

    @Test(arguments: [
        ("2021-04 – present", "2021-04", nil),
        ("2021-04 – 2023-11", "2021-04", "2023-11"),
        ("2019 – 2020", "2019-01", "2020-01"),
        ("2019-03—2020", "2019-03", "2020-01"),
        ("2018-02 - 2019-12", "2018-02", "2019-12"),
        ("2017-05 to Present", "2017-05", nil),
    ] as [(String, String, String?)])
    func readsDates(line: String, start: String, end: String?) throws {
        let master = try MasterCV.importMarkdown(Self.document("## Experience\n### Dev — Acme\n\(line)\n"), file: "inline.md")
        #expect(master.roles.first?.start == start)
        #expect(master.roles.first?.end == end)
    }

    @Test(arguments: ["2021-13 – present", "April 2021 – present", "2021-04", "2021-4 – present", "2021-04 – soon", "2022-01 – 2021-12"])
    func rejectsBadDatesNamingTheLine(line: String) throws {
        let error = Self.importError(Self.document("## Experience\n### Dev — Acme\n\(line)\n"))
        #expect(error?.location == "line 6")
        #expect(error?.kind == .invalidValue)
    }

    @Test(arguments: [
        ("Summary", "summary"), ("PROFILE", "summary"), ("about", "summary"),
        ("Experience", "experience"), ("Work experience", "experience"), ("Roles", "experience"),
        ("Education", "education"), ("Certifications", "certifications"), ("certificates", "certifications"),
        ("Skills", "skills"),
    ])
    func readsSectionHeadings(heading: String, section: String) throws {
        let bodies = [
            "summary": "Hello there.",
            "experience": "### Dev — Acme\n2020-01 – present\n- Shipped it.",
            "education": "- BSc in Physics, Uni, 2010",
            "certifications": "- CKA",
            "skills": "- Tools: Git",
        ]
        let master = try MasterCV.importMarkdown(Self.document("## \(heading)\n\(bodies[section]!)\n"), file: "inline.md")
        switch section {
        case "summary": #expect(master.candidate.summary == "Hello there.")
        case "experience": #expect(master.roles.first?.achievements.first?.coreFact == "Shipped it.")
        case "education": #expect(master.candidate.education.first?.field == "Physics")
        case "certifications": #expect(master.candidate.certifications == ["CKA"])
        default: #expect(master.skills == [MasterCV.SkillGroup(category: "Tools", skills: ["Git"])])
        }
    }

    @Test(arguments: ["Hobbies", "Experiences", "Publications"])
    func rejectsUnknownHeadingsNamingTheLine(heading: String) {
        let error = Self.importError(Self.document("## Summary\nHi.\n\n## \(heading)\n- x\n"))
        #expect(error?.location == "line 7")
        #expect(error?.reason.contains(heading) == true)
    }

    // MARK: Errors

    @Test func rejectsAnUnknownVariantTypeNamingTheLine() {
        let error = Self.importError(Self.document("## Experience\n### Dev — Acme\n2020-01 – present\n- Did it.\n  - Visionary: Dreamt it.\n"))
        #expect(error?.location == "line 8")
        #expect(error?.reason.contains("unknown variant type 'Visionary'") == true)
        #expect(error?.description.contains("inline.md") == true)
    }

    @Test(arguments: [
        ("Engineer\n- Email: a@example.com\n", 1),
        ("\n\n## Summary\nHi.\n", 3),
        ("#\nEngineer\n", 1),
    ])
    func rejectsAMissingNameNamingTheLine(text: String, line: Int) {
        let error = Self.importError(text)
        #expect(error?.location == "line \(line)")
        #expect(error?.reason.contains("name") == true)
    }

    @Test func rejectsAnEmptyDocument() {
        #expect(Self.importError("")?.location == "line 1")
    }

    @Test func rejectsAnUnknownContactNamingTheLine() {
        let error = Self.importError("# Ada Quill\n- Fax: 0123\n")
        #expect(error?.location == "line 2")
    }

    @Test func namesTheLineOfADuplicateId() {
        let error = Self.importError(
            Self.document("## Experience\n### Dev — Acme\n2020-01 – present\n- One. {#x}\n- Two. {#x}\n")
        )
        #expect(error?.location == "line 8 (roles[0].achievements[1].id)")
        #expect(error?.reason.contains("already used") == true)
    }
}
