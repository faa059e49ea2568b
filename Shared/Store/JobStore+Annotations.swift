import Foundation
import Postgres

/// A span of a job description the user marked, with what it means to them.
///
/// The span is addressed by the section it lies in (its index in the extraction's sections) and
/// UTF-16 offsets into that section's text, the same unit the sections themselves use, because the UI
/// that draws the highlights is JavaScript. The quote is the marked text itself, kept so that the CV
/// generator can read what was marked without the description at hand.
public struct JobAnnotation: Encodable, Sendable, Equatable {
    /// How well the marked text matches the candidate.
    public enum Relevance: String, Codable, Sendable, CaseIterable {
        case coreStrength = "core_strength"
        case extremelyRelevant = "extremely_relevant"
        case relevant
        case tangential
        case gap
    }

    /// What the posting makes of the marked text.
    public enum RequirementType: String, Codable, Sendable, CaseIterable {
        case mustHave = "must_have"
        case niceToHave = "nice_to_have"
        case disqualifier
        case neutral
    }

    /// How the candidate feels about doing it.
    public enum Passion: String, Codable, Sendable, CaseIterable {
        case loveIt = "love_it"
        case enjoy
        case neutral
        case tolerate
        case avoid
    }

    /// How much it is part of who the candidate is professionally.
    public enum Identity: String, Codable, Sendable, CaseIterable {
        case coreIdentity = "core_identity"
        case strongIdentity = "strong_identity"
        case developing
        case peripheral
        case notIdentity = "not_identity"
    }

    public var id: Int
    public var jobID: Int
    public var span: AnnotationSpan
    public var labels: AnnotationLabels
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: Int, jobID: Int, span: AnnotationSpan, labels: AnnotationLabels, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.jobID = jobID
        self.span = span
        self.labels = labels
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, start, end, quote, relevance, passion, identity, note
        case jobID = "job_id"
        case sectionIndex = "section_index"
        case sectionType = "section_type"
        case requirementType = "requirement_type"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    /// One flat object, as the API shows it; labels that are not set are written as `null` so that
    /// clients see every field.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(jobID, forKey: .jobID)
        try container.encode(span.sectionIndex, forKey: .sectionIndex)
        try container.encode(span.sectionType, forKey: .sectionType)
        try container.encode(span.start, forKey: .start)
        try container.encode(span.end, forKey: .end)
        try container.encode(span.quote, forKey: .quote)
        try container.encode(labels.relevance, forKey: .relevance)
        try container.encode(labels.requirementType, forKey: .requirementType)
        try container.encode(labels.passion, forKey: .passion)
        try container.encode(labels.identity, forKey: .identity)
        try container.encode(labels.note, forKey: .note)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// Where an annotation lies: a section and a range of UTF-16 offsets into its text, with the text.
public struct AnnotationSpan: Sendable, Equatable {
    public var sectionIndex: Int
    /// The section's type when the span was marked (`responsibilities`, `qualifications`, …).
    public var sectionType: String
    public var start: Int
    public var end: Int
    public var quote: String

    public init(sectionIndex: Int, sectionType: String, start: Int, end: Int, quote: String) {
        self.sectionIndex = sectionIndex
        self.sectionType = sectionType
        self.start = start
        self.end = end
        self.quote = quote
    }
}

/// What the user said about a span; every label is optional, and the note is empty when not written.
public struct AnnotationLabels: Sendable, Equatable {
    public var relevance: JobAnnotation.Relevance?
    public var requirementType: JobAnnotation.RequirementType?
    public var passion: JobAnnotation.Passion?
    public var identity: JobAnnotation.Identity?
    public var note: String

    public init(
        relevance: JobAnnotation.Relevance? = nil,
        requirementType: JobAnnotation.RequirementType? = nil,
        passion: JobAnnotation.Passion? = nil,
        identity: JobAnnotation.Identity? = nil,
        note: String = ""
    ) {
        self.relevance = relevance
        self.requirementType = requirementType
        self.passion = passion
        self.identity = identity
        self.note = note
    }

    /// Whether the user said anything at all: an annotation with no label and no note means nothing.
    public var isEmpty: Bool {
        relevance == nil && requirementType == nil && passion == nil && identity == nil
            && note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }

    /// Whether the span names something the candidate wants the CV to stress: a strength the user
    /// rated relevant or a requirement the posting insists on, but never a gap or a disqualifier.
    public var marksEmphasis: Bool {
        if relevance == .gap || requirementType == .disqualifier { return false }
        return [.coreStrength, .extremelyRelevant, .relevant].contains(relevance) || requirementType == .mustHave
    }
}

/// A partial update of an annotation: fields left `.keep` are not written at all, so an edit of one
/// label cannot blank another, even when two clients edit the same annotation at once.
public struct AnnotationChanges: Sendable, Equatable {
    /// One field of the update: kept as stored, or set (to `nil` to clear a label).
    public enum Field<Value: Sendable & Equatable>: Sendable, Equatable {
        case keep
        case set(Value)

