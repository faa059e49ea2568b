import Foundation

/// The candidate's complete, truthful career record that every tailored CV is cut from.
///
/// Tailoring only selects, orders and phrases what is recorded here: each achievement carries a
/// *core fact* (the truth) and *variants* (the same fact told for different readers), so the CV
/// generator can fit a posting without ever printing a number or a skill this record lacks. The JSON
/// keys are snake_case and spelled out in `CodingKeys`, so renaming a Swift property never changes the
/// file format users edit by hand.
///
/// The nested types live inside `MasterCV` because the `Domain` module is shared by every service and
/// plain names such as `Role` or `Link` would collide with other concepts there.
///
/// ```swift
/// let master = try MasterCV.load(from: URL(fileURLWithPath: "samples/master-cv.json"))
/// print(master.roles.count)
/// ```
public struct MasterCV: Codable, Sendable, Equatable {
    /// Who the candidate is and how to reach them.
    public var candidate: Candidate
    /// Positions held, most recent first.
    public var roles: [Role]
    /// The skills taxonomy, grouped the way the candidate wants them shown.
    public var skills: [SkillGroup]
    /// A free-form label of this revision, so a generated CV can say which master CV it came from.
    public var version: String?

    public init(candidate: Candidate, roles: [Role], skills: [SkillGroup], version: String? = nil) {
        self.candidate = candidate
        self.roles = roles
        self.skills = skills
        self.version = version
    }

    enum CodingKeys: String, CodingKey {
        case candidate
        case roles
        case skills
        case version
    }
}

// MARK: - Candidate

extension MasterCV {
    /// The person: identity, contacts and the background that is not tied to one role.
    public struct Candidate: Codable, Sendable, Equatable {
        public var name: String
        /// The candidate's own one-line positioning; a tailored CV puts the posting's title beside it.
        public var headline: String
        public var email: String
        public var phone: String?
        public var location: String
        public var links: [Link]
        /// Spoken languages with the level, as the candidate writes them (for example "German (fluent)").
        public var languages: [String]
        public var education: [Education]
        public var certifications: [String]
        /// The candidate's own summary; tailored summaries are cut from its sentences, never rewritten.
        public var summary: String

        public init(
            name: String,
            headline: String,
            email: String,
            phone: String? = nil,
            location: String,
            links: [Link] = [],
            languages: [String] = [],
            education: [Education] = [],
            certifications: [String] = [],
            summary: String
        ) {
            self.name = name
            self.headline = headline
            self.email = email
            self.phone = phone
            self.location = location
            self.links = links
            self.languages = languages
            self.education = education
            self.certifications = certifications
            self.summary = summary
        }

        enum CodingKeys: String, CodingKey {
            case name
            case headline
            case email
            case phone
            case location
            case links
            case languages
            case education
            case certifications
            case summary
        }
    }

    /// A labelled web address (portfolio, code host, professional profile).
    public struct Link: Codable, Sendable, Equatable {
        public var label: String
        /// Kept as text, not `URL`, so an odd but harmless address does not make the whole file unreadable.
        public var url: String

        public init(label: String, url: String) {
            self.label = label
            self.url = url
        }

        enum CodingKeys: String, CodingKey {
            case label
            case url
        }
    }

    /// A degree or diploma.
    public struct Education: Codable, Sendable, Equatable {
        public var institution: String
        public var degree: String
        public var field: String?
        public var startYear: Int?
        public var endYear: Int?

        public init(institution: String, degree: String, field: String? = nil, startYear: Int? = nil, endYear: Int? = nil) {
            self.institution = institution
            self.degree = degree
            self.field = field
            self.startYear = startYear
            self.endYear = endYear
        }

        enum CodingKeys: String, CodingKey {
            case institution
            case degree
            case field
            case startYear = "start_year"
            case endYear = "end_year"
        }
    }
}

// MARK: - Roles and achievements

extension MasterCV {
    /// One position held at one company.
    public struct Role: Codable, Sendable, Equatable {
        public var company: String
        public var title: String
        public var location: String?
        /// First month in the role, `YYYY-MM`.
        public var start: String
        /// Last month in the role, `YYYY-MM`; `nil` means the candidate still holds it.
        public var end: String?
        public var industry: String?
        /// Themes of the role as a whole (for example "payments", "platform engineering").
        public var keywords: [String]
        /// Skills used in the role; they count as the candidate's skills when matching a posting.
        public var skills: [String]
        /// What the candidate did, in the order the candidate ranks them.
        public var achievements: [Achievement]

        public init(
            company: String,
            title: String,
            location: String? = nil,
            start: String,
            end: String? = nil,
            industry: String? = nil,
            keywords: [String] = [],
            skills: [String] = [],
            achievements: [Achievement] = []
        ) {
            self.company = company
            self.title = title
            self.location = location
            self.start = start
            self.end = end
            self.industry = industry
            self.keywords = keywords
            self.skills = skills
            self.achievements = achievements
        }

        enum CodingKeys: String, CodingKey {
            case company
            case title
            case location
            case start
            case end
            case industry
            case keywords
            case skills
            case achievements
        }
    }

    /// One accomplishment: the fact itself, the ways it may be told, and what it is about.
    public struct Achievement: Codable, Sendable, Equatable {
        /// Stable identifier, unique across the whole master CV, so a generated CV can record what it used.
        public var id: String
        /// The truth, with its real numbers. Every variant must stay within it.
        public var coreFact: String
        public var variants: [Variant]
        public var keywords: [String]
        /// The achievement's metrics as the candidate states them, for checks that a generated text kept them.
        public var metrics: [String]?

        public init(id: String, coreFact: String, variants: [Variant] = [], keywords: [String] = [], metrics: [String]? = nil) {
            self.id = id
            self.coreFact = coreFact
            self.variants = variants
            self.keywords = keywords
            self.metrics = metrics
        }

        enum CodingKeys: String, CodingKey {
            case id
            case coreFact = "core_fact"
            case variants
            case keywords
            case metrics
        }
    }

    /// The core fact retold with one emphasis.
    public struct Variant: Codable, Sendable, Equatable {
        public var type: VariantType
        public var text: String

        public init(type: VariantType, text: String) {
            self.type = type
            self.text = text
        }

        enum CodingKeys: String, CodingKey {
            case type
            case text
        }
    }

    /// The emphasis of a variant, so tailoring can prefer, say, leadership wording for a manager role.
    public enum VariantType: String, Codable, Sendable, CaseIterable {
        case technical
        case architecture
        case impact
        case leadership
        case short

        /// Accepts any letter case ("Technical" is how the old system wrote them) and names the allowed
        /// values when the text is none of them, since this file is edited by hand.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let value = VariantType(rawValue: text.lowercased()) else {
                let allowed = VariantType.allCases.map(\.rawValue).joined(separator: ", ")
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription: "unknown variant type '\(text)'; expected one of \(allowed)"
                )
            }
            self = value
        }
    }
}

// MARK: - Skills

extension MasterCV {
    /// A named group of skills, shown as one line of the CV's skills section.
    public struct SkillGroup: Codable, Sendable, Equatable {
        public var category: String
        public var skills: [String]

        public init(category: String, skills: [String]) {
            self.category = category
            self.skills = skills
        }

        enum CodingKeys: String, CodingKey {
            case category
            case skills
        }
    }
}
