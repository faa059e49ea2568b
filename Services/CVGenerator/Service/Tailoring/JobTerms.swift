import Domain
import JobAnalysis
import TextAnalysis

/// The master CV's terms that a posting asks for, each with the weight it carries when achievements
/// are scored.
///
/// Matching goes through the shared ``SkillTaxonomy`` as well as word for word, so the CV's
/// "Postgres" answers a posting's "PostgreSQL" and "k8s" answers "Kubernetes"; the master CV's own
/// spelling is what gets printed. Terms that name the same taxonomy skill count once.
///
/// Weights follow where the posting asks for a term: a required skill or a term the user emphasised
/// (named on its own, or within a passage the user marked) weighs 3, a preferred (nice-to-have) skill
/// or an interpersonal skill the analysis lists 1.5, one of the analysis' top keywords 1, and a term the
/// text merely mentions 0.5. With no analysis and no emphasis every matched term weighs 1, which is
/// the writer's original behaviour.
struct JobTerms {
    static let requiredWeight = 3.0
    static let emphasisWeight = 3.0
    static let preferredWeight = 1.5
    static let topKeywordWeight = 1.0
    static let mentionedWeight = 0.5

    /// Matched terms in the master CV's spelling, most prominent in the posting first.
    let matched: [String]
    /// Identity (see ``identity(of:)``) of every matched term.
    let matchedIdentities: Set<String>
    /// Weight by identity.
    private let weights: [String: Double]
    /// Finds any spelling (the master CV's, the taxonomy's name or aliases) of a matched term.
    private let matcher: KeywordMatcher
    /// Spelling given to `matcher` → identity of the matched term it stands for.
    private let identityBySpelling: [String: String]
    private let taxonomy: SkillTaxonomy

