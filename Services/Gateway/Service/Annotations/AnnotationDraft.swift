import Foundation
import Store

/// The body of `POST /api/jobs/{id}/annotations`.
///
/// Labels arrive as strings rather than as the store's enums so that a wrong value gets a 400 that
/// lists the allowed ones instead of a bare decoding error.
struct AnnotationDraft: Decodable, Sendable {
    var sectionIndex: Int
    var start: Int
    var end: Int
    /// The marked text; when given it must be the section's text between `start` and `end`, which
    /// catches a client whose offsets count differently or whose copy of the description is stale.
    var quote: String?
    var relevance: String?
    var requirementType: String?
    var passion: String?
    var identity: String?
    var note: String?

    enum CodingKeys: String, CodingKey {
        case start, end, quote, relevance, passion, identity, note
        case sectionIndex = "section_index"
        case requirementType = "requirement_type"
    }

    /// The longest note, in Unicode code points (what JSON Schema's `maxLength` counts).
    static let maximumNoteLength = 2_000

    static let noLabels = APIError.badRequest(
        "an annotation needs at least one of relevance, requirement_type, passion, identity or a non-empty note"
    )

    /// The labels, checked.
    ///
    /// - Throws: 400 for a value outside its field's set, a note over 2,000 characters, or no label at all.
    func labels() throws -> AnnotationLabels {
        let labels = AnnotationLabels(
            relevance: try Self.label(relevance, field: "relevance"),
            requirementType: try Self.label(requirementType, field: "requirement_type"),
            passion: try Self.label(passion, field: "passion"),
            identity: try Self.label(identity, field: "identity"),
            note: try Self.note(note)
        )
        if labels.isEmpty { throw Self.noLabels }
        return labels
    }

    /// A label's value from its raw string; nil stays nil.
    static func label<Label: RawRepresentable<String> & CaseIterable>(_ raw: String?, field: String) throws -> Label? {
        guard let raw else { return nil }
        guard let label = Label(rawValue: raw) else {
            let allowed = Label.allCases.map(\.rawValue).joined(separator: ", ")
            throw APIError.badRequest("\(field) must be one of \(allowed); got '\(raw)'")
        }
        return label
    }

    /// A note without surrounding whitespace or NUL characters (PostgreSQL text cannot hold them),
    /// within the length limit; nil is an empty note.
    static func note(_ raw: String?) throws -> String {
        let raw = raw ?? ""
        guard raw.unicodeScalars.count <= maximumNoteLength else {
            throw APIError.badRequest("note is limited to \(maximumNoteLength) characters; got \(raw.unicodeScalars.count)")
        }
        return raw.replacingOccurrences(of: "\u{0}", with: "").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
