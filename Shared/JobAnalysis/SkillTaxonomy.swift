import Foundation
import TextAnalysis

/// The skills Jobsmith recognises, each with its canonical name and the other names postings and CVs
/// use for it ("k8s" → Kubernetes, "Amazon Web Services" → AWS).
///
/// Comparing a posting with a CV only works when both speak of a skill by one name: a CV that says
/// "Postgres" has the "PostgreSQL" the posting asks for. The taxonomy is data
/// (`Resources/skills.json`, compiled into the binary) so it can grow without code changes.
///
/// ```swift
/// let taxonomy = SkillTaxonomy.standard
/// taxonomy.entry(named: "k8s")?.name                          // "Kubernetes"
/// taxonomy.mentions(in: "Postgres and AWS").map(\.skill.name)  // ["PostgreSQL", "AWS"]
/// ```
public struct SkillTaxonomy: Sendable {
    /// One skill.
    public struct Skill: Codable, Sendable, Hashable {
        /// The canonical name, as the skill is shown everywhere.
        public var name: String
        public var aliases: [String]
        /// A narrow group such as `database`, `crm` or `soft`.
        public var category: String
        /// The job family the skill belongs to; `soft` for interpersonal skills.
        public var family: SkillFamily
        /// Whether the name and aliases only count when capitalised as written (the skill "Go", the
        /// verb "go").
        public var caseSensitive: Bool

        public init(name: String, aliases: [String] = [], category: String, family: SkillFamily, caseSensitive: Bool = false) {
            self.name = name
            self.aliases = aliases
            self.category = category
            self.family = family
            self.caseSensitive = caseSensitive
        }

        public var isSoft: Bool { family == .soft }

        enum CodingKeys: String, CodingKey {
            case name, aliases, category, family
            case caseSensitive = "case_sensitive"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            aliases = try container.decodeIfPresent([String].self, forKey: .aliases) ?? []
            category = try container.decode(String.self, forKey: .category)
            family = try container.decode(SkillFamily.self, forKey: .family)
            caseSensitive = try container.decodeIfPresent(Bool.self, forKey: .caseSensitive) ?? false
        }
    }

    /// A skill found in a text.
    public struct Mention: Sendable, Equatable {
        public var skill: Skill
        /// Occurrences of the name and all aliases together.
        public var occurrences: Int
        /// Token position of the first occurrence.
        public var firstPosition: Int
    }

    public let skills: [Skill]
    private let matcher: KeywordMatcher
    /// Every spelling (name or alias) as given to the matcher → the skill's index.
    private let indexBySpelling: [String: Int]
    /// Every spelling's matcher key → the skill's index, for looking up a single term.
    private let indexByKey: [String: Int]
    /// Every spelling without spaces, dots and hyphens → the skill's index ("nodejs" → Node.js), for
    /// spellings that differ only in those; absent when two skills would share one.
    private let indexByCompact: [String: Int]

    /// - Throws: ``SkillTaxonomyError`` when two skills share a name or an alias.
    public init(skills: [Skill]) throws {
        var indexBySpelling: [String: Int] = [:]
        var indexByKey: [String: Int] = [:]
        var caseSensitive = Set<String>()
        var indexByCompact: [String: Int] = [:]
        var ambiguousCompact = Set<String>()
        for (index, skill) in skills.enumerated() {
            for spelling in [skill.name] + skill.aliases {
                let compact = Self.compact(spelling)
                if let other = indexByCompact[compact], other != index { ambiguousCompact.insert(compact) }
                indexByCompact[compact] = index
                let key = KeywordMatcher.key(for: spelling)
                guard !key.isEmpty else { throw SkillTaxonomyError.emptySpelling(skill: skill.name) }
                if let other = indexByKey[key], other != index {
                    throw SkillTaxonomyError.sharedSpelling(spelling, first: skills[other].name, second: skill.name)
                }
                indexByKey[key] = index
                indexBySpelling[spelling] = index
                if skill.caseSensitive { caseSensitive.insert(spelling) }
            }
        }
        self.skills = skills
        self.indexBySpelling = indexBySpelling
        self.indexByKey = indexByKey
        self.indexByCompact = indexByCompact.filter { !ambiguousCompact.contains($0.key) }
        matcher = KeywordMatcher(terms: skills.flatMap { [$0.name] + $0.aliases }, caseSensitive: caseSensitive)
    }

    /// Reads the `{"version": 1, "skills": [...]}` file format.
    public init(json: [UInt8]) throws {
        try self.init(skills: try JSONDecoder().decode(TaxonomyFile.self, from: Data(json)).skills)
    }

    private struct TaxonomyFile: Decodable {
        var skills: [Skill]
    }

    /// The taxonomy that ships with Jobsmith.
    public static let standard: SkillTaxonomy = {
        do {
            return try SkillTaxonomy(json: PackageResources.skills_json)
        } catch {
            // The file is compiled in and checked by the test suite; a bad one is a build defect.
            preconditionFailure("The bundled skill taxonomy is invalid: \(error)")
        }
    }()

    /// The skill a name or alias stands for, ignoring case, spacing and dots ("node js" → Node.js).
    public func entry(named term: String) -> Skill? {
        (indexByKey[KeywordMatcher.key(for: term)] ?? indexByCompact[Self.compact(term)]).map { skills[$0] }
    }

    private static func compact(_ spelling: String) -> String {
        String(spelling.lowercased().unicodeScalars.filter { $0 != " " && $0 != "." && $0 != "-" }.map(Character.init))
    }

    /// The skills a text mentions, under their canonical names, most frequent first.
    public func mentions(in text: String) -> [Mention] {
        var byIndex: [Int: Mention] = [:]
        var order: [Int] = []
        for match in matcher.matches(in: text) {
            guard let index = indexBySpelling[match.term] else { continue }
            if var known = byIndex[index] {
                known.occurrences += match.occurrences
                known.firstPosition = min(known.firstPosition, match.firstPosition)
                byIndex[index] = known
            } else {
                byIndex[index] = Mention(skill: skills[index], occurrences: match.occurrences, firstPosition: match.firstPosition)
                order.append(index)
            }
        }
        return order.compactMap { byIndex[$0] }.sorted { lhs, rhs in
            lhs.occurrences != rhs.occurrences ? lhs.occurrences > rhs.occurrences : lhs.firstPosition < rhs.firstPosition
        }
    }
}

/// The job family a skill belongs to.
public enum SkillFamily: String, Codable, Sendable, CaseIterable {
    case engineering, data, design, product, sales, marketing, finance, operations, people, support, legal, security, soft
}

public enum SkillTaxonomyError: Error, CustomStringConvertible, Equatable {
    case sharedSpelling(String, first: String, second: String)
    case emptySpelling(skill: String)

    public var description: String {
        switch self {
        case let .sharedSpelling(spelling, first, second):
            "The spelling \"\(spelling)\" names both \(first) and \(second)"
        case let .emptySpelling(skill):
            "\(skill) has a name or alias with no letters or digits"
        }
    }
}
