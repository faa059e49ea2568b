import Foundation
import Testing
import TextAnalysis

/// Greenhouse's `content` field is HTML escaped as text (`&lt;p&gt;…`, with `&amp;nbsp;` inside): the
/// real payloads under `shared/fixtures/boards/greenhouse` check that it is unescaped exactly once.
@Suite struct GreenhouseFixtureTests {
    /// The two complete Greenhouse payloads (the third, jobops, has descriptions cut at ~600 chars).
    private static let files = ["tech-jobs-hub_catawiki_full.json", "ATS_Polling_greenhouse.json"]

    @Test(arguments: files)
    func escapedContentBecomesCleanStructuredText(file: String) throws {
        let postings = try BoardFixtures.greenhouse(file)
        #expect(!postings.isEmpty)
        for posting in postings {
            #expect(posting.html.hasPrefix("&lt;"), "fixture should be entity-escaped")
            let structure = DescriptionStructurer.structure(html: posting.html)
            #expect(StructureInvariants.markupRemnants(in: structure.text).isEmpty, "\(posting.title)")
            #expect(StructureInvariants.violations(in: structure).isEmpty, "\(posting.title)")
            // Every one of these postings lists requirements; a few ("Expert Antiques") fold the duties
            // into an "About the role and team" overview, so only requirements are certain.
            #expect(structure.sections.count >= 4, "\(posting.title)")
            #expect(structure.sections.contains { $0.type == .qualifications }, "\(posting.title)")
        }
    }

    /// Detecting the escaping must give the same text as unescaping by hand first.
    @Test(arguments: files)
    func detectionMatchesExplicitUnescaping(file: String) throws {
        for posting in try BoardFixtures.greenhouse(file) {
            let unescaped = posting.html
                .replacingOccurrences(of: "&lt;", with: "<")
                .replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&quot;", with: "\"")
                .replacingOccurrences(of: "&#39;", with: "'")
                .replacingOccurrences(of: "&amp;", with: "&")
            #expect(HTMLText.plainText(from: posting.html) == HTMLText.plainText(from: unescaped), "\(posting.title)")
        }
    }

    @Test func catawikiCustomerServiceDutiesAreFound() throws {
        let posting = try #require(try BoardFixtures.greenhouse("tech-jobs-hub_catawiki_full.json").first { $0.title.hasPrefix("Customer Service Representative") })
        let structure = DescriptionStructurer.structure(html: posting.html)
        let titled = structure.sections.compactMap { section in section.title.map { "\(section.type.rawValue): \($0)" } }
        #expect(titled.prefix(2) == ["responsibilities: What does the role involve?", "qualifications: This is who you are"])
        #expect(titled.contains("benefits: In return"))
    }

    @Test func catawikiAndroidDeveloperReadsAsWritten() throws {
        let posting = try #require(try BoardFixtures.greenhouse("tech-jobs-hub_catawiki_full.json").first { $0.title == "Android Developer" })
        let structure = DescriptionStructurer.structure(html: posting.html)
        // `Lady Gaga&#39;s` was escaped twice; `&amp;nbsp;` after "core values:" too.
        #expect(structure.text.hasPrefix("At Catawiki, every day brings the extraordinary! Whether it’s Daniel Ricciardo’s Formula 1 Car, a Woolly Mammoth’s Skeleton, Lady Gaga's Jumpsuit or Usain Bolt’s running shoe"))
        #expect(structure.text.contains("we proudly live by our core values:\n\n- Taking ownership and driving impact\n"))
        #expect(structure.sections.first?.type == .aboutCompany)
        #expect(structure.sections.first?.items == ["Taking ownership and driving impact", "Being open to change and feedback", "Being passionate about our mission and our customers."])
        let titled = structure.sections.compactMap { section in section.title.map { "\(section.type.rawValue): \($0)" } }
        #expect(titled.prefix(5) == ["about_company: How we work", "responsibilities: What you’ll do", "technical_skills: How we roll - Our Stack", "qualifications: What you’ll bring", "experience: We expect you to have experience with"])
    }
}
