import CVGeneratorService
import Domain
import Foundation
import Testing

@Suite struct CoverLetterWriterTests {
    @Test(arguments: LetterFixtures.jobs)
    func letterMeetsEveryRule(job: LetterJob) {
        let letter = CoverLetterWriter.write(master: LetterFixtures.master, job: job)
        let body = letter.paragraphs.joined(separator: "\n\n")

        #expect(letter.check(company: job.company).problems == [])
        #expect((180...420).contains(LetterValidation.wordCount(body)))
        #expect((2...5).contains(letter.paragraphs.count))
        #expect(body.contains(job.company))
        #expect(body.contains(job.title))
        let hasDigit = body.contains { $0.isNumber }
        #expect(hasDigit)
        #expect(LetterValidation.boilerplate(in: letter.text) == [])
        #expect(LetterValidation.ungroundedNumbers(in: letter.text, master: LetterFixtures.master, inputs: job) == [])
    }

    @Test(arguments: LetterFixtures.jobs)
    func citesOnlyMasterAchievements(job: LetterJob) {
        let letter = CoverLetterWriter.write(master: LetterFixtures.master, job: job)
        let known = Set(LetterFixtures.master.roles.flatMap { $0.achievements.map(\.id) })
        #expect((2...5).contains(letter.achievementIDs.count))
        #expect(Set(letter.achievementIDs).isSubset(of: known))
    }

    @Test func picksAchievementsThatMatchTheJob() {
        let manager = CoverLetterWriter.write(master: LetterFixtures.master, job: LetterFixtures.engineeringManager)
        #expect(manager.achievementIDs.contains("ngl-mentoring"))
        #expect(manager.achievementIDs.contains("ngl-slo-program"))

        let data = CoverLetterWriter.write(master: LetterFixtures.master, job: LetterFixtures.dataPlatform)
        #expect(data.achievementIDs.contains("fm-etl-rebuild"))

        let payments = CoverLetterWriter.write(master: LetterFixtures.master, job: LetterFixtures.staffBackend)
        #expect(payments.achievementIDs.contains("qp-idempotent-payments"))
    }

    @Test func quotesTheCompanyResearchAsGiven() {
        let job = LetterFixtures.engineeringManager
        let letter = CoverLetterWriter.write(master: LetterFixtures.master, job: job)
        #expect(letter.text.contains("raised a $40M Series B in March 2025"))
        #expect(letter.text.contains("builds routing and tendering software"))
    }

    @Test func skipsResearchThatIsBoilerplate() {
        var job = LetterFixtures.staffBackend
        job.companySummary = "Ledgerline is a fast-paced team of payment experts."
        let letter = CoverLetterWriter.write(master: LetterFixtures.master, job: job)
        #expect(letter.check(company: job.company).isValid)
        #expect(!letter.text.contains("fast-paced"))
    }

    @Test func nonMatchingJobStillGetsARealMetric() {
        let job = LetterFixtures.sales
        let letter = CoverLetterWriter.write(master: LetterFixtures.master, job: job)
        #expect(letter.check(company: job.company).isValid)
        #expect(!letter.text.contains("Salesforce"))
    }
}

@Suite struct LetterSamples {
    /// Prints one letter and its outreach when `JOBSMITH_PRINT_LETTERS` is set, for reading by eye.
    @Test func printSample() {
        guard ProcessInfo.processInfo.environment["JOBSMITH_PRINT_LETTERS"] != nil else { return }
        for job in LetterFixtures.jobs {
            let letter = CoverLetterWriter.write(master: LetterFixtures.master, job: job)
            let outreach = OutreachWriter.write(master: LetterFixtures.master, job: job, contact: LetterFixtures.realContact)
            let synthetic = OutreachWriter.write(master: LetterFixtures.master, job: job, contact: LetterFixtures.syntheticContact)
            print("===== \(job.title) at \(job.company): \(LetterValidation.wordCount(letter.paragraphs.joined(separator: " "))) words, \(letter.paragraphs.count) paragraphs")
            print(letter.text)
            print("----- LinkedIn (\(outreach.linkedInNote.count))\n\(outreach.linkedInNote)")
            print("----- InMail [\(outreach.inMailSubject)] (\(outreach.inMailBody.count))\n\(outreach.inMailBody)")
            print("----- Email [\(outreach.emailSubject)] (\(LetterValidation.wordCount(outreach.emailBody)) words)\n\(outreach.emailBody)")
            print("----- Synthetic LinkedIn\n\(synthetic.linkedInNote)")
        }
    }
}
