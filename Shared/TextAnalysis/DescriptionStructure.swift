/// A job description as clean text plus the sections that tile it.
///
/// The sections cover the text from offset 0 to its UTF-16 length with no gaps or overlaps, so a
/// consumer can render the whole description section by section without losing a character.
public struct DescriptionStructure: Codable, Sendable, Equatable {
    /// The clean plain text: one line per paragraph, heading or bullet (`- ` / `1. `), at most one
    /// blank line in a row.
    public var text: String
    /// The sections in text order; empty only when the text is empty.
    public var sections: [DescriptionSection]

    public init(text: String, sections: [DescriptionSection]) {
        self.text = text
        self.sections = sections
    }
}
