/// Reads a job's family, role category and seniority from its title (then its department, then its
/// text), the way a recruiter skims a job list.
///
/// The title decides almost always; rules are ordered from the most specific phrase to the most
/// general word so that "Product Designer" is design, "Sales Engineer" is sales and "Engineering
/// Manager" is not product management.
struct RoleClassifier: Sendable {
    struct Role: Sendable, Equatable {
        var family: JobFamily
        var category: RoleCategory
        var seniority: Seniority
    }

    /// A rule: any of the phrases in a title means this family and category.
    private struct FunctionRule: Sendable {
        let phrases: PhraseSet
        let family: JobFamily
        let category: RoleCategory

        init(_ phrases: [String], _ family: JobFamily, _ category: RoleCategory) {
            self.phrases = PhraseSet(phrases)
            self.family = family
            self.category = category
        }
    }

    private static let functionRules: [FunctionRule] = [
        FunctionRule(["chief of staff"], .operations, .operations),
        FunctionRule(["cto", "chief technology officer", "chief technical officer"], .engineering, .cto),
        FunctionRule(["cfo", "chief financial officer"], .finance, .executive),
        FunctionRule(["cmo", "chief marketing officer"], .marketing, .executive),
        FunctionRule(["cro", "chief revenue officer"], .sales, .executive),
        FunctionRule(["ceo", "coo", "chief executive officer", "chief operating officer", "co founder", "cofounder", "founder", "general manager"], .operations, .executive),
        FunctionRule(["design engineer", "design technologist"], .engineering, .softwareEngineer),
        FunctionRule(["sales engineer", "solutions engineer", "solution engineer", "solutions architect", "solutions consultant", "presales", "pre sales", "sales consultant"], .sales, .sales),
        FunctionRule(["support engineer", "technical support", "customer support", "support specialist", "customer service", "customer experience", "help desk", "helpdesk", "support"], .support, .customerSupport),
        FunctionRule(["customer success", "client success", "csm", "implementation manager", "onboarding manager", "customer onboarding"], .support, .customerSuccess),
        FunctionRule(["product manager", "product owner", "product lead", "head of product", "vp product", "vp of product", "director of product", "product management", "product director", "group product", "technical product", "product ops", "product operations"], .product, .productManagement),
        FunctionRule(["data engineer", "analytics engineer", "data platform", "data infrastructure", "etl", "data warehouse"], .data, .dataEngineering),
        FunctionRule(["machine learning", "ml engineer", "ml", "ai engineer", "ai", "applied scientist", "research scientist", "research engineer", "deep learning", "nlp", "computer vision", "llm", "mlops"], .data, .machineLearning),
        FunctionRule(["data scientist", "data science", "data analyst", "analytics", "business intelligence", "bi analyst", "bi developer", "quantitative", "statistician", "insights analyst", "product analyst"], .data, .dataScience),
        FunctionRule(["security", "appsec", "infosec", "penetration", "soc analyst", "detection engineer", "threat"], .security, .security),
        FunctionRule(["devops", "sre", "site reliability", "infrastructure", "platform engineer", "cloud engineer", "systems engineer", "network engineer", "production engineer", "reliability engineer", "release engineer", "build engineer", "it administrator", "systems administrator", "sysadmin"], .engineering, .devopsInfrastructure),
        FunctionRule(["qa", "quality assurance", "test engineer", "sdet", "quality engineer", "test automation", "tester"], .engineering, .qualityAssurance),
        FunctionRule(["product designer", "ux", "ui", "designer", "design", "user researcher", "ux researcher", "design researcher", "creative director", "illustrator", "art director"], .design, .design),
        FunctionRule(["product marketing", "marketing", "growth", "content", "brand", "seo", "sem", "communications", "comms", "public relations", "pr", "social media", "copywriter", "community", "demand generation", "demand gen", "lifecycle", "events", "field marketing", "partner marketing", "developer advocate", "developer relations", "devrel", "evangelist"], .marketing, .marketing),
        FunctionRule(["legal", "counsel", "attorney", "lawyer", "paralegal", "compliance", "privacy", "regulatory", "contracts manager"], .legal, .legal),
        FunctionRule(["finance", "financial", "accountant", "accounting", "controller", "fp&a", "fpa", "tax", "payroll", "treasury", "bookkeeper", "billing", "audit", "auditor", "procure to pay", "accounts payable", "accounts receivable", "investor relations"], .finance, .finance),
        FunctionRule(["account manager", "account management", "key account", "relationship manager", "renewals", "expansion manager"], .sales, .accountManagement),
        FunctionRule(["account executive", "sales", "business development", "bdr", "sdr", "ae", "partnerships", "partner manager", "alliances", "revenue", "commercial", "deal desk", "go to market", "gtm"], .sales, .sales),
        FunctionRule(["recruiter", "recruiting", "recruitment", "talent", "people", "hr", "human resources", "hrbp", "people operations", "people partner", "total rewards", "learning and development", "sourcer"], .people, .people),
        FunctionRule(["operations", "ops", "supply chain", "logistics", "procurement", "program manager", "project manager", "programme manager", "office manager", "executive assistant", "strategy", "bizops", "workplace", "facilities", "administrative", "coordinator", "analyst", "planner", "purchasing", "warehouse", "fulfillment", "manufacturing", "production manager"], .operations, .operations),
        FunctionRule(["engineer", "engineering", "developer", "programmer", "architect", "swe", "sde", "software", "frontend", "front end", "backend", "back end", "full stack", "fullstack", "ios", "android", "mobile", "firmware", "embedded", "hardware", "technical lead", "tech lead", "cto"], .engineering, .softwareEngineer),
    ]

