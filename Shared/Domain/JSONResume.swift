import Foundation

/// A résumé in the JSON Resume format (jsonresume.org, schema v1.0.0), limited to the sections Jobsmith maps.
///
/// JSON Resume is the format most CV tools and theme renderers exchange, so it is how a candidate brings
/// an existing CV in and takes the master CV out. Every field is optional because the schema requires
/// none; what Jobsmith needs is checked when converting to a ``MasterCV``, where the error can name the
/// missing field. Sections Jobsmith has no place for (`projects`, `volunteer`, `awards`, …) and unknown
/// keys are ignored on decode rather than rejected, since real files carry theme-specific extras.
///
/// Dates stay text as the schema writes them (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`); the conversion
/// normalises and checks them, so a malformed date is reported with its place instead of failing the
/// whole decode with a type error.
///
/// ```swift
/// let resume = try JSONDecoder().decode(JSONResume.self, from: data)
/// let master = try MasterCV(jsonResume: resume)
/// ```
public struct JSONResume: Codable, Sendable, Equatable {
    /// The schema URL, so validators and renderers know which version the document follows.
    public var schema: String?
    public var basics: Basics?
    public var work: [Work]?
    public var education: [Education]?
    public var skills: [Skill]?
    public var languages: [Language]?
    public var certificates: [Certificate]?
    public var meta: Meta?

    /// The v1.0.0 schema URL, written on export so the document can be validated as what it claims to be.
    public static let schemaURL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"

    public init(
        schema: String? = nil,
        basics: Basics? = nil,
        work: [Work]? = nil,
        education: [Education]? = nil,
        skills: [Skill]? = nil,
        languages: [Language]? = nil,
        certificates: [Certificate]? = nil,
        meta: Meta? = nil
    ) {
        self.schema = schema
        self.basics = basics
        self.work = work
        self.education = education
        self.skills = skills
        self.languages = languages
        self.certificates = certificates
        self.meta = meta
    }

    enum CodingKeys: String, CodingKey {
        case schema = "$schema"
        case basics
        case work
        case education
        case skills
        case languages
        case certificates
        case meta
    }
}

// MARK: - Basics

extension JSONResume {
    /// Who the person is and how to reach them.
    public struct Basics: Codable, Sendable, Equatable {
        public var name: String?
        /// The one-line positioning, for example "Web Developer".
        public var label: String?
        public var email: String?
        public var phone: String?
        /// The personal home page.
        public var url: String?
        public var summary: String?
        public var location: Location?
        public var profiles: [Profile]?

        public init(
            name: String? = nil,
            label: String? = nil,
            email: String? = nil,
            phone: String? = nil,
            url: String? = nil,
            summary: String? = nil,
            location: Location? = nil,
            profiles: [Profile]? = nil
        ) {
            self.name = name
            self.label = label
            self.email = email
            self.phone = phone
            self.url = url
            self.summary = summary
            self.location = location
            self.profiles = profiles
        }
    }

    /// Where the person lives. The street address and postal code are not kept: a CV sent to employers
    /// does not need them.
    public struct Location: Codable, Sendable, Equatable {
        public var city: String?
        /// A state or province.
        public var region: String?
        /// ISO 3166-1 alpha-2, for example "GB".
        public var countryCode: String?

        public init(city: String? = nil, region: String? = nil, countryCode: String? = nil) {
            self.city = city
            self.region = region
            self.countryCode = countryCode
        }
    }

    /// An account on a social or professional network.
    public struct Profile: Codable, Sendable, Equatable {
        /// The network's name, for example "GitHub".
        public var network: String?
        public var username: String?
        public var url: String?

        public init(network: String? = nil, username: String? = nil, url: String? = nil) {
            self.network = network
            self.username = username
            self.url = url
        }
    }
}

// MARK: - Work

extension JSONResume {
    /// One position held at one organisation.
    public struct Work: Codable, Sendable, Equatable {
        /// The organisation's name.
        public var name: String?
        public var position: String?
        public var location: String?
        /// What the organisation is, for example "Social Media Company".
        public var description: String?
        public var url: String?
        public var startDate: String?
        /// Absent while the person still holds the position.
        public var endDate: String?
        public var summary: String?
        public var highlights: [String]?

