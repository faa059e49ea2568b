import Domain
import Foundation
import JobAnalysis
import JobsmithTesting
import Testing
import TextAnalysis

@Suite("Fit score against the master CV")
struct FitScorerTests {
    static let sample: MasterCV = {
        do {
            return try MasterCV.load(from: TestEnvironment.repositoryRoot.appendingPathComponent("samples/master-cv.json"))
        } catch {
            fatalError("\(error)")
        }
    }()

    private func job(title: String, _ text: String, remote: Bool? = true, location: String? = nil) -> JobDescriptionAnalysis {
        JobDescriptionAnalyzer().analyze(
            .init(title: title, company: "Acme", location: location, isRemote: remote),
            structure: DescriptionStructurer.structure(text: text)
        )
    }

    @Test("Categories follow the score bands", arguments: [
        (100, FitAssessment.Category.exceptional), (90, .exceptional), (89, .strong), (80, .strong), (79, .good),
        (70, .good), (69, .moderate), (60, .moderate), (59, .weak), (0, .weak),
    ])
    func bands(score: Int, category: FitAssessment.Category) {
        #expect(FitAssessment.Category(score: score) == category)
    }

    @Test("A backend job asking for the candidate's stack scores high and names what matched")
    func matchingJob() {
        let fit = FitScorer(master: Self.sample).assess(job(
            title: "Staff Backend Engineer",
            """
            Requirements

            - 8+ years building distributed systems in Go or Java
            - Kafka and PostgreSQL in production
            - Experience with Kubernetes

            Nice to have

            - Terraform
            """
        ))
        #expect(fit.score >= 80, "\(fit.rationale)")
        #expect(fit.category == .strong || fit.category == .exceptional)
        #expect(fit.matchedRequiredSkills.contains("Go"))
        #expect(fit.rationale.contains("Go"))
        let parts = fit.breakdown
        #expect(parts.requiredSkills + parts.preferredSkills + parts.experience + parts.seniority + parts.location == fit.score)
    }

    @Test("A sales job scores weak for an engineer and names the missing skills")
    func mismatchedJob() {
        let fit = FitScorer(master: Self.sample).assess(job(
            title: "Enterprise Account Executive",
            """
            Requirements

            - Salesforce and HubSpot every day
            - A record of closing six-figure B2B deals and negotiation with procurement
            """,
            remote: false,
            location: "Austin, TX"
        ))
        #expect(fit.category == .weak, "\(fit.rationale)")
        #expect(fit.missingRequiredSkills.contains("Salesforce"))
        #expect(fit.rationale.contains("missing"))
        #expect(fit.locationNote.contains("Austin"))
    }

    @Test("The CV's aliases count for the posting's canonical names")
    func aliasesMatch() throws {
        var master = Self.sample
        master.skills = [MasterCV.SkillGroup(category: "Infra", skills: ["k8s", "Postgres", "Amazon Web Services"])]
        master.roles = master.roles.map { role in
            var role = role
            role.skills = []
            role.keywords = []
            role.achievements = []
            return role
        }
        master.candidate.summary = ""
        let fit = FitScorer(master: master).assess(job(title: "Platform Engineer", "Requirements\n\n- Kubernetes, PostgreSQL and AWS"))
        #expect(Set(fit.matchedRequiredSkills) == ["Kubernetes", "PostgreSQL", "AWS"])
        #expect(fit.missingRequiredSkills.isEmpty)
    }

    @Test("Years of experience are counted from the earliest role to now")
    func candidateYears() {
        let fit = FitScorer(master: Self.sample, now: Date(timeIntervalSince1970: 1_798_761_600)).assess(job(title: "Engineer", "Requirements\n\n- Go"))  // 2027-01-01
        #expect(fit.candidateYears == 14)  // since 2012-09
    }
}