    private static let intern = PhraseSet(["intern", "internship", "co op", "apprentice", "apprenticeship", "working student", "trainee"])
    private static let executive = PhraseSet(["chief", "ceo", "cto", "cfo", "coo", "cmo", "cro", "ciso", "founder", "cofounder", "president", "general manager"])
    private static let vicePresident = PhraseSet(["vp", "vice president", "svp", "evp", "avp"])
    private static let director = PhraseSet(["director", "head of", "head"])
    private static let principal = PhraseSet(["principal", "distinguished", "fellow"])
    private static let staff = PhraseSet(["staff"])
    private static let lead = PhraseSet(["lead", "tech lead", "team lead", "technical lead", "leader"])
    private static let peopleManager = PhraseSet(["engineering manager", "manager engineering", "manager of engineering", "software development manager", "development manager", "team manager", "manager software"])
    private static let manager = PhraseSet(["manager"])
    private static let individualManager = PhraseSet(["product manager", "account manager", "program manager", "project manager", "success manager", "relationship manager", "partner manager", "community manager", "manager i", "manager ii"])
    private static let senior = PhraseSet(["senior", "sr", "snr", "iii", "experienced"])
    private static let entry = PhraseSet(["junior", "jr", "entry", "entry level", "graduate", "new grad", "associate", "early career", "i"])
    private static let mid = PhraseSet(["mid", "mid level", "intermediate", "ii"])
    /// Phrases in a description that only a people manager's job has.
    private static let managesPeople = PhraseSet(["direct reports", "manage a team", "manage the team", "managing a team", "lead a team of", "build and manage", "hire and manage", "people management", "people manager", "grow and manage", "line management"])

    func classify(title: String, department: String?, text: [Sentence], yearsExperience: Int?, dominantSkillFamily: SkillFamily?) -> Role {
        let titleWords = Words.of(title)
        let (family, category) = Self.function(titleWords)
            ?? department.flatMap { Self.function(Words.of($0)) }
            ?? dominantSkillFamily.map(Self.function(forSkills:))
            ?? (.other, .other)
        let managesPeople = text.contains { Self.managesPeople.matches($0.words) }
        let seniority = Self.seniority(titleWords, managesPeople: managesPeople, yearsExperience: yearsExperience)
        return Role(family: family, category: Self.ladder(category, family: family, title: titleWords, seniority: seniority), seniority: seniority)
    }

    private static func function(_ words: [String]) -> (JobFamily, RoleCategory)? {
        functionRules.first { $0.phrases.matches(words) }.map { ($0.family, $0.category) }
    }

    private static func function(forSkills family: SkillFamily) -> (JobFamily, RoleCategory) {
        switch family {
        case .engineering: (.engineering, .softwareEngineer)
        case .data: (.data, .dataScience)
        case .design: (.design, .design)
        case .product: (.product, .productManagement)
        case .sales: (.sales, .sales)
        case .marketing: (.marketing, .marketing)
        case .finance: (.finance, .finance)
        case .operations: (.operations, .operations)
        case .people: (.people, .people)
        case .support: (.support, .customerSupport)
        case .legal: (.legal, .legal)
        case .security: (.security, .security)
        case .soft: (.other, .other)
        }
    }

    /// Software engineers sit on a ladder whose rung matters more than the function: a staff engineer
    /// and an engineering director get differently pitched CVs.
    private static func ladder(_ category: RoleCategory, family: JobFamily, title: [String], seniority: Seniority) -> RoleCategory {
        guard category == .softwareEngineer else { return category }
        if peopleManager.matches(title) { return .engineeringManager }
        switch seniority {
        case .executive: return .cto
        case .vp: return .vp
        case .director: return PhraseSet(["head"]).matches(title) ? .head : .director
        case .manager: return .engineeringManager
        case .lead: return .techLead
        case .staff, .principal: return .staffPrincipalEngineer
        case .senior: return .seniorEngineer
        default: return PhraseSet(["architect"]).matches(title) ? .staffPrincipalEngineer : .softwareEngineer
        }
    }

    /// The seniority a title alone states, for reading a CV's roles the way a posting's title is read.
    static func seniority(ofTitle title: String, yearsExperience: Int?) -> Seniority {
        seniority(Words.of(title), managesPeople: false, yearsExperience: yearsExperience)
    }

    private static func seniority(_ title: [String], managesPeople: Bool, yearsExperience: Int?) -> Seniority {
        if intern.matches(title) { return .intern }
        if vicePresident.matches(title) { return .vp }
        if executive.matches(title) { return .executive }
        if director.matches(title) { return .director }
        if principal.matches(title) { return .principal }
        if staff.matches(title) { return .staff }
        if peopleManager.matches(title) || (manager.matches(title) && managesPeople) { return .manager }
        if lead.matches(title) { return .lead }
        if senior.matches(title) { return .senior }
        // "People Operations Manager" runs a function; a product, account or program manager usually
        // manages no one and is levelled like any other individual contributor.
        if manager.matches(title), !individualManager.matches(title) { return .manager }
        if entry.matches(title) { return .entry }
        if mid.matches(title) { return .mid }
        switch yearsExperience {
        case let years? where years >= 5: return .senior
        case let years? where years <= 1: return .entry
        default: return .mid
        }
    }
}
