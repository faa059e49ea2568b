import Testing

@testable import ResearchService

/// One sentence and the signal it must (or must not) give.
struct WebsiteSignalCase: Sendable, CustomTestStringConvertible {
    let sentence: String
    let kind: CompanySignal.Kind?
    let date: String?

    var testDescription: String { sentence }

    init(_ sentence: String, _ kind: CompanySignal.Kind?, _ date: String? = nil) {
        self.sentence = sentence
        self.kind = kind
        self.date = date
    }
}

private let signalCases: [WebsiteSignalCase] = [
    // Funding
    WebsiteSignalCase("Northwind Robotics raised $40M Series B led by Foundry Ventures.", .funding),
    WebsiteSignalCase("In March 2025, the company closed a €10 million seed round.", .funding, "2025-03"),
    WebsiteSignalCase("Helix Bio has secured USD 12 million from Harbor Capital on 2024-07-15.", .funding, "2024-07-15"),
    // Acquisition
    WebsiteSignalCase("Lumen Vision was acquired by Northwind Robotics on Jan. 28, 2025.", .acquisition, "2025-01-28"),
    WebsiteSignalCase("Northwind acquired Lumen Vision, a computer vision startup, in 2024.", .acquisition, "2024"),
    // Leadership change
    WebsiteSignalCase("Jane Smith has been appointed Chief Financial Officer.", .leadershipChange),
    WebsiteSignalCase("Omar Haddad joins as VP of Engineering on 14 April 2025.", .leadershipChange, "2025-04-14"),
    WebsiteSignalCase("Founder Ada Okafor steps down as CEO after eight years.", .leadershipChange),
    // Product launch
    WebsiteSignalCase("Today we launched Fleet Manager 3.0 with live congestion maps.", .productLaunch),
    WebsiteSignalCase("On Sept 9th, 2024 we unveiled Heron, our pallet-moving robot.", .productLaunch, "2024-09-09"),
    // Partnership
    WebsiteSignalCase("Northwind has partnered with Baltic Freight to automate cross-docking.", .partnership),
    WebsiteSignalCase("We announced a strategic partnership with Maersk in Q3 2024.", .partnership, "2024"),
    // Growth
    WebsiteSignalCase("Revenue doubled in 2024.", .growth, "2024"),
    WebsiteSignalCase("The company grew to 500 employees last year.", .growth),
    WebsiteSignalCase("We opened an office in Berlin in May 2023.", .growth, "2023-05"),
    WebsiteSignalCase("Annual recurring revenue increased 150% year over year.", .growth),
    // Not signals
    WebsiteSignalCase("We use cookies to improve your experience and to launch relevant ads.", nil),
    WebsiteSignalCase("Maya is our Talent Acquisition Partner for Europe.", nil),
    WebsiteSignalCase("Read our latest press releases and company news.", nil),
    WebsiteSignalCase("Join our team of passionate engineers in Boston.", nil),
    WebsiteSignalCase("Do you want to launch your career with us?", nil),
    WebsiteSignalCase("© 2025 Northwind Robotics. All rights reserved.", nil),
    WebsiteSignalCase("Northwind was founded in 2017 and launched its first robot in a garage.", nil),
    WebsiteSignalCase("Subscribe to our newsletter for product launches and funding news.", nil),
]

@Suite("Company signal reader")
struct WebsiteSignalReaderTests {
    @Test(arguments: signalCases)
    func readsOneSignalPerSentence(_ example: WebsiteSignalCase) {
        let signal = CompanySignalReader().signal(inSentence: example.sentence, sourceURL: "https://northwind.example/news")
        #expect(signal?.kind == example.kind)
        if example.kind != nil {
            #expect(signal?.date == example.date)
            #expect(signal?.sourceURL == "https://northwind.example/news")
            #expect(signal?.summary == example.sentence)
        }
    }

    @Test func aSentenceWithoutADateTakesItsNewsItemsDateLine() {
        let text = """
            Newsroom

            2025-03-14

            Northwind raises $40M Series B.

            Northwind Robotics today announced it has closed a $40 million Series B round.

            Read more

            Feb 2025

            Northwind partners with Baltic Freight on cross-docking.
            """
        let signals = CompanySignalReader().signals(inText: text, sourceURL: "https://northwind.example/news")
        // The body repeats the headline's funding round: one signal for the item.
        #expect(signals.map(\.kind) == [.funding, .partnership])
        #expect(signals.map(\.date) == ["2025-03-14", "2025-02"])
        #expect(signals.first?.summary == "Northwind raises $40M Series B.")
    }

    @Test func datesBelowHeadlinesBelongToTheHeadlineAbove() {
        let text = """
            Press

            Northwind raises $40M Series B

            March 14, 2025

            The round was led by Foundry Ventures.

            Northwind acquires Lumen Vision

            January 28, 2025

            The team joins our Rotterdam office.

            Northwind unveils Tern picking robot

            September 2024

            Tern fits narrow aisles.
            """
        let signals = CompanySignalReader().signals(inText: text, sourceURL: nil)
        #expect(signals.map(\.kind) == [.funding, .acquisition, .productLaunch])
        #expect(signals.map(\.date) == ["2025-03-14", "2025-01-28", "2024-09"])
    }

    @Test func oneLineCanHoldSeveralSignals() {
        let text = "In 2023 we opened an office in Austin. In 2024 Northwind acquired Lumen Vision. Contact us at hello@northwind.example."
        let signals = CompanySignalReader().signals(inText: text, sourceURL: "https://northwind.example/about")
        #expect(signals.map(\.kind) == [.growth, .acquisition])
        #expect(signals.map(\.date) == ["2023", "2024"])
    }

    @Test func longSentencesAreCutForTheSummary() throws {
        let sentence =
            "Northwind Robotics raised $40M Series B "
            + Array(repeating: "with participation from existing investors", count: 10).joined(separator: " and ")
        let signal = try #require(CompanySignalReader().signal(inSentence: sentence))
        #expect(signal.summary.count <= 300)
        #expect(signal.summary.hasSuffix("…"))
    }

    @Test(arguments: [
        ("March 14, 2025", "2025-03-14"),
        ("Mar. 14th 2025", "2025-03-14"),
        ("14 March 2025", "2025-03-14"),
        ("2025-03-14", "2025-03-14"),
        ("2025/03/14", "2025-03-14"),
        ("Published Mar 2025", "2025-03"),
        ("Press release · September 2024", "2024-09"),
        ("2024", "2024"),
    ])
    func readsDateLines(line: String, date: String) {
        #expect(CompanyDateReader.dateLine(line) == date)
    }

    @Test(arguments: ["03/04/2025", "Series B", "Founded 2017", "© 2025 Northwind Robotics", "Last updated March 3, 2025", "We grew a lot in 2024 across every market.", "2,000 robots", "Model 3000"])
    func ignoresLinesThatAreNotDates(line: String) {
        #expect(CompanyDateReader.dateLine(line) == nil)
    }

    @Test func splitsSentencesButNotAbbreviationsOrInitials() {
        let sentences = CompanySignalReader.sentences(
            in: "Northwind Robotics Inc. hired J. R. Smith as CTO. Revenue grew 40% in 2024! Fleet Manager 2.0 is live."
        )
        #expect(
            sentences == ["Northwind Robotics Inc. hired J. R. Smith as CTO.", "Revenue grew 40% in 2024!", "Fleet Manager 2.0 is live."])
    }
}
