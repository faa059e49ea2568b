extension SectionClassifier {
    /// The type of the untitled text before a description's first header.
    ///
    /// That text is usually a company blurb, a role summary, or a blurb followed by a summary, and
    /// the two are told apart by their voice: company blurbs talk about "our mission", "we are a",
    /// "founded", "customers"; role summaries talk about "this role", "you will", "we are looking for".
    /// The first paragraph that uses either voice decides, because the opening is what the lead is
    /// mainly about (a blurb that ends with "we're looking for…" is still about the company). Within
    /// it each distinct phrase scores one point; the role wins ties, because company words like
    /// "platform" also turn up in role summaries while "you will" never describes a company. A lead
    /// with no signal at all is treated as about the role, since that is what a bare summary most
    /// often is.
    ///
    /// - Parameter paragraphs: The lead's paragraphs in order.
    static func leadType(forParagraphs paragraphs: [String]) -> SectionType {
        for paragraph in paragraphs {
            let (company, role) = voiceScores(paragraph)
            guard company + role > 0 else { continue }
            return company > role ? .aboutCompany : .aboutRole
        }
        return .aboutRole
    }

    private static func voiceScores(_ text: String) -> (company: Int, role: Int) {
        let words = normalizedWords(text)
        var found = Set<Int>()
        for position in words.indices {
            for (index, phrase) in voicePhrasesByFirstWord[words[position], default: []] {
                let end = position + phrase.count
                if end <= words.count, words[position..<end].elementsEqual(phrase) { found.insert(index) }
            }
        }
        let company = found.count(where: { $0 < companyVoice.count })
        return (company, found.count - company)
    }

    private static let companyVoice = [
        "we are a", "we are an", "we are the", "mission", "our company", "customers", "platform", "our product",
        "our products", "our vision", "our team is", "founded", "headquartered", "backed by", "is a leading",
        "is the leading", "we build", "we make", "we are building", "is building", "we help", "we believe", "startup",
        "startups", "our team", "series a", "series b", "series c", "investors", "raised", "our goal", "company",
        "industry", "transforming", "learn more",
    ]

    private static let roleVoice = [
        "this role", "the role", "in this role", "you will", "we are looking for", "we are seeking", "is seeking",
        "is looking for", "we are hiring", "is hiring", "the ideal candidate", "this position", "the position",
        "reporting to", "responsible for", "your responsibilities",
    ]

    /// Company phrases first, so an index below `companyVoice.count` means company voice.
    private static let voicePhrasesByFirstWord: [String: [(Int, [String])]] = {
        var index: [String: [(Int, [String])]] = [:]
        for (offset, phrase) in (companyVoice + roleVoice).enumerated() {
            let words = normalizedWords(phrase)
            guard let first = words.first else { continue }
            index[first, default: []].append((offset, words))
        }
        return index
    }()
}