        /// The field's value after the update.
        public func applied(to current: Value) -> Value {
            if case .set(let value) = self { return value }
            return current
        }
    }

    /// A new place for the annotation, already checked against the section's text; nil keeps it.
    public var span: AnnotationSpan?
    public var relevance: Field<JobAnnotation.Relevance?>
    public var requirementType: Field<JobAnnotation.RequirementType?>
    public var passion: Field<JobAnnotation.Passion?>
    public var identity: Field<JobAnnotation.Identity?>
    public var note: Field<String>

    public init(
        span: AnnotationSpan? = nil,
        relevance: Field<JobAnnotation.Relevance?> = .keep,
        requirementType: Field<JobAnnotation.RequirementType?> = .keep,
        passion: Field<JobAnnotation.Passion?> = .keep,
        identity: Field<JobAnnotation.Identity?> = .keep,
        note: Field<String> = .keep
    ) {
        self.span = span
        self.relevance = relevance
        self.requirementType = requirementType
        self.passion = passion
        self.identity = identity
        self.note = note
    }

    /// The labels these changes leave on an annotation that has `labels` now.
    public func applied(to labels: AnnotationLabels) -> AnnotationLabels {
        AnnotationLabels(
            relevance: relevance.applied(to: labels.relevance),
            requirementType: requirementType.applied(to: labels.requirementType),
            passion: passion.applied(to: labels.passion),
            identity: identity.applied(to: labels.identity),
            note: note.applied(to: labels.note)
        )
    }
}

/// How much of a job's description the user has annotated: per section type against a target, and
/// per section so a UI can put an indicator on each.
public struct AnnotationCoverage: Encodable, Sendable, Equatable {
    /// Annotations wanted per section type before its coverage counts as complete; other types are
    /// counted without a target.
    public static let targets: [(type: String, annotations: Int)] = [
        ("responsibilities", 5),
        ("qualifications", 5),
        ("technical_skills", 4),
        ("nice_to_have", 2),
    ]

    public struct TypeCoverage: Encodable, Sendable, Equatable {
        public var sectionType: String
        /// How many of the job's sections have this type.
        public var sections: Int
        public var annotations: Int
        /// `nil` for a type without a target.
        public var target: Int?
        /// `annotations / target`, at most 1; `nil` without a target.
        public var fraction: Double?

        enum CodingKeys: String, CodingKey {
            case sections, annotations, target, fraction
            case sectionType = "section_type"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(sectionType, forKey: .sectionType)
            try container.encode(sections, forKey: .sections)
            try container.encode(annotations, forKey: .annotations)
            try container.encode(target, forKey: .target)
            try container.encode(fraction, forKey: .fraction)
        }
    }

    public struct SectionCoverage: Encodable, Sendable, Equatable {
        public var sectionIndex: Int
        public var sectionType: String
        public var title: String?
        public var annotations: Int

        public init(sectionIndex: Int, sectionType: String, title: String?, annotations: Int) {
            self.sectionIndex = sectionIndex
            self.sectionType = sectionType
            self.title = title
            self.annotations = annotations
        }

        enum CodingKeys: String, CodingKey {
            case title, annotations
            case sectionIndex = "section_index"
            case sectionType = "section_type"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(sectionIndex, forKey: .sectionIndex)
            try container.encode(sectionType, forKey: .sectionType)
            try container.encode(title, forKey: .title)
            try container.encode(annotations, forKey: .annotations)
        }
    }

    /// The section types the job has: the targeted ones first in the order of ``targets``, then the
    /// others in the order they first appear.
    public var byType: [TypeCoverage]
    /// Every section of the job, in order.
    public var bySection: [SectionCoverage]
    /// Of all the targeted types the job has, the share of their targets met (each type counting at
    /// most its target); `nil` when the job has none of them.
    public var overall: Double?

    enum CodingKeys: String, CodingKey {
        case overall
        case byType = "by_type"
        case bySection = "by_section"
    }

