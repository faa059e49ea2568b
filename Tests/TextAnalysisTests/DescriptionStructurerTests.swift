import Foundation
import Testing
import TextAnalysis

@Suite struct DescriptionStructurerTests {
    @Test func offsetsAreUTF16IndicesThatTileTheText() throws {
        let structure = DescriptionStructurer.structure(html: """
            <h2>About us 🚀</h2><p>We 👩‍💻 build café software.</p><h2>Requirements</h2><ul><li>Go</li><li>Rust 🦀</li></ul>
            """)
        #expect(structure.text == "About us 🚀\n\nWe 👩‍💻 build café software.\n\nRequirements\n\n- Go\n- Rust 🦀")
        let boundary = "About us 🚀\n\nWe 👩‍💻 build café software.\n\n".utf16.count
        #expect(structure.sections.map(\.start) == [0, boundary])
        #expect(structure.sections.map(\.end) == [boundary, structure.text.utf16.count])
        // The offsets must be usable as JavaScript string indices, i.e. UTF-16 code units.
        let second = try #require(structure.sections.last)
        let utf16 = Array(structure.text.utf16)
        #expect(String(decoding: utf16[second.start..<second.end], as: UTF16.self) == "Requirements\n\n- Go\n- Rust 🦀")
        #expect(StructureInvariants.violations(in: structure).isEmpty)
    }

    @Test func itemsAreTheSectionsBulletsWithoutMarkers() {
        let structure = DescriptionStructurer.structure(html: """
            <h2>Responsibilities</h2><p>Intro sentence.</p><ol><li>Design</li><li>Build</li></ol><p>• Hand-written bullet</p>
            <h2>Benefits</h2><ul><li><p><strong>Equity</strong> in a growing company</p></li></ul>
            """)
        #expect(structure.sections.map(\.items) == [["Design", "Build", "Hand-written bullet"], ["Equity in a growing company"]])
    }

    @Test func vagueOrRepeatedSubheadingsStayInsideTheirSection() {
        let structure = DescriptionStructurer.structure(html: """
            <h2>Benefits</h2><p><strong>Loan Repayment</strong></p><ul><li>Up to $10k</li></ul>
            <p><strong>Time off</strong></p><ul><li>30 days</li></ul>
            <h2>The Role</h2><h3>Responsibilities</h3><ul><li>Ship</li></ul>
            """)
        #expect(structure.sections.map(\.type) == [.benefits, .aboutRole, .responsibilities])
        #expect(structure.sections.map(\.items) == [["Up to $10k", "30 days"], [], ["Ship"]])
    }

    @Test func descriptionWithoutHeadersIsOneSection() {
        let structure = DescriptionStructurer.structure(html: "<p>We need a plumber. You will fix pipes.</p>")
        #expect(structure.sections == [DescriptionSection(type: .aboutRole, title: nil, start: 0, end: 38, items: [])])
    }

    @Test(arguments: ["", "   ", "\n\u{00A0}\n\t", "<p></p><script>x</script>"])
    func emptyInputHasNoSections(input: String) {
        let empty = DescriptionStructure(text: "", sections: [])
        #expect(DescriptionStructurer.structure(html: input) == empty)
        if !input.contains("<") { #expect(DescriptionStructurer.structure(text: input) == empty) }
    }

    @Test func textMatchesPlainText() {
        let html = "<h2>Perks</h2><p>Remote&nbsp;first</p><p><b>Requirements:</b>You know SQL.</p>"
        #expect(DescriptionStructurer.structure(html: html).text == HTMLText.plainText(from: html))
    }

    @Test func plainTextInputKeepsEntitiesLiteral() {
        let structure = DescriptionStructurer.structure(text: "Write &amp; escape HTML\r\n\r\n\r\nRequirements:\r\n\t- Go\u{00A0}1.22")
        #expect(structure.text == "Write &amp; escape HTML\n\nRequirements:\n- Go 1.22")
        #expect(structure.sections.map(\.type) == [.aboutRole, .qualifications])
    }

    @Test func encodesWithSnakeCaseTypesAndRoundTrips() throws {
        let structure = DescriptionStructurer.structure(html: "<p>Intro.</p><h2>Nice to have</h2><ul><li>Go</li></ul>")
        let data = try JSONEncoder().encode(structure)
        let json = try #require(String(data: data, encoding: .utf8))
        #expect(json.contains(#""type":"nice_to_have""#))
        #expect(try JSONDecoder().decode(DescriptionStructure.self, from: data) == structure)
    }

    @Test func sectionTypeRawValuesAreTheSharedNames() {
        #expect(SectionType.allCases.map(\.rawValue) == [
            "about_company", "about_role", "responsibilities", "qualifications", "nice_to_have", "technical_skills",
            "experience", "education", "benefits", "compensation", "application_process", "equal_opportunity", "other",
        ])
    }
}
