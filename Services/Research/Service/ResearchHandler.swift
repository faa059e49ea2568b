import Domain
import Foundation
import Logging
import Messaging
import Postgres
import Runtime
import Store
import TextAnalysis

/// Researches a job's company and finds people to contact: from the extraction stream (then hands
/// the job to the CV generator) and from `research-company` / `discover-contacts` operations.
///
/// A company's profile is cached in PostgreSQL and shared by its jobs for `cacheLifetime`; a job of a
/// cached company still gets its own contacts (the partial hit the old system got wrong). A
/// redelivered message for a job already researched from a fresh profile only forwards.
public struct ResearchHandler: MessageHandler {
    let context: ServiceContext
    /// The providers after the posting, in the configured order.
    let providers: [any CompanyResearchProvider]
    let summarizer: ProfileSummarizer?
    let cacheLifetime: Duration
    let now: @Sendable () -> Date

    public init(
        context: ServiceContext,
        providers: [any CompanyResearchProvider],
        summarizer: ProfileSummarizer? = nil,
        cacheLifetime: Duration = .seconds(7 * 24 * 3600),
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.context = context
        self.providers = providers
        self.summarizer = summarizer
        self.cacheLifetime = cacheLifetime
        self.now = now
    }

    private struct Request {
        var jobID: Int
        var operationID: String?
        var operation: JobOperation?
        var forceRefresh: Bool
        var forward: Bool
    }

    public func handle(_ message: ReceivedMessage) async throws {
        switch message.envelope.type {
        case JobExtracted.type:
            let jobID = try message.envelope.decode(JobExtracted.self).jobID
            try await research(Request(jobID: jobID, forceRefresh: false, forward: true), message: message)
        case OperationCommand.type:
            let command = try message.envelope.decode(OperationCommand.self)
            guard command.operation == .researchCompany || command.operation == .discoverContacts else {
                throw MessagingError.unprocessable("research does not run \(command.operation.rawValue)")
            }
            let request = Request(
                jobID: command.jobID,
                operationID: command.operationID,
                operation: command.operation,
                forceRefresh: command.force,
                forward: command.continuePipeline
            )
            try await research(request, message: message)
        default:
            throw MessagingError.unprocessable("research cannot handle \(message.envelope.type) messages")
        }
    }

    private func research(_ request: Request, message: ReceivedMessage) async throws {
        let progress = context.progress(jobID: request.jobID, operationID: request.operationID, after: message)
        guard let input = try await context.store.researchInput(jobID: request.jobID) else {
            await progress.report("research", .skipped, "The job no longer exists")
            return
        }
        let identity = CompanyIdentity(company: input.company, jobURL: input.jobURL, applyURL: input.applyURL)
        let cached = try await context.store.cachedCompany(normalizedName: identity.normalizedName)
        let cachedProfile = cached.flatMap { cached -> CompanyProfile? in
            // A profile written by an older version that no longer decodes is treated as absent.
            try? cached.profile.decode(CompanyProfile.self)
        }
        let fresh = cached.map { now().timeIntervalSince($0.researchedAt) < cacheLifetime.seconds } ?? false

        if request.operation == nil, !request.forceRefresh, fresh, cachedProfile != nil, input.storedContacts != nil {
            // A pipeline message for a job already researched is a redelivery or a duplicate: report
            // the result once, not again.
            if message.mayHaveRunBefore { try await progress.reportSavedUnlessRecorded(after: message) }
        } else {
            let postingText = input.descriptionText
            let profile: CompanyProfile
            let cacheHit: Bool
            if let cachedProfile, fresh, !request.forceRefresh {
                profile = cachedProfile
                cacheHit = true
                await progress.report("company", .finished, "Company profile from the cache (\(cachedProfile.providers.map(\.sentence).joined(separator: "; ")))")
            } else {
                profile = try await progress.step("company", "Researching \(identity.name)") {
                    await engine(postingText: postingText, input: input, identity: identity).research(
                        subject(input: input, identity: identity),
                        report: { report in await progress.report("provider", report.outcome == .failed ? .failed : .finished, report.sentence) }
                    )
                } finished: { profile in
                    "Profile of \(profile.name): \(profile.companyType.rawValue), quality \(profile.qualityScore), \(profile.signals.count) signals"
                }
                cacheHit = false
            }
            let contacts = try await progress.step("contacts", "Choosing people to contact") {
                // The posting's own people (a recruiter signing it) belong to this job even when the
                // company's profile came from the cache.
                let people = PostingPeopleReader.people(in: postingText, source: "posting") + profile.people
                let job = ContactFinder.Job(
                    company: identity.name,
                    title: input.title,
                    department: input.department,
                    isAgency: profile.companyType == .recruitmentAgency
                )
                return ContactFinder.contacts(for: job, people: people)
            } finished: { contacts in
                let real = contacts.filter { !$0.isSynthetic }.count
                return "\(contacts.count) contacts, \(contacts.filter { $0.priority == .primary }.count) primary"
                    + (real == 0 ? " (role placeholders: nobody was found by name)" : ", \(real) found by name")
            }
            try await progress.save("Saving the research") {
                try await context.store.saveResearch(
                    jobID: request.jobID,
                    company: JobStore.CompanyResearch(
                        name: identity.name,
                        normalizedName: identity.normalizedName,
                        domain: identity.domain ?? profile.website.flatMap { URL(string: $0)?.host },
                        careersHost: identity.careersHost,
                        refreshedProfile: cacheHit ? nil : try PostgresJSON(profile)
                    ),
                    contacts: try PostgresJSON(contacts),
                    providers: try PostgresJSON(profile.providers),
                    cacheHit: cacheHit
                )
            } finished: { _ in cacheHit ? "Saved (company from the cache)" : "Saved (company profile cached)" }
        }
        if request.forward {
            try await context.forward(JobResearched(jobID: request.jobID), to: context.streams.jobsResearched, jobID: request.jobID, after: message)
        }
    }

    private func engine(postingText: String, input: JobStore.ResearchInput, identity: CompanyIdentity) -> ResearchEngine {
        let evidence = PostingEvidence(
            text: postingText,
            aboutCompany: Self.aboutCompany(text: postingText, sections: input.sections),
            website: identity.domain.map { "https://\($0)" },
            jobURL: input.jobURL
        )
        return ResearchEngine(providers: [PostingProvider(evidence: evidence)] + providers, summarizer: summarizer)
    }

    private func subject(input: JobStore.ResearchInput, identity: CompanyIdentity) -> ResearchEngine.Subject {
        ResearchEngine.Subject(
            company: identity.name,
            normalizedName: identity.normalizedName,
            jobTitle: input.title,
            department: input.department,
            postingText: input.descriptionText,
            website: identity.domain.map { "https://\($0)" }
        )
    }

    /// The text of the posting's about-the-company sections, by their offsets into the clean text.
    static func aboutCompany(text: String, sections: PostgresJSONValue?) -> String? {
        guard let sections = try? sections?.decode([DescriptionSection].self) else { return nil }
        let utf16 = text.utf16
        let parts = sections.filter { $0.type == .aboutCompany }.compactMap { section -> String? in
            guard let lower = utf16.index(utf16.startIndex, offsetBy: section.start, limitedBy: utf16.endIndex),
                  let upper = utf16.index(utf16.startIndex, offsetBy: section.end, limitedBy: utf16.endIndex) else { return nil }
            var lines = String(text[lower..<upper]).split(separator: "\n")
            if section.title != nil, !lines.isEmpty { lines.removeFirst() }
            return lines.joined(separator: "\n")
        }
        let joined = parts.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return joined.isEmpty ? nil : joined
    }
}
