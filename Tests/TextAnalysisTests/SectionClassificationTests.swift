import Testing
import TextAnalysis

/// Header wording → section type, through the public API (an `<h2>` followed by a body paragraph).
@Suite struct SectionClassificationTests {
    private func type(ofHeader header: String) -> SectionType? {
        DescriptionStructurer.structure(html: "<h2>\(header)</h2><p>Body text follows here.</p>").sections.first?.type
    }

    /// The old rule parser filed "About the Role" under responsibilities; these must stay about_role.
    @Test(arguments: [
        "About the role", "About the Role:", "ABOUT THE ROLE", "The Role", "The role:", "The Opportunity", "Role Overview",
        "About the position", "About this job", "Your Role", "About the Platform Engineer Role", "Position Overview",
    ])
    func roleOverviewHeadersAreAboutTheRole(header: String) {
        #expect(type(ofHeader: header) == .aboutRole)
    }

    @Test(arguments: [
        "What you'll do", "What You’ll Do", "⚡ What you will be doing", "Responsibilities", "Key Responsibilities:",
        "Your impact", "In this role, you will:", "Day to day", "A Day in the Life", "What You'll Do in This Role",
        "What you’ll own",
    ])
    func dutyHeadersAreResponsibilities(header: String) {
        #expect(type(ofHeader: header) == .responsibilities)
    }

    @Test(arguments: [
        ("About us", SectionType.aboutCompany), ("About Acme", .aboutCompany), ("Who we are", .aboutCompany),
        ("Our mission", .aboutCompany), ("Who is LMArena?", .aboutCompany),
        ("Requirements", .qualifications), ("Qualifications", .qualifications), ("What you'll bring", .qualifications),
        ("About you", .qualifications), ("Who you are", .qualifications), ("What we’re looking for", .qualifications),
        ("Must have", .qualifications), ("Why you're a great fit", .qualifications), ("Role Requirements", .qualifications),
        ("Nice to have", .niceToHave), ("Nice-to-haves", .niceToHave), ("Bonus points", .niceToHave),
        ("Preferred qualifications", .niceToHave), ("Pluses", .niceToHave),
        ("Tech stack", .technicalSkills), ("Our Stack", .technicalSkills), ("Technologies", .technicalSkills),
        ("Technical skills", .technicalSkills), ("Technical Requirements", .technicalSkills),
        ("Experience", .experience), ("Education", .education),
        ("Benefits", .benefits), ("Perks & Benefits", .benefits), ("What we offer", .benefits), ("Why join us?", .benefits),
        ("Why Acme?", .benefits),
        ("Compensation", .compensation), ("Salary", .compensation), ("Pay range", .compensation),
        ("Pay Transparency", .compensation), ("Compensation & Benefits", .compensation),
        ("How to apply", .applicationProcess), ("Interview process", .applicationProcess),
        ("Our hiring process", .applicationProcess), ("Next steps", .applicationProcess),
        ("Equal opportunity", .equalOpportunity), ("EEO Statement", .equalOpportunity),
        ("Diversity & Inclusion", .equalOpportunity), ("Accommodations", .equalOpportunity),
        ("Location", .other), ("Physical Demands", .other), ("Senior Full Stack Engineer", .other),
    ])
    func headerWordingMapsToType(header: String, expected: SectionType) {
        #expect(type(ofHeader: header) == expected)
    }

    @Test(arguments: [
        ("Acme is a leading payments platform. Our mission is to make money move. We're looking for engineers.", SectionType.aboutCompany),
        ("We are a team of 40, founded in 2021 and backed by great investors.", .aboutCompany),
        ("In this role you will own our billing system and report to the CTO.", .aboutRole),
        ("Senior Engineer, Remote (EU).", .aboutRole),
    ])
    func untitledLeadIsClassifiedByItsVoice(lead: String, expected: SectionType) {
        let structure = DescriptionStructurer.structure(html: "<p>\(lead)</p><h2>Requirements</h2><ul><li>Go</li></ul>")
        #expect(structure.sections.map(\.type) == [expected, .qualifications])
        #expect(structure.sections.first?.title == nil)
    }
}
