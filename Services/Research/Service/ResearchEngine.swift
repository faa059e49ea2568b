import Domain
import Foundation

/// Runs the configured providers for one company and reads their evidence into a profile.
///
/// Providers are tried in order; each one that is unavailable is skipped with its reason, each
/// failure is recorded and the next provider tried, so a profile is always produced — from the
/// posting alone when nothing else can run. A recruitment agency is not researched further than
/// its posting: its own news says nothing about the client's job.
struct ResearchEngine: Sendable {
    let providers: [any CompanyResearchProvider]
    let summarizer: ProfileSummarizer?

    struct Subject: Sendable {
        var company: String
        var normalizedName: String
        var jobTitle: String
        var department: String?
        var postingText: String
        /// The company's site as the posting's links show it.
        var website: String?
    }

    /// Called as each provider finishes, for progress events.
    typealias Reporter = @Sendable (ProviderReport) async -> Void

    func research(_ subject: Subject, report: Reporter) async -> CompanyProfile {
        let agency = AgencyDetector.classify(companyName: subject.company, postingText: subject.postingText)
        var request = CompanyResearchRequest(
            companyName: subject.company,
            nameVariants: CompanyNameVariants.variants(of: subject.company),
            website: subject.website,
            jobTitle: subject.jobTitle,
            department: subject.department
        )
        var pages: [ResearchPage] = []
        var people: [FoundPerson] = []
        var reports: [ProviderReport] = []
        for provider in providers {
            let providerReport: ProviderReport
            if agency.isAgency, !(provider is PostingProvider) {
                providerReport = ProviderReport(provider: provider.name, outcome: .skipped, detail: "recruitment agency (\(agency.reason ?? "detected")): only the posting is read")
            } else if let reason = await provider.unavailableReason() {
                providerReport = ProviderReport(provider: provider.name, outcome: .skipped, detail: reason)
            } else {
                do {
                    let findings = try await provider.gather(request)
                    if request.website == nil { request.website = findings.website }
                    pages += findings.pages
                    people += findings.people
                    let signals = CompanyEvidenceReader.signals(in: findings.pages).count
                    let found = !findings.pages.isEmpty || !findings.people.isEmpty
                    providerReport = ProviderReport(
                        provider: provider.name,
                        outcome: found ? .used : .empty,
                        detail: findings.notes.isEmpty ? nil : findings.notes.joined(separator: "; "),
                        pages: findings.pages.count,
                        people: findings.people.count,
                        signals: signals
                    )
                } catch {
                    providerReport = ProviderReport(provider: provider.name, outcome: .failed, detail: "\(error)")
                }
            }
            reports.append(providerReport)
            await report(providerReport)
        }

        var profile = CompanyProfile(
            name: subject.company,
            normalizedName: subject.normalizedName,
            website: request.website,
            companyType: agency.isAgency ? .recruitmentAgency : .employer,
            people: people,
            providers: reports
        )
        let facts = CompanyEvidenceReader.facts(in: pages, companyName: subject.company)
        profile.summary = facts.summary
        profile.industry = facts.industry
        profile.size = facts.size
        profile.signals = CompanyEvidenceReader.signals(in: pages)
        if let summarizer {
            let summary = await summarizer.summarize(profile, pages: pages)
            profile = summary.profile
            profile.providers.append(summary.report)
            await report(summary.report)
        }
        profile.qualityScore = Self.qualityScore(profile, pages: pages)
        return profile
    }

    /// 0–100 from what the profile rests on: a summary (20), a website (10), dated signals with a
    /// source (up to 30), pages beyond the posting itself (up to 20), people (10), industry or size (10).
    static func qualityScore(_ profile: CompanyProfile, pages: [ResearchPage]) -> Int {
        var score = 0
        if profile.summary != nil { score += 20 }
        if profile.website != nil { score += 10 }
        score += min(30, 10 * profile.signals.filter { $0.date != nil && $0.sourceURL != nil }.count)
        let sources = Set(pages.filter { $0.kind != .posting && $0.url != "posting" }.map(\.url))
        score += min(20, 5 * sources.count)
        if !profile.people.isEmpty { score += 10 }
        if profile.industry != nil || profile.size != nil { score += 10 }
        return min(100, score)
    }
}
