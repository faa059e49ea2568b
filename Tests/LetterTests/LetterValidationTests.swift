import CVGeneratorService
import Domain
import Foundation
import Testing

@Suite struct LetterValidationTests {
    /// A letter of exactly `words` body words over two paragraphs, naming the company and a metric.
    private func letter(words: Int, extra: String = "") -> CoverLetter {
        let opening = "Acme cut costs 12%" + extra
        let openingWords = LetterValidation.wordCount(opening)
        let fillerCount = max(0, words - openingWords)
        let filler = Array(repeating: "word", count: fillerCount)
        let half = fillerCount / 2
        return CoverLetter(
            greeting: "Dear Acme hiring team,",
            paragraphs: [opening + " " + filler.prefix(half).joined(separator: " "), filler.dropFirst(half).joined(separator: " ")],
            signOff: "Kind regards,\nMaren"
        )
    }

    @Test(arguments: [(179, false), (180, true), (300, true), (420, true), (421, false)])
    func coverLetterWordLimits(words: Int, valid: Bool) {
        let candidate = letter(words: words)
        #expect(LetterValidation.wordCount(candidate.paragraphs.joined(separator: "\n\n")) == words)
        #expect(candidate.check(company: "Acme").isValid == valid)
    }

    @Test(arguments: [(1, false), (2, true), (5, true), (6, false)])
    func coverLetterParagraphLimits(paragraphs: Int, valid: Bool) {
        let sentence = "Acme cut costs by 12% " + Array(repeating: "word", count: 250 / paragraphs).joined(separator: " ")
        let candidate = CoverLetter(greeting: "Dear Acme,", paragraphs: Array(repeating: sentence, count: paragraphs), signOff: "Maren")
        #expect(candidate.check(company: "Acme").isValid == valid)
    }

    @Test func catchesTooShortLetter() {
        let short = CoverLetter(greeting: "Dear Acme,", paragraphs: ["At Acme I cut costs 12%.", "Let us talk."], signOff: "Maren")
        let check = short.check(company: "Acme")
        #expect(!check.isValid)
        #expect(check.problems.contains { $0.contains("words") })
    }

    @Test(arguments: ["I am excited to apply for this role.", "I am a TEAM PLAYER.", "This is my dream job.", "I can hit the ground running.", "A fast paced setting.", "To whom it may concern,"])
    func catchesBoilerplate(phrase: String) {
        let candidate = letter(words: 250, extra: " " + phrase)
        let check = candidate.check(company: "Acme")
        #expect(!check.isValid)
        #expect(check.problems.contains { $0.contains("boilerplate") })
    }

    @Test func boilerplateMatchesWholeWordsOnly() {
        #expect(LetterValidation.boilerplate(in: "The teamplayer library") == [])
        #expect(LetterValidation.boilerplate(in: "Synergy.") == ["synergy"])
    }

    @Test func catchesMissingMetricAndCompany() {
        let candidate = CoverLetter(
            greeting: "Dear team,",
            paragraphs: [Array(repeating: "word", count: 120).joined(separator: " "), Array(repeating: "word", count: 120).joined(separator: " ")],
            signOff: "Maren"
        )
        let problems = candidate.check(company: "Acme").problems
        #expect(problems.contains("states no metric"))
        #expect(problems.contains("does not name the company"))
    }

    @Test func catchesAnInventedMetric() {
        let job = LetterFixtures.engineeringManager
        var letter = CoverLetterWriter.write(master: LetterFixtures.master, job: job)
        letter.paragraphs[1] += " I also grew revenue 300% in a year."
        #expect(letter.check(company: job.company).isValid)
        #expect(LetterValidation.ungroundedNumbers(in: letter.text, master: LetterFixtures.master, inputs: job) == ["300%"])
    }

    @Test(arguments: [
        ("Incidents fell by 45 %.", [String]()),
        ("Incidents fell by 45 percent.", []),
        ("Peak of 2400 transactions per second.", []),
        ("They raised $40 million.", []),
        ("They raised $40M.", []),
        ("They raised €40M.", ["€40M"]),
        ("About £1.2 million a year.", []),
        ("Processes 4.2 million events per day.", []),
        ("Incidents fell by 46%.", ["46%"]),
        ("Led 9 engineers over 13 years.", ["13"]),
        ("Availability held at 99.95%.", []),
        ("Mentored 17% of staff.", ["17%"]),
    ])
    func groundingNormalizesNumbers(text: String, ungrounded: [String]) {
        let found = LetterValidation.ungroundedNumbers(in: text, master: LetterFixtures.master, inputs: LetterFixtures.engineeringManager)
        #expect(found == ungrounded)
    }

    private func outreach(
        note: Int = 200,
        inMailSubject: Int = 20,
        inMailBody: Int = 500,
        emailSubject: Int = 60,
        emailWords: Int = 150
    ) -> Outreach {
        Outreach(
            linkedInNote: String(repeating: "a", count: note),
            inMailSubject: String(repeating: "b", count: inMailSubject),
            inMailBody: String(repeating: "c", count: inMailBody),
            emailSubject: String(repeating: "d", count: emailSubject),
            emailBody: Array(repeating: "word", count: emailWords).joined(separator: " ")
        )
    }

    @Test(arguments: [(300, true), (301, false)])
    func linkedInNoteLimit(length: Int, valid: Bool) {
        #expect(outreach(note: length).check().isValid == valid)
    }

    @Test(arguments: [(30, true), (31, false)])
    func inMailSubjectLimit(length: Int, valid: Bool) {
        #expect(outreach(inMailSubject: length).check().isValid == valid)
    }

    @Test(arguments: [(399, false), (400, true), (600, true), (601, false)])
    func inMailBodyLimits(length: Int, valid: Bool) {
        #expect(outreach(inMailBody: length).check().isValid == valid)
    }

    @Test(arguments: [(100, true), (101, false)])
    func emailSubjectLimit(length: Int, valid: Bool) {
        #expect(outreach(emailSubject: length).check().isValid == valid)
    }

    @Test(arguments: [(94, false), (95, true), (205, true), (206, false)])
    func emailBodyLimits(words: Int, valid: Bool) {
        #expect(outreach(emailWords: words).check().isValid == valid)
    }

    @Test func emptyMessagesAreProblems() {
        #expect(outreach(note: 0).check().problems == ["LinkedIn note is empty"])
    }
}
