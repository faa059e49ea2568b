import JobAnalysis
import Testing

@Suite("Skill taxonomy")
struct SkillTaxonomyTests {
    let taxonomy = SkillTaxonomy.standard

    @Test("Aliases, expansions and spelling variants resolve to one canonical name", arguments: [
        ("k8s", "Kubernetes"),
        ("Postgres", "PostgreSQL"),
        ("postgresql", "PostgreSQL"),
        ("Amazon Web Services", "AWS"),
        ("Golang", "Go"),
        ("node js", "Node.js"),
        ("NodeJS", "Node.js"),
        ("C#", "C#"),
        ("C++", "C++"),
        (".NET", ".NET"),
        ("Google Cloud Platform", "GCP"),
        ("ML", "Machine Learning"),
    ])
    func aliasResolves(alias: String, canonical: String) {
        #expect(taxonomy.entry(named: alias)?.name == canonical)
    }

    @Test("Skills are found in running text under their canonical names", arguments: [
        ("We run Postgres on k8s in Amazon Web Services", ["PostgreSQL", "Kubernetes", "AWS"]),
        ("Backend in Golang and C#, tooling in C++ and .NET", ["Go", "C#", "C++", ".NET"]),
        ("Experience with Node.js and TypeScript", ["Node.js", "TypeScript"]),
        ("Pipelines in Apache Airflow feeding Snowflake", ["Apache Airflow", "Snowflake"]),
        ("Own the Salesforce pipeline and HubSpot campaigns", ["Salesforce", "HubSpot"]),
        ("Build financial models in Excel; close the books in NetSuite", ["Excel", "NetSuite"]),
        ("Prototype in Figma and run user research", ["Figma", "user research"]),
        ("Own FP&A and support M&A; track experiments in Weights & Biases", ["FP&A", "M&A", "Weights & Biases"]),
    ])
    func findsSkills(text: String, expected: [String]) {
        let found = Set(taxonomy.mentions(in: text).map(\.skill.name))
        for name in expected {
            #expect(found.contains(name), "\(name) not found in: \(text) (found \(found.sorted()))")
        }
    }

    @Test("Words that are also skills count only when written as the skill", arguments: [
        "Let's go and get it done with swift delivery",
        "We move at a rapid pace, and rust never sleeps",
    ])
    func ordinaryWordsAreNotSkills(text: String) {
        let found = taxonomy.mentions(in: text).map(\.skill.name)
        #expect(!found.contains("Go"))
        #expect(!found.contains("Swift"))
        #expect(!found.contains("Rust"))
    }

    @Test("Java is not found inside JavaScript, nor C inside C++, nor R inside R&D")
    func noSubstringMatches() {
        let found = Set(taxonomy.mentions(in: "JavaScript and C++ on the front end, close to R&D").map(\.skill.name))
        #expect(found.contains("JavaScript"))
        #expect(!found.contains("Java"))
        #expect(!found.contains("C"))
        #expect(!found.contains("R"))
    }

    @Test("The shipped taxonomy is large and spans every family")
    func coversFamilies() {
        #expect(taxonomy.skills.count >= 500)
        let families = Set(taxonomy.skills.map(\.family))
        for family in [SkillFamily.engineering, .data, .design, .sales, .marketing, .finance, .operations, .soft] {
            #expect(families.contains(family), "no skills of family \(family)")
        }
    }

    @Test("Two skills may not share a spelling")
    func rejectsSharedSpellings() {
        #expect(throws: SkillTaxonomyError.self) {
            try SkillTaxonomy(skills: [
                .init(name: "PostgreSQL", aliases: ["Postgres"], category: "database", family: .engineering),
                .init(name: "Postgres Pro", aliases: ["postgres"], category: "database", family: .engineering),
            ])
        }
    }
}
