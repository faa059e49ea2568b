import JobAnalysis
import Testing
import TextAnalysis

@Suite("Job description analysis")
struct JobDescriptionAnalyzerTests {
    let analyzer = JobDescriptionAnalyzer()

    private func analyze(_ text: String, title: String = "Software Engineer", location: String? = nil, isRemote: Bool? = nil, workplace: String? = nil) -> JobDescriptionAnalysis {
        analyzer.analyze(
            .init(title: title, company: "Acme", location: location, workplaceType: workplace, isRemote: isRemote),
            structure: DescriptionStructurer.structure(text: text)
        )
    }

    @Test("Stated pay is read with currency and period", arguments: [
        ("The base salary range for this role is $150,000 - $180,000 per year.", 150_000.0, 180_000.0, "USD", StatedSalary.Period.year),
        ("Compensation: £45k–£55k per annum plus equity", 45_000, 55_000, "GBP", .year),
        ("Pay: $34.62/hour", 34.62, 34.62, "USD", .hour),
        ("Salary range: €60.000 - €75.000", 60_000, 75_000, "EUR", .year),
        ("The salary for this position is 120,000 to 140,000 CAD.", 120_000, 140_000, "CAD", .year),
        ("Base pay $150-180k depending on experience", 150_000, 180_000, "USD", .year),
    ])
    func readsSalary(text: String, minimum: Double, maximum: Double, currency: String, period: StatedSalary.Period) throws {
        let salary = try #require(analyze("Compensation\n\n" + text).salary)
        #expect(salary.minimum == minimum)
        #expect(salary.maximum == maximum)
        #expect(salary.currency == currency)
        #expect(salary.period == period)
    }

    @Test("Funding, revenue and perks are not pay", arguments: [
        "We raised a $50M Series B and have $5M ARR per engineer.",
        "Benefits include a $1,500 annual learning stipend.",
        "The procurement market is $11.5 billion and growing.",
    ])
    func ignoresOtherMoney(text: String) {
        #expect(analyze("About us\n\n" + text).salary == nil)
    }

    @Test("Years of experience come from the main requirement", arguments: [
        ("- 5+ years in software development, with 1+ year leading teams", 5),
        ("- 3-5 years of experience with B2B sales", 3),
        ("- At least five years of professional experience", 5),
        ("- 7+ years of marketing experience, with at least 3 years in a senior role", 7),
        ("- 5 - 7+ years of US payroll processing experience", 5),
    ])
    func readsYears(line: String, years: Int) {
        #expect(analyze("Requirements\n\n" + line).yearsExperience == years)
    }

    @Test("A company's age is not a requirement")
    func ignoresCompanyAge() {
        #expect(analyze("About us\n\nFor 10 years we have served restaurants.\n\nRequirements\n\n- Python").yearsExperience == nil)
    }

    @Test("The lowest degree named, and whether it is required", arguments: [
        ("- BS/MS in Computer Science or a related field", EducationRequirement.Level.bachelor, true),
        ("- Bachelor's degree or equivalent practical experience", .bachelor, false),
        ("- PhD in statistics, machine learning or a related field", .phd, true),
        ("- A Master's degree in Finance is preferred", .master, false),
        ("- High school diploma or GED", .highSchool, true),
    ])
    func readsEducation(line: String, level: EducationRequirement.Level, required: Bool) throws {
        let education = try #require(analyze("Qualifications\n\n" + line).education)
        #expect(education.level == level)
        #expect(education.required == required)
    }

    @Test("Where the work happens", arguments: [
        ("This is a fully remote role; work from anywhere in Europe.", nil as Bool?, nil as String?, RemotePolicy.fullyRemote),
        ("We work hybrid: three days a week in our Berlin office.", true, "remote", .hybrid),
        ("You will be based on-site at our Austin plant.", nil, nil, .onsite),
        ("We require all team members to work from our offices on Mondays and Thursdays.", nil, "onsite", .hybrid),
        ("Build great things with us.", nil, "remote", .fullyRemote),
        ("Build great things with us.", nil, nil, .notSpecified),
    ])
    func readsRemotePolicy(text: String, isRemote: Bool?, workplace: String?, policy: RemotePolicy) {
        #expect(analyze("About the role\n\n" + text, isRemote: isRemote, workplace: workplace).remotePolicy == policy)
    }

