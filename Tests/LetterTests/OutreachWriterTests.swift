import CVGeneratorService
import Domain
import Foundation
import Testing

@Suite struct OutreachWriterTests {
    @Test(arguments: LetterFixtures.jobs, [LetterFixtures.realContact, LetterFixtures.syntheticContact])
    func messagesMeetEveryLimit(job: LetterJob, contact: LetterContact) {
        let outreach = OutreachWriter.write(master: LetterFixtures.master, job: job, contact: contact)

        #expect(outreach.check().problems == [])
        #expect(!outreach.linkedInNote.isEmpty && outreach.linkedInNote.count <= 300)
        #expect(!outreach.inMailSubject.isEmpty && outreach.inMailSubject.count <= 30)
        #expect((400...600).contains(outreach.inMailBody.count))
        #expect(!outreach.emailSubject.isEmpty && outreach.emailSubject.count <= 100)
        #expect((95...205).contains(LetterValidation.wordCount(outreach.emailBody)))
    }

    @Test(arguments: LetterFixtures.jobs)
    func everyBodyNamesCompanyRoleAndAGroundedMetric(job: LetterJob) {
        let outreach = OutreachWriter.write(master: LetterFixtures.master, job: job, contact: LetterFixtures.realContact)
        for body in [outreach.linkedInNote, outreach.inMailBody, outreach.emailBody] {
            #expect(body.contains(job.company))
            #expect(body.contains(job.title))
            let hasDigit = body.contains { $0.isNumber }
            #expect(hasDigit)
            #expect(LetterValidation.ungroundedNumbers(in: body, master: LetterFixtures.master, inputs: job) == [])
            #expect(LetterValidation.boilerplate(in: body) == [])
        }
        #expect(outreach.emailSubject.contains(job.company))
        #expect(outreach.achievementID != nil)
    }

    @Test func realContactIsGreetedByName() {
        let outreach = OutreachWriter.write(master: LetterFixtures.master, job: LetterFixtures.dataPlatform, contact: LetterFixtures.realContact)
        #expect(outreach.linkedInNote.hasPrefix("Hi Priya,"))
        #expect(outreach.inMailBody.hasPrefix("Hi Priya,"))
        #expect(outreach.emailBody.hasPrefix("Hi Priya,"))
    }

    @Test(arguments: LetterFixtures.jobs)
    func syntheticContactIsNotGreetedByAName(job: LetterJob) {
        let contact = LetterFixtures.syntheticContact
        let outreach = OutreachWriter.write(master: LetterFixtures.master, job: job, contact: contact)
        for body in [outreach.linkedInNote, outreach.inMailBody, outreach.emailBody] {
            #expect(body.hasPrefix("Hello,"))
            #expect(!body.contains(contact.name))
            #expect(!body.contains("Hi "))
        }
    }

    @Test func longTitlesAreCutAtWordBoundaries() {
        var job = LetterFixtures.staffBackend
        job.title = "Principal Distributed Systems Engineer, Payments Infrastructure and Ledger Platform Reliability"
        job.company = "Ledgerline Financial Technologies International"
        let outreach = OutreachWriter.write(master: LetterFixtures.master, job: job, contact: LetterFixtures.realContact)
        #expect(outreach.inMailSubject.count <= 30)
        #expect(outreach.emailSubject.count <= 100)
        let titleWords = Set(job.title.split(separator: " ").map(String.init) + job.company.split(separator: " ").map(String.init) + [":", "at"])
        for word in outreach.inMailSubject.split(separator: " ") {
            #expect(titleWords.contains(String(word)))
        }
    }
}
