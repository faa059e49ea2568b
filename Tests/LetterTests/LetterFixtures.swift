import CVGeneratorService
import Domain
import Foundation
import JobsmithTesting

/// The sample master CV and realistic jobs the letter tests write against.
enum LetterFixtures {
    static let master: MasterCV = {
        let url = TestEnvironment.repositoryRoot.appendingPathComponent("samples/master-cv.json")
        do {
            return try MasterCV.load(from: url)
        } catch {
            // A missing sample is a broken checkout; fail every test loudly rather than pass on nothing.
            preconditionFailure("cannot read \(url.path): \(error)")
        }
    }()

    static let engineeringManager = LetterJob(
        title: "Engineering Manager, Platform",
        company: "Brightwell Freight",
        requiredSkills: ["technical leadership", "mentoring", "hiring", "Kubernetes", "Go", "incident management"],
        topKeywords: ["people management", "reliability", "delivery", "on-call"],
        painPoints: ["too many customer-facing incidents and a heavy on-call load", "growing mid-level engineers into senior engineers"],
        companySummary: "Brightwell Freight builds routing and tendering software for mid-size freight carriers.",
        companySignals: ["raised a $40M Series B in March 2025", "opened an engineering hub in Manchester"]
    )

    static let dataPlatform = LetterJob(
        title: "Senior Data Platform Engineer",
        company: "Tessellate Health",
        requiredSkills: ["Python", "Apache Spark", "Airflow", "PostgreSQL", "Kafka", "data modeling"],
        topKeywords: ["data pipelines", "ETL", "data quality", "healthcare"],
        painPoints: ["nightly pipelines that run for hours and fail", "slow analytics queries on PostgreSQL"],
        companySummary: nil,
        companySignals: ["works with 120 hospitals across the UK"]
    )

    static let staffBackend = LetterJob(
        title: "Staff Backend Engineer, Payments",
        company: "Ledgerline",
        requiredSkills: ["Kotlin", "Java", "PostgreSQL", "distributed systems", "API design", "gRPC"],
        topKeywords: ["payments", "idempotency", "microservices", "reliability"],
        painPoints: ["duplicate charges when clients retry payment requests"],
        companySummary: "Ledgerline runs payment infrastructure for European marketplaces.",
        companySignals: []
    )

    static let sales = LetterJob(
        title: "Enterprise Account Executive",
        company: "Orbitly",
        requiredSkills: ["Salesforce", "negotiation", "pipeline management"],
        topKeywords: ["quota attainment", "SaaS sales", "enterprise accounts"],
        painPoints: ["missed quarterly targets in the enterprise segment"],
        companySummary: nil,
        companySignals: []
    )

    static let jobs = [engineeringManager, dataPlatform, staffBackend, sales]

    static let realContact = LetterContact(name: "Priya Raman", role: "VP Engineering", isSynthetic: false)
    static let syntheticContact = LetterContact(name: "Hiring Manager", role: "Engineering Manager", isSynthetic: true)
}