    /// Coverage of a job whose sections, in order, have these annotation counts.
    public init(sections: [SectionCoverage]) {
        bySection = sections
        var types: [String] = []
        var sectionCount: [String: Int] = [:]
        var annotationCount: [String: Int] = [:]
        for section in sections {
            if sectionCount[section.sectionType] == nil { types.append(section.sectionType) }
            sectionCount[section.sectionType, default: 0] += 1
            annotationCount[section.sectionType, default: 0] += section.annotations
        }
        let targeted = Self.targets.map(\.type).filter { sectionCount[$0] != nil }
        let untargeted = types.filter { type in !Self.targets.contains { $0.type == type } }
        let target = Dictionary(uniqueKeysWithValues: Self.targets.map { ($0.type, $0.annotations) })
        byType = (targeted + untargeted).map { type in
            let count = annotationCount[type] ?? 0
            return TypeCoverage(
                sectionType: type,
                sections: sectionCount[type] ?? 0,
                annotations: count,
                target: target[type],
                fraction: target[type].map { min(1, Double(count) / Double($0)) }
            )
        }
        let wanted = targeted.reduce(0) { $0 + (target[$1] ?? 0) }
        let met = targeted.reduce(0) { $0 + min(annotationCount[$1] ?? 0, target[$1] ?? 0) }
        overall = wanted == 0 ? nil : Double(met) / Double(wanted)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(byType, forKey: .byType)
        try container.encode(bySection, forKey: .bySection)
        try container.encode(overall, forKey: .overall)
    }
}

extension JobStore {
    /// A job's description as annotations address it.
    public struct AnnotatableDescription: Sendable {
        public struct Section: Sendable, Equatable {
            public var index: Int
            public var type: String
            public var title: String?
            /// The section's text, its header line included, exactly as offsets count it.
            public var text: String
        }

        /// Whether extraction has structured the description: before it has, there are no sections
        /// to annotate.
        public var isStructured: Bool
        public var sections: [Section]
    }

    /// The sections of a job's description with their text, or nil when there is no such job.
    public func annotatableDescription(jobID: Int) async throws -> AnnotatableDescription? {
        guard let row = try await database.query(
            "SELECT e.clean_text, e.sections FROM jobs j LEFT JOIN job_extractions e ON e.job_id = j.id WHERE j.id = $1",
            [jobID]
        ).first else { return nil }
        guard let sectionsJSON = try row.decode("sections", as: PostgresJSONValue?.self) else {
            return AnnotatableDescription(isStructured: false, sections: [])
        }
        // The extraction service's section shape, read here without its module: only what locates a section.
        struct StoredSection: Decodable {
            var type: String
            var title: String?
            var start: Int
            var end: Int
        }
        let text: String = try row.decode("clean_text")
        let utf16 = text.utf16
        let sections = try sectionsJSON.decode([StoredSection].self).enumerated().map { index, section in
            let lower = utf16.index(utf16.startIndex, offsetBy: max(0, section.start), limitedBy: utf16.endIndex) ?? utf16.endIndex
            let upper = utf16.index(lower, offsetBy: max(0, section.end - section.start), limitedBy: utf16.endIndex) ?? utf16.endIndex
            return AnnotatableDescription.Section(index: index, type: section.type, title: section.title, text: String(text[lower..<upper]))
        }
        return AnnotatableDescription(isStructured: true, sections: sections)
    }

    // MARK: - Annotations

    private static let annotationColumns = """
        id, job_id, section_index, section_type, start_offset, end_offset, quote, relevance, requirement_type, passion,
        identity, note, created_at, updated_at
        """

    /// A job's annotations in reading order: by section, then by where they start.
    public func annotations(jobID: Int) async throws -> [JobAnnotation] {
        try await database.query(
            "SELECT \(Self.annotationColumns) FROM job_annotations WHERE job_id = $1 ORDER BY section_index, start_offset, end_offset, id",
            [jobID]
        ).map(Self.annotation(from:))
    }

    /// One annotation of a job; nil when there is none with that id on that job.
    public func annotation(id: Int, jobID: Int) async throws -> JobAnnotation? {
        try await database.query(
            "SELECT \(Self.annotationColumns) FROM job_annotations WHERE id = $1 AND job_id = $2", [id, jobID]
        ).first.map(Self.annotation(from:))
    }

    /// Adds an annotation to a job; the span must already have been checked against the section.
    public func createAnnotation(jobID: Int, span: AnnotationSpan, labels: AnnotationLabels) async throws -> JobAnnotation {
        let rows = try await database.query(
            """
            INSERT INTO job_annotations (job_id, section_index, section_type, start_offset, end_offset, quote,
                                         relevance, requirement_type, passion, identity, note)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            RETURNING \(Self.annotationColumns)
            """,
            [jobID, span.sectionIndex, span.sectionType, span.start, span.end, span.quote,
             labels.relevance?.rawValue, labels.requirementType?.rawValue, labels.passion?.rawValue, labels.identity?.rawValue, labels.note]
        )
        guard let row = rows.first else { throw PostgresError.decoding("inserting an annotation returned no row") }
        return try Self.annotation(from: row)
    }

