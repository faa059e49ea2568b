/// One titled part of a job description, located by offsets into ``DescriptionStructure/text``.
///
/// Offsets are UTF-16 code-unit indices because the UI that highlights and annotates sections is
/// JavaScript, whose string indices are UTF-16; a `String.Index` or a character count would drift on
/// emoji and accented text.
public struct DescriptionSection: Codable, Sendable, Equatable {
    /// What the section is about, from its header (or, for the untitled lead, from its wording).
    public var type: SectionType
    /// The header line as it appears in the text, without list numbering or a trailing colon;
    /// `nil` for the untitled text before the first header.
    public var title: String?
    /// UTF-16 offset of the section's first character (its header line when it has one).
    public var start: Int
    /// UTF-16 offset just past the section; equal to the next section's `start`.
    public var end: Int
    /// The section's bullets (list items and hand-written bullet lines) without their markers.
    public var items: [String]

    public init(type: SectionType, title: String?, start: Int, end: Int, items: [String]) {
        self.type = type
        self.title = title
        self.start = start
        self.end = end
        self.items = items
    }
}
