import Foundation
import Store

/// The body of `PATCH /api/jobs/{id}/annotations/{annotation_id}`: only the fields present change.
///
/// A label sent as `null` is cleared (a `null` note becomes empty); a label left out keeps its value.
/// Any of `section_index`, `start` and `end` moves the span, the others keeping their current values,
/// and the quote is read again from the section's text.
struct AnnotationPatch: Decodable, Sendable {
    var sectionIndex: Int?
    var start: Int?
    var end: Int?
    var quote: String?
    private var relevance: AnnotationChanges.Field<String?> = .keep
    private var requirementType: AnnotationChanges.Field<String?> = .keep
    private var passion: AnnotationChanges.Field<String?> = .keep
    private var identity: AnnotationChanges.Field<String?> = .keep
    private var note: AnnotationChanges.Field<String?> = .keep

    typealias CodingKeys = AnnotationDraft.CodingKeys

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // Present (even as null) means "set"; absent means "keep".
        func field(_ key: CodingKeys) throws -> AnnotationChanges.Field<String?> {
            container.contains(key) ? .set(try container.decodeIfPresent(String.self, forKey: key)) : .keep
        }
        sectionIndex = try container.decodeIfPresent(Int.self, forKey: .sectionIndex)
        start = try container.decodeIfPresent(Int.self, forKey: .start)
        end = try container.decodeIfPresent(Int.self, forKey: .end)
        quote = try container.decodeIfPresent(String.self, forKey: .quote)
        relevance = try field(.relevance)
        requirementType = try field(.requirementType)
        passion = try field(.passion)
        identity = try field(.identity)
        note = try field(.note)
        let changesSomething = movesSpan || [relevance, requirementType, passion, identity, note].contains { $0 != .keep }
        guard changesSomething else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: [],
                debugDescription: "nothing to change: send at least one of section_index, start, end, quote, relevance, requirement_type, passion, identity, note"
            ))
        }
    }

    /// Whether the patch touches the span.
    var movesSpan: Bool { sectionIndex != nil || start != nil || end != nil || quote != nil }

    /// The label changes, checked like a new annotation's labels; the span is resolved by the caller,
    /// which has the section text.
    func changes() throws -> AnnotationChanges {
        func label<Label: RawRepresentable<String> & CaseIterable>(_ field: AnnotationChanges.Field<String?>, _ name: String) throws -> AnnotationChanges.Field<Label?> {
            guard case .set(let raw) = field else { return .keep }
            return .set(try AnnotationDraft.label(raw, field: name))
        }
        var noteChange: AnnotationChanges.Field<String> = .keep
        if case .set(let raw) = note { noteChange = .set(try AnnotationDraft.note(raw)) }
        return AnnotationChanges(
            relevance: try label(relevance, "relevance"),
            requirementType: try label(requirementType, "requirement_type"),
            passion: try label(passion, "passion"),
            identity: try label(identity, "identity"),
            note: noteChange
        )
    }
}
