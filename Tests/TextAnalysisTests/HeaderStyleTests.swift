import Testing
import TextAnalysis

/// Each way authors mark a section header, as seen on real boards, and the look-alikes that must stay
/// body text.
@Suite struct HeaderStyleTests {
    private func outline(_ structure: DescriptionStructure) -> [String] {
        structure.sections.map { "\($0.type.rawValue): \($0.title ?? "-")" }
    }

    // MARK: - HTML markup

    @Test func htmlHeadingsAreHeaders() {
        let structure = DescriptionStructurer.structure(html: """
            <h2>About us</h2><p>We are a small startup.</p>
            <h2>What you'll do</h2><ul><li>Build the API</li></ul>
            <h3>Requirements</h3><ul><li>Five years of Go</li></ul>
            """)
        #expect(outline(structure) == ["about_company: About us", "responsibilities: What you'll do", "qualifications: Requirements"])
        #expect(structure.sections.map(\.items) == [[], ["Build the API"], ["Five years of Go"]])
    }

    @Test func wholeParagraphBoldOrUnderlineIsAHeader() {
        let structure = DescriptionStructurer.structure(html: """
            <p>In this job you will lead the payments team.</p>
            <p><strong>Requirements</strong></p><ul><li>Swift</li></ul>
            <p><b>Our Stack:</b></p><p>Swift, Postgres, Redis</p>
            <p><u>Perks</u></p><ul><li>Equity</li></ul>
            <p><strong>Key Responsibilities</strong>:</p><ul><li>Ship</li></ul>
            <p><strong>Life on the Night Shift</strong></p><p>Quiet, focused work.</p>
            """)
        #expect(outline(structure) == [
            "about_role: -", "qualifications: Requirements", "technical_skills: Our Stack", "benefits: Perks",
            "responsibilities: Key Responsibilities", "other: Life on the Night Shift",
        ])
    }

    @Test func boldLeadInsAndLongBoldSentencesAreNotHeaders() {
        let structure = DescriptionStructurer.structure(html: """
            <h2>Responsibilities</h2>
            <ul><li><strong>Own the roadmap</strong>: plan and ship quarterly.</li></ul>
            <p><strong>This role is remote, but we meet in person twice a year in Lisbon for a week of planning.</strong></p>
            <p><strong>Note</strong> this is important.</p>
            <p>Life on the Night Shift</p><p>Unstyled Title Case in HTML is body text.</p>
            """)
        #expect(outline(structure) == ["responsibilities: Responsibilities"])
        #expect(structure.sections[0].items == ["Own the roadmap: plan and ship quarterly."])
    }

    @Test func colonLinesInHTMLAreHeaders() {
        let structure = DescriptionStructurer.structure(html: """
            <p>What you'll do:</p><ul><li>Ship</li></ul><p>Who you are:</p><ul><li>Curious</li></ul>
            <p>Some of the problems we are tackling include:</p><ul><li>Latency</li></ul>
            """)
        #expect(outline(structure) == [
            "responsibilities: What you'll do", "qualifications: Who you are", "other: Some of the problems we are tackling include",
        ])
        #expect(structure.sections.map(\.items) == [["Ship"], ["Curious"], ["Latency"]])
    }

    @Test func bulletWithNestedBulletsIsAnOutlineHeader() {
        let structure = DescriptionStructurer.structure(html: """
            <ul><li><p>Responsibilities</p><ul><li>Ship features</li></ul></li>
            <li>Requirements<ul><li>Swift</li><li>SQL</li></ul></li></ul>
            <h2>Benefits</h2><ul><li>Equity</li><li>Health</li></ul>
            """)
        #expect(outline(structure) == ["responsibilities: Responsibilities", "qualifications: Requirements", "benefits: Benefits"])
        #expect(structure.sections.map(\.items) == [["Ship features"], ["Swift", "SQL"], ["Equity", "Health"]])
    }

    // MARK: - Plain text and markdown

    @Test func markdownHeadersAreHeaders() {
        let structure = DescriptionStructurer.structure(text: """
            ## About the role
            You will own billing.

            **Qualifications**
            * Go
            * Kubernetes

            __Benefits:__
            + Remote
            """)
        #expect(outline(structure) == ["about_role: About the role", "qualifications: Qualifications", "benefits: Benefits"])
        #expect(structure.text == "About the role\nYou will own billing.\n\nQualifications\n- Go\n- Kubernetes\n\nBenefits:\n- Remote")
        #expect(structure.sections.map(\.items) == [[], ["Go", "Kubernetes"], ["Remote"]])
    }

    @Test func allCapsAndTitleCaseLinesAreHeadersInPlainText() {
        let structure = DescriptionStructurer.structure(text: """
            WHAT YOU'LL DO
            - Build pipelines

            The Tilt Way
            We chase excellence and impact.

            Tech Stack
            Python, dbt, Snowflake
            """)
        #expect(outline(structure) == ["responsibilities: WHAT YOU'LL DO", "other: The Tilt Way", "technical_skills: Tech Stack"])
    }

    @Test func numberedHeadersAreHeadersButNumberedItemsAreItems() {
        let structure = DescriptionStructurer.structure(text: """
            1. About you
            1. Ship features weekly
            2. Write Design Docs
            2. What we offer
            - Equity
            """)
        #expect(outline(structure) == ["qualifications: About you", "benefits: What we offer"])
        #expect(structure.sections.map(\.items) == [["Ship features weekly", "Write Design Docs"], ["Equity"]])
    }

    @Test func gluedHeadersAreSplitOntoTheirOwnLine() {
        let structure = DescriptionStructurer.structure(text: """
            Requirements:You have 5 years of Go.
            ResponsibilitiesYou will build the ledger.
            About UsWe are a fintech.
            """)
        #expect(outline(structure) == ["qualifications: Requirements", "responsibilities: Responsibilities", "about_company: About Us"])
        #expect(structure.text == "Requirements:\nYou have 5 years of Go.\nResponsibilities\nYou will build the ledger.\nAbout Us\nWe are a fintech.")
    }

    @Test func brandNamesAndOrdinaryColonsAreNotSplit() {
        let text = "HealthAxis is a provider of claims software.\nGitHub Actions: CI for everything.\nLocation:Remote"
        let structure = DescriptionStructurer.structure(text: text)
        #expect(structure.text == text)
        #expect(structure.sections.count == 1)
    }

    @Test func inlineHeaderStartsASectionWithoutRewritingTheLine() {
        let structure = DescriptionStructurer.structure(html: """
            <p>You will design our data platform.</p><p><strong>Salary:</strong> $120,000 – $150,000 per year</p>
            """)
        #expect(outline(structure) == ["about_role: -", "compensation: Salary"])
        #expect(structure.text.hasSuffix("Salary: $120,000 – $150,000 per year"))
    }

    @Test func headerAtTheVeryStartLeavesNoUntitledLead() {
        let structure = DescriptionStructurer.structure(html: "<h1>Benefits</h1><p>Lots.</p>")
        #expect(outline(structure) == ["benefits: Benefits"])
        #expect(structure.sections[0].start == 0)
    }
}