        public init(
            name: String? = nil,
            position: String? = nil,
            location: String? = nil,
            description: String? = nil,
            url: String? = nil,
            startDate: String? = nil,
            endDate: String? = nil,
            summary: String? = nil,
            highlights: [String]? = nil
        ) {
            self.name = name
            self.position = position
            self.location = location
            self.description = description
            self.url = url
            self.startDate = startDate
            self.endDate = endDate
            self.summary = summary
            self.highlights = highlights
        }

        enum CodingKeys: String, CodingKey {
            case name
            case position
            case location
            case description
            case url
            case startDate
            case endDate
            case summary
            case highlights
        }

        /// The pre-1.0 schema's names for `name` and `url`, which exporters such as older LinkedIn
        /// converters still write.
        private enum LegacyKeys: String, CodingKey {
            case company
            case website
        }

        /// Reads the v1.0.0 keys and falls back to the pre-1.0 `company` and `website`, so an older
        /// export imports instead of failing on a missing company name.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let legacy = try decoder.container(keyedBy: LegacyKeys.self)
            name = try container.decodeIfPresent(String.self, forKey: .name)
                ?? legacy.decodeIfPresent(String.self, forKey: .company)
            position = try container.decodeIfPresent(String.self, forKey: .position)
            location = try container.decodeIfPresent(String.self, forKey: .location)
            description = try container.decodeIfPresent(String.self, forKey: .description)
            url = try container.decodeIfPresent(String.self, forKey: .url)
                ?? legacy.decodeIfPresent(String.self, forKey: .website)
            startDate = try container.decodeIfPresent(String.self, forKey: .startDate)
            endDate = try container.decodeIfPresent(String.self, forKey: .endDate)
            summary = try container.decodeIfPresent(String.self, forKey: .summary)
            highlights = try container.decodeIfPresent([String].self, forKey: .highlights)
        }
    }
}

// MARK: - Education, skills, languages, certificates, meta

extension JSONResume {
    /// A course of study.
    public struct Education: Codable, Sendable, Equatable {
        public var institution: String?
        /// The field of study, for example "Computer Science".
        public var area: String?
        /// The qualification, for example "Bachelor" or "MSc".
        public var studyType: String?
        public var startDate: String?
        public var endDate: String?

        public init(
            institution: String? = nil,
            area: String? = nil,
            studyType: String? = nil,
            startDate: String? = nil,
            endDate: String? = nil
        ) {
            self.institution = institution
            self.area = area
            self.studyType = studyType
            self.startDate = startDate
            self.endDate = endDate
        }
    }

    /// A named skill area and the concrete skills in it.
    public struct Skill: Codable, Sendable, Equatable {
        /// The area, for example "Web Development".
        public var name: String?
        /// A self-assessed level, for example "Master". Not imported: the master CV ranks skills by where
        /// they were used, not by a self-rating.
        public var level: String?
        public var keywords: [String]?

        public init(name: String? = nil, level: String? = nil, keywords: [String]? = nil) {
            self.name = name
            self.level = level
            self.keywords = keywords
        }
    }

    /// A spoken language.
    public struct Language: Codable, Sendable, Equatable {
        public var language: String?
        /// For example "Native speaker" or "Fluent".
        public var fluency: String?

        public init(language: String? = nil, fluency: String? = nil) {
            self.language = language
            self.fluency = fluency
        }
    }

    /// A professional certificate.
    public struct Certificate: Codable, Sendable, Equatable {
        public var name: String?
        public var date: String?
        public var issuer: String?
        public var url: String?

        public init(name: String? = nil, date: String? = nil, issuer: String? = nil, url: String? = nil) {
            self.name = name
            self.date = date
            self.issuer = issuer
            self.url = url
        }
    }

    /// Tooling information; Jobsmith keeps the master CV's version label here.
    public struct Meta: Codable, Sendable, Equatable {
        public var canonical: String?
        public var version: String?
        public var lastModified: String?

        public init(canonical: String? = nil, version: String? = nil, lastModified: String? = nil) {
            self.canonical = canonical
            self.version = version
            self.lastModified = lastModified
        }
    }
}
