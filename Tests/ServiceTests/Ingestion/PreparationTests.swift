import Domain
import Foundation
import IngestionService
import JobsmithTesting
import Store
import Testing

@Suite struct PreparationTests {
    /// Real descriptions: the first postings of two Ashby boards.
    static func realPostings() throws -> [JobPosting] {
        let data = try Data(contentsOf: TestEnvironment.boardFixturesDirectory.appendingPathComponent("ashby/stapply_notion.json"))
        return try AshbyBoardParser().parse(data, context: BoardContext(source: "notion", board: "notion")).postings
    }

    @Test(arguments: [
        ("Notion", "Senior Backend Engineer", "Notion, Inc.", "Senior Backend Engineer (Remote, EU)", true),
        ("Notion", "Senior Backend Engineer", "notion", "senior backend engineer - hybrid", true),
        ("Notion", "Senior Backend Engineer", "Notion", "Staff Backend Engineer", false),
        ("Notion", "Account Executive", "Figma", "Account Executive", false),
    ])
    func dedupeKeysIgnoreCaseLegalFormsAndWorkplaceNotes(company: String, title: String, otherCompany: String, otherTitle: String, same: Bool) {
        let first = PostingFingerprint.dedupeKey(company: company, title: title)
        let second = PostingFingerprint.dedupeKey(company: otherCompany, title: otherTitle)
        #expect((first == second) == same)
    }

    @Test func lightlyEditedDescriptionsAreSimilarAndDifferentOnesAreNot() throws {
        let postings = try Self.realPostings()
        let original = HTMLToText.clean(postings[0].descriptionHTML)
        let edited = original.replacingOccurrences(of: "Notion", with: "Notion Labs") + "\nApply through our careers site."
        let other = HTMLToText.clean(postings[1].descriptionHTML)
        let a = PostingFingerprint.shingles(of: original)
        #expect(a.count == 128)
        #expect(PostingFingerprint.similarity(a, a) == 1)
        #expect(PostingFingerprint.similarity(a, PostingFingerprint.shingles(of: edited)) > 0.5)
        #expect(PostingFingerprint.similarity(a, PostingFingerprint.shingles(of: other)) < 0.5)
    }

    @Test func filtersKeepWhatTheSourceAsksFor() throws {
        let postings = try Self.realPostings().map { PostingPreparer.prepare($0, scorer: nil, threshold: 0) }
        let engineers = SourceFilter(source: SourceRecord(name: "s", kind: .ashby, location: "notion", titleKeywords: ["engineer"]))
            .apply(to: postings)
        #expect(!engineers.kept.isEmpty)
        #expect(engineers.kept.allSatisfy { $0.posting.title.lowercased().contains("engineer") })
        #expect(engineers.kept.count + engineers.filteredOut == postings.count)

        let newest = SourceFilter(source: SourceRecord(name: "s", kind: .ashby, location: "notion", maxResults: 5)).apply(to: postings)
        #expect(newest.kept.count == 5)
        let cutoff = newest.kept.compactMap(\.posting.postedAt).min()!
        #expect(postings.filter { ($0.posting.postedAt ?? .distantPast) > cutoff }.count <= 5)

        let since = postings.compactMap(\.posting.postedAt).sorted()[postings.count / 2]
        let incremental = SourceFilter(source: SourceRecord(name: "s", kind: .ashby, location: "notion", incremental: true, lastSuccessStartedAt: since))
            .apply(to: postings)
        #expect(incremental.kept.allSatisfy { ($0.posting.postedAt ?? .distantFuture) > since })

        let inNewYork = SourceFilter(source: SourceRecord(name: "s", kind: .ashby, location: "notion", locations: ["New York"])).apply(to: postings)
        #expect(inNewYork.kept.allSatisfy { $0.posting.locations.contains { $0.contains("New York") } })
    }

    @Test func quickScoresRankAnEngineeringJobAboveASalesJobForTheSampleCandidate() throws {
        let master = try MasterCV.load(from: TestEnvironment.repositoryRoot.appendingPathComponent("samples/master-cv.json"))
        let scorer = QuickScorer(master: master)
        let postings = try Self.realPostings()
        let engineering = try #require(postings.first { $0.title.contains("Engineer") && $0.title.contains("Backend") } ?? postings.first { $0.title.contains("Software Engineer") })
        let sales = try #require(postings.first { $0.title.contains("Sales") })
        let engineeringScore = scorer.score(title: engineering.title, text: HTMLToText.clean(engineering.descriptionHTML))
        let salesScore = scorer.score(title: sales.title, text: HTMLToText.clean(sales.descriptionHTML))
        #expect(engineeringScore.value > salesScore.value)
        #expect((0...100).contains(engineeringScore.value) && (0...100).contains(salesScore.value))
        #expect(QuickScorer.tier(for: 80) == "A" && QuickScorer.tier(for: 79) == "B" && QuickScorer.tier(for: 40) == "C" && QuickScorer.tier(for: 39) == "D")
    }

    @Test func preparationSanitizesAndKeepsTheText() throws {
        var posting = try Self.realPostings()[0]
        posting.descriptionHTML += #"<script>alert(1)</script><p onclick="steal()">Thanks!</p><a href="javascript:alert(2)">x</a>"#
        let prepared = PostingPreparer.prepare(posting, scorer: nil, threshold: 0)
        #expect(!prepared.safeHTML.lowercased().contains("<script"))
        #expect(!prepared.safeHTML.contains("onclick"))
        #expect(!prepared.safeHTML.contains("javascript:"))
        #expect(prepared.cleanText.contains("Thanks!"))
        #expect(!prepared.cleanText.contains("alert(1)"))
        #expect(!prepared.belowThreshold)
    }
}

/// Clean text the way ingestion makes it.
enum HTMLToText {
    static func clean(_ html: String) -> String {
        PostingPreparer.prepare(JobPosting(source: "t", externalID: "t", title: "t", company: "t", descriptionHTML: html), scorer: nil, threshold: 0).cleanText
    }
}
