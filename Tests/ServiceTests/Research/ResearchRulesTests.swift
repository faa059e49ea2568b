import Testing

@testable import ResearchService

@Suite("Research rules: name variants, agencies, people in postings, contact choice")
struct ResearchRulesTests {
    @Test("Name variants drop legal suffixes and vary the case", arguments: [
        ("Acme Robotics GmbH", ["Acme Robotics", "ACME ROBOTICS", "acme robotics"]),
        ("Northwind, Inc.", ["Northwind", "NORTHWIND", "northwind"]),
        ("ACME", ["ACME Inc", "ACME Ltd", "Acme", "acme"]),
    ])
    func nameVariants(name: String, expected: [String]) {
        let variants = CompanyNameVariants.variants(of: name)
        for variant in expected { #expect(variants.contains(variant), "\(variants)") }
        #expect(!variants.contains(name))
    }

    @Test("Agencies are told by name and by how the posting speaks of its client", arguments: [
        ("Hays", "We are hiring a Data Engineer.", true),
        ("Talent Bridge Recruitment Ltd", "Join a great team.", true),
        ("Acme", "Our client, a fast-growing fintech, is looking for a Go engineer.", true),
        ("Acme", "Acme builds robots. We are hiring a Go engineer.", false),
        ("Robert Half Technology", "Work with great clients.", true),
        ("Clientell", "Our customers love us.", false),
        // Employers talk about their clients; that alone does not make them an agency.
        ("Docker", "Allowing us to offer unmatched solutions to our clients.", false),
        ("Bayesian Health", "Deploy our clinical AI product as we expand our client base.", false),
        ("Pylon", "For current students, we are recruiting for those graduating in June.", false),
        ("Acme", "We are recruiting on behalf of a fintech scale-up in Berlin.", true),
    ])
    func agencies(company: String, text: String, isAgency: Bool) {
        #expect(AgencyDetector.classify(companyName: company, postingText: text).isAgency == isAgency)
    }

    @Test("People named in a posting are read with their role or address")
    func postingPeople() {
        let text = """
            Questions? Reach out to Priya Raman, our Technical Recruiter.
            You will report to Tomás Ortega, Head of Data Platform.
            Send your portfolio to maria.jensen@acme.example or jobs@acme.example.
            Contact the Hiring Team with any questions.
            """
        let people = PostingPeopleReader.people(in: text, source: "posting")
        let byName = Dictionary(people.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byName["Priya Raman"]?.role == "Technical Recruiter")
        #expect(byName["Tomás Ortega"]?.role == "Head of Data Platform")
        #expect(byName["Maria Jensen"]?.email == "maria.jensen@acme.example")
        #expect(!people.contains { $0.email == "jobs@acme.example" })
        #expect(!people.contains { $0.name.contains("Hiring") })
    }

    @Test("At most five contacts, at most three primary, the team's people first")
    func contactChoice() {
        let people = [
            FoundPerson(name: "Ana Silva", role: "CEO", source: "https://acme.example/team"),
            FoundPerson(name: "Ben Okoro", role: "Head of Engineering", source: "https://acme.example/team"),
            FoundPerson(name: "Chen Wei", role: "Senior Technical Recruiter", source: "https://acme.example/team"),
            FoundPerson(name: "Dana Fox", role: "Engineering Manager, Platform", source: "https://acme.example/team"),
            FoundPerson(name: "Eli Novak", role: "Software Engineer, Platform", source: "https://acme.example/team"),
            FoundPerson(name: "Farah Aziz", role: "VP Marketing", source: "https://acme.example/team"),
            FoundPerson(name: "Gus Lind", role: "Product Designer", source: "https://acme.example/team"),
        ]
        let job = ContactFinder.Job(company: "Acme", title: "Senior Platform Engineer", department: "Engineering", isAgency: false)
        let contacts = ContactFinder.contacts(for: job, people: people)
        #expect(contacts.count == 5)
        #expect(contacts.filter { $0.priority == .primary }.count == 3)
        #expect(contacts.allSatisfy { !$0.isSynthetic })
        let primary = Set(contacts.filter { $0.priority == .primary }.map(\.name))
        #expect(primary == ["Dana Fox", "Chen Wei", "Ben Okoro"])
        #expect(contacts.first { $0.name == "Dana Fox" }?.contactType == .hiringManager)
        #expect(contacts.first { $0.name == "Chen Wei" }?.contactType == .recruiter)
        #expect(contacts.first { $0.name == "Ben Okoro" }?.contactType == .vpDirector)
    }

    @Test("With nobody found, role placeholders, flagged synthetic; agencies get the agency's roles")
    func placeholders() {
        let employer = ContactFinder.contacts(for: .init(company: "Acme", title: "Data Engineer", department: "Data", isAgency: false), people: [])
        #expect(employer.map(\.contactType) == [.hiringManager, .recruiter])
        #expect(employer.allSatisfy { $0.isSynthetic })
        #expect(employer[0].name == "Hiring Manager, Data at Acme")
        let agency = ContactFinder.contacts(for: .init(company: "Hays", title: "Data Engineer", department: nil, isAgency: true), people: [])
        #expect(agency.allSatisfy { $0.isSynthetic && $0.contactType == .recruiter })
        #expect(agency.map(\.name) == ["Recruiter at Hays", "Account Manager at Hays"])
    }
}
