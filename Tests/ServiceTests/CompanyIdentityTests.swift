import Domain
import ResearchService
import Testing

@Suite struct CompanyIdentityTests {
    @Test(arguments: [
        ("Acme, Inc.", "acme"),
        ("Double The Donation", "double-the-donation"),
        ("Müller GmbH", "müller"),
        ("Co", "co"),
        ("Synergy Pet Group LLC", "synergy-pet-group"),
    ])
    func normalizesNames(name: String, expected: String) {
        #expect(CompanyName.normalized(name) == expected)
    }

    @Test func aJobBoardHostIsNotTheCompanyDomain() {
        let identity = CompanyIdentity(
            company: "Docker",
            jobURL: "https://jobs.ashbyhq.com/docker/123",
            applyURL: "https://jobs.ashbyhq.com/docker/123/application"
        )
        #expect(identity.domain == nil)
        #expect(identity.careersHost == "jobs.ashbyhq.com")
    }

    @Test func theCompanysOwnCareersSiteGivesItsDomain() {
        let identity = CompanyIdentity(company: "Acme", jobURL: "https://boards.greenhouse.io/acme/jobs/1", applyURL: "https://careers.acme.io/apply/1")
        #expect(identity.domain == "acme.io")
        #expect(identity.careersHost == "boards.greenhouse.io")
    }
}