    @Test("Family, role category and seniority from the title", arguments: [
        ("Senior Software Engineer", JobFamily.engineering, RoleCategory.seniorEngineer, Seniority.senior),
        ("Staff Backend Engineer", .engineering, .staffPrincipalEngineer, .staff),
        ("Engineering Manager, Payments", .engineering, .engineeringManager, .manager),
        ("Director of Engineering", .engineering, .director, .director),
        ("VP, Engineering", .engineering, .vp, .vp),
        ("Tech Lead, Platform", .engineering, .techLead, .lead),
        ("Software Engineer (New Grad)", .engineering, .softwareEngineer, .entry),
        ("Senior Data Engineer", .data, .dataEngineering, .senior),
        ("Machine Learning Engineer", .data, .machineLearning, .mid),
        ("Site Reliability Engineer", .engineering, .devopsInfrastructure, .mid),
        ("Senior Product Designer", .design, .design, .senior),
        ("Product Manager, Growth", .product, .productManagement, .mid),
        ("Mid-Market Account Executive", .sales, .sales, .mid),
        ("Enterprise Account Manager", .sales, .accountManagement, .mid),
        ("Senior Customer Success Manager", .support, .customerSuccess, .senior),
        ("Senior Accountant", .finance, .finance, .senior),
        ("Commercial Counsel", .legal, .legal, .mid),
        ("People Operations Manager", .people, .people, .manager),
        ("Head of Marketing", .marketing, .marketing, .director),
        ("Solutions Engineer", .sales, .sales, .mid),
        ("Marketing Intern", .marketing, .marketing, .intern),
    ])
    func classifiesRoles(title: String, family: JobFamily, category: RoleCategory, seniority: Seniority) {
        let analysis = analyze("About the role\n\nJoin us.", title: title)
        #expect(analysis.jobFamily == family)
        #expect(analysis.roleCategory == category)
        #expect(analysis.seniority == seniority)
    }

    @Test("Required skills come from requirements and duties, preferred from nice-to-haves and flagged lines")
    func separatesRequiredFromPreferred() {
        let analysis = analyze(
            """
            What you'll do

            - Build services in Go on Kubernetes

            Requirements

            - Strong PostgreSQL skills
            - Experience with Terraform is a plus

            Nice to have

            - Kafka
            """
        )
        #expect(Set(analysis.requiredSkills) == ["Go", "Kubernetes", "PostgreSQL"])
        #expect(Set(analysis.preferredSkills) == ["Terraform", "Apache Kafka"])
        #expect(analysis.niceToHaves.contains("Experience with Terraform is a plus"))
        #expect(analysis.niceToHaves.contains("Kafka"))
        #expect(!analysis.qualifications.contains("Experience with Terraform is a plus"))
    }

    @Test("Competency weights always add up to 100", arguments: [
        "Engineering Manager", "Staff Engineer", "Account Executive", "Payroll Analyst", "Director of Engineering",
    ])
    func weightsSumTo100(title: String) {
        let analysis = analyze("Responsibilities\n\n- Lead and mentor the team\n- Build scalable architecture\n- Improve our processes", title: title)
        #expect(analysis.competencyWeights.total == 100)
        #expect([analysis.competencyWeights.delivery, analysis.competencyWeights.process,
                 analysis.competencyWeights.architecture, analysis.competencyWeights.leadership].allSatisfy { $0 >= 0 })
    }

    @Test("Engineering managers weigh leadership above individual contributors")
    func leadershipWeight() {
        let text = "Responsibilities\n\n- Ship features\n- Mentor engineers"
        let manager = analyze(text, title: "Engineering Manager").competencyWeights
        let engineer = analyze(text, title: "Software Engineer").competencyWeights
        #expect(manager.leadership > engineer.leadership)
        #expect(engineer.delivery > manager.delivery)
    }

    @Test("Pain points and success metrics quote their sentence; boilerplate is not evidence")
    func signalsCarryEvidence() {
        let analysis = analyze(
            """
            About the role

            We are migrating our monolith to services and need to pay down years of technical debt.
            We are a fast-paced environment looking for a team player.

            Responsibilities

            - Reduce p99 latency of the checkout API by 30% within your first six months
            """
        )
        let migration = analysis.painPoints.first { $0.sentence.contains("migrating our monolith") }
        #expect(migration != nil)
        #expect(!analysis.painPoints.contains { $0.sentence.contains("team player") })
        #expect(analysis.successMetrics.contains { $0.sentence.contains("p99 latency") })
    }

    @Test("Top keywords are 10 to 20 terms even for a posting that names few skills")
    func topKeywordsRange() {
        let analysis = analyze(
            """
            Responsibilities

            - Own vendor onboarding and vendor payments across regions
            - Reconcile vendor payments and month-end accruals with the accounting team
            - Improve vendor onboarding workflows and approval workflows
            - Report on payments accuracy to finance leadership
            """,
            title: "Accounts Payable Specialist"
        )
        #expect((10...20).contains(analysis.topKeywords.count), "\(analysis.topKeywords)")
    }
}