    init(job: JobForCV, master: MasterCV, taxonomy: SkillTaxonomy = .standard) {
        self.taxonomy = taxonomy
        let jobText = job.title + "\n" + job.descriptionText
        let vocabulary = Self.vocabulary(of: master)
        // A posting names its own company throughout ("At Docker, we..."); that is not a skill it asks for.
        let companyKey = KeywordMatcher.key(for: job.company)
        let companySkill = taxonomy.entry(named: job.company).map { KeywordMatcher.key(for: $0.name) }
        func isCompany(_ identity: String, _ term: String) -> Bool {
            (!companyKey.isEmpty && KeywordMatcher.key(for: term) == companyKey) || identity == companySkill
        }

        // Word-for-word matches, then skills the posting names under another spelling.
        struct Found {
            var term: String
            var occurrences: Int
            var firstPosition: Int
            var order: Int
        }
        // One spelling per skill: the first the master CV uses, so a skill keeps its skills-list spelling
        // even when the posting uses the spelling of an achievement's keyword ("Postgres").
        var first: [String: (term: String, order: Int)] = [:]
        for (position, term) in vocabulary.enumerated() where first[Self.identity(of: term, in: taxonomy)] == nil {
            first[Self.identity(of: term, in: taxonomy)] = (term, position)
        }
        var byIdentity: [String: Found] = [:]
        let vocabularyMatcher = KeywordMatcher(terms: vocabulary)
        for match in vocabularyMatcher.matches(in: jobText) {
            let identity = Self.identity(of: match.term, in: taxonomy)
            guard let spelling = first[identity], !isCompany(identity, match.term), byIdentity[identity] == nil else { continue }
            byIdentity[identity] = Found(
                term: spelling.term, occurrences: match.occurrences, firstPosition: match.firstPosition, order: spelling.order)
        }
        var mentions: [String: SkillTaxonomy.Mention] = [:]
        for mention in taxonomy.mentions(in: jobText) { mentions[KeywordMatcher.key(for: mention.skill.name)] = mention }
        for (position, term) in vocabulary.enumerated() {
            let identity = Self.identity(of: term, in: taxonomy)
            guard byIdentity[identity] == nil, !isCompany(identity, term), let mention = mentions[identity] else { continue }
            // Only skills the taxonomy knows match under another spelling.
            guard taxonomy.entry(named: term) != nil else { continue }
            byIdentity[identity] = Found(
                term: term, occurrences: mention.occurrences, firstPosition: mention.firstPosition, order: position)
        }

        // What the analysis and the user single out, by identity.
        var asked: [String: Double] = [:]
        func ask(_ terms: [String], _ weight: Double) {
            for term in terms {
                for identity in [Self.identity(of: term, in: taxonomy), KeywordMatcher.key(for: term)] where !identity.isEmpty {
                    asked[identity] = max(asked[identity] ?? 0, weight)
                }
            }
        }
        if let analysis = job.analysis {
            ask(analysis.topKeywords, Self.topKeywordWeight)
            // Interpersonal skills the posting asks for ("mentoring", "leadership") count like preferred ones.
            ask(analysis.softSkills, Self.preferredWeight)
            ask(analysis.preferredSkills, Self.preferredWeight)
            ask(analysis.requiredSkills, Self.requiredWeight)
        }
        ask(job.emphasis, Self.emphasisWeight)
        // A marked passage ("5+ years running Kafka in production") stresses the terms it names, in
        // the master CV's spelling or any the taxonomy knows.
        for passage in job.emphasis {
            ask(vocabularyMatcher.matches(in: passage).map(\.term), Self.emphasisWeight)
            ask(taxonomy.mentions(in: passage).map(\.skill.name), Self.emphasisWeight)
        }
        // A skill the analysis or the user names counts even when the text spells it in a way the
        // matchers missed; it ranks after everything the text itself names.
        for (position, term) in vocabulary.enumerated() {
            let identity = Self.identity(of: term, in: taxonomy)
            guard byIdentity[identity] == nil, !isCompany(identity, term),
                asked[identity] != nil || asked[KeywordMatcher.key(for: term)] != nil
            else { continue }
            byIdentity[identity] = Found(term: term, occurrences: 0, firstPosition: Int.max, order: position)
        }

        let sorted = byIdentity.sorted { lhs, rhs in
            let left = lhs.value
            let right = rhs.value
            if left.occurrences != right.occurrences { return left.occurrences > right.occurrences }
            if left.firstPosition != right.firstPosition { return left.firstPosition < right.firstPosition }
            return left.order < right.order
        }
        matched = sorted.map(\.value.term)
        matchedIdentities = Set(byIdentity.keys)

        let weighted = job.analysis != nil || !job.emphasis.isEmpty
        var weights: [String: Double] = [:]
        for (identity, found) in byIdentity {
            let own = max(asked[identity] ?? 0, asked[KeywordMatcher.key(for: found.term)] ?? 0)
            weights[identity] = weighted ? max(own, Self.mentionedWeight) : 1
        }
        self.weights = weights

        // Every spelling of a matched term, so an achievement's "Postgres" counts for "PostgreSQL".
        var identityBySpelling: [String: String] = [:]
        var spellings: [String] = []
        var caseSensitive = Set<String>()
        for (identity, found) in sorted {
            var forms = [found.term]
            if let skill = taxonomy.entry(named: found.term) {
                forms += [skill.name] + skill.aliases
                if skill.caseSensitive { caseSensitive.formUnion([skill.name] + skill.aliases) }
            }
            for form in forms where identityBySpelling[form] == nil {
                identityBySpelling[form] = identity
                spellings.append(form)
            }
        }
        // The master CV's own spelling is matched as the CV writes it, even if the taxonomy's is case-sensitive.
        caseSensitive.subtract(sorted.map(\.value.term))
        self.identityBySpelling = identityBySpelling
        matcher = KeywordMatcher(terms: spellings, caseSensitive: caseSensitive)
    }

    /// Every term the candidate claims: skills first so they keep the master CV's spelling.
    static func vocabulary(of master: MasterCV) -> [String] {
        master.skills.flatMap(\.skills)
            + master.roles.flatMap(\.skills)
            + master.roles.flatMap(\.keywords)
            + master.roles.flatMap { $0.achievements.flatMap(\.keywords) }
    }

    /// What a term stands for: the matcher key of its taxonomy skill's name, or of the term itself when
    /// the taxonomy does not know it. "Postgres" and "PostgreSQL" have one identity.
    static func identity(of term: String, in taxonomy: SkillTaxonomy) -> String {
        KeywordMatcher.key(for: taxonomy.entry(named: term)?.name ?? term)
    }

    func identity(of term: String) -> String {
        Self.identity(of: term, in: taxonomy)
    }

    /// The weight of a matched term by its identity; 0 for a term the posting does not ask for.
    func weight(ofIdentity identity: String) -> Double {
        weights[identity] ?? 0
    }

    /// The identities of the matched terms `text` mentions, in any spelling.
    func mentioned(in text: String) -> Set<String> {
        Set(matcher.matches(in: text).compactMap { identityBySpelling[$0.term] })
    }

    /// The summed weight of the matched terms `text` mentions.
    func weightedMentions(in text: String) -> Double {
        mentioned(in: text).reduce(0) { $0 + weight(ofIdentity: $1) }
    }
}