    /// Applies a partial update to one annotation of a job, writing only the fields it sets.
    ///
    /// - Returns: The annotation as stored afterwards, or nil when the job has no annotation `id`.
    public func updateAnnotation(id: Int, jobID: Int, _ changes: AnnotationChanges) async throws -> JobAnnotation? {
        // Each label has a flag saying whether to write it, so that `null` can clear a label while an
        // absent field leaves it alone; the span's columns are all set or all kept.
        func flagged<Value: RawRepresentable<String>>(_ field: AnnotationChanges.Field<Value?>) -> (Bool, String?) {
            if case .set(let value) = field { return (true, value?.rawValue) }
            return (false, nil)
        }
        let relevance = flagged(changes.relevance)
        let requirementType = flagged(changes.requirementType)
        let passion = flagged(changes.passion)
        let identity = flagged(changes.identity)
        var note: String?
        if case .set(let value) = changes.note { note = value }
        let span = changes.span
        return try await database.query(
            """
            UPDATE job_annotations SET
                section_index = coalesce($3::integer, section_index),
                section_type = coalesce($4::text, section_type),
                start_offset = coalesce($5::integer, start_offset),
                end_offset = coalesce($6::integer, end_offset),
                quote = coalesce($7::text, quote),
                relevance = CASE WHEN $8::boolean THEN $9::text ELSE relevance END,
                requirement_type = CASE WHEN $10::boolean THEN $11::text ELSE requirement_type END,
                passion = CASE WHEN $12::boolean THEN $13::text ELSE passion END,
                identity = CASE WHEN $14::boolean THEN $15::text ELSE identity END,
                note = coalesce($16::text, note),
                updated_at = now()
            WHERE id = $1 AND job_id = $2
            RETURNING \(Self.annotationColumns)
            """,
            [id, jobID, span?.sectionIndex, span?.sectionType, span?.start, span?.end, span?.quote,
             relevance.0, relevance.1, requirementType.0, requirementType.1, passion.0, passion.1, identity.0, identity.1, note]
        ).first.map(Self.annotation(from:))
    }

    /// Deletes one annotation of a job; false when the job has no annotation `id`.
    public func deleteAnnotation(id: Int, jobID: Int) async throws -> Bool {
        try await database.query("DELETE FROM job_annotations WHERE id = $1 AND job_id = $2", [id, jobID]).affectedRows == 1
    }

    /// The annotation coverage of a job's current sections; empty before extraction has run.
    ///
    /// Counts follow the sections as extraction stored them now, so an annotation left pointing past
    /// the last section by a re-extraction of changed content is not counted.
    public func annotationCoverage(jobID: Int) async throws -> AnnotationCoverage {
        let sections = try await database.query(
            """
            SELECT (s.position - 1)::integer AS section_index, s.section ->> 'type' AS section_type,
                   s.section ->> 'title' AS title,
                   (SELECT count(*) FROM job_annotations a WHERE a.job_id = e.job_id AND a.section_index = s.position - 1) AS annotations
            FROM job_extractions e
            CROSS JOIN LATERAL jsonb_array_elements(e.sections) WITH ORDINALITY AS s (section, position)
            WHERE e.job_id = $1
            ORDER BY s.position
            """,
            [jobID]
        ).map { row in
            AnnotationCoverage.SectionCoverage(
                sectionIndex: try row.decode("section_index"),
                sectionType: try row.decode("section_type", as: String?.self) ?? "other",
                title: try row.decode("title"),
                annotations: try row.decode("annotations")
            )
        }
        return AnnotationCoverage(sections: sections)
    }

    /// The marked passages the CV should stress (see ``AnnotationLabels/marksEmphasis``), in reading order.
    public func emphasisedQuotes(jobID: Int) async throws -> [String] {
        try await annotations(jobID: jobID).filter(\.labels.marksEmphasis).map(\.span.quote)
    }

    private static func annotation(from row: PostgresRow) throws -> JobAnnotation {
        // A label column, which only the gateway writes and always from the enum's raw values.
        func label<Label: RawRepresentable<String>>(_ column: String, as type: Label.Type) throws -> Label? {
            guard let raw = try row.decode(column, as: String?.self) else { return nil }
            guard let label = Label(rawValue: raw) else { throw PostgresError.decoding("column '\(column)' holds an unknown value '\(raw)'") }
            return label
        }
        return JobAnnotation(
            id: try row.decode("id"),
            jobID: try row.decode("job_id"),
            span: AnnotationSpan(
                sectionIndex: try row.decode("section_index"),
                sectionType: try row.decode("section_type"),
                start: try row.decode("start_offset"),
                end: try row.decode("end_offset"),
                quote: try row.decode("quote")
            ),
            labels: AnnotationLabels(
                relevance: try label("relevance", as: JobAnnotation.Relevance.self),
                requirementType: try label("requirement_type", as: JobAnnotation.RequirementType.self),
                passion: try label("passion", as: JobAnnotation.Passion.self),
                identity: try label("identity", as: JobAnnotation.Identity.self),
                note: try row.decode("note")
            ),
            createdAt: try row.decode("created_at"),
            updatedAt: try row.decode("updated_at")
        )
    }
}
