/// Turns untrusted job-board HTML into clean plain text.
///
/// Every board sends descriptions as HTML of uneven quality: Ashby's tidy `<p>`/`<ul>`, Greenhouse's
/// entity-escaped markup, hand-written fragments with unclosed tags. This is the one place that
/// knows about that, so storage, extraction and CV generation all see the same text and the same
/// offsets.
///
/// ```swift
/// let text = HTMLText.plainText(from: "<h2>About us</h2><p>We build&nbsp;tools.</p><ul><li>Remote</li></ul>")
/// // "About us\n\nWe build tools.\n\n- Remote"
/// ```
public enum HTMLText {
    /// Converts HTML to clean plain text: entities decoded, invisible elements dropped, one line per
    /// block, `- ` (or `1. `) for list items, runs of spaces collapsed, at most one blank line in a row.
    ///
    /// Never fails: malformed markup degrades to its text. The result is exactly
    /// ``DescriptionStructurer/structure(html:)``'s `text`, so offsets computed on either agree.
    public static func plainText(from html: String) -> String {
        TextLine.joined(lines(from: html)).text
    }

    /// The rendered lines with their markup hints, for section structuring.
    static func lines(from html: String) -> [TextLine] {
        let source = isEntityEscaped(html) ? HTMLEntities.decode(html) : html
        return TextLine.finished(HTMLRenderer.lines(from: source))
    }

    /// Whether the whole document is HTML escaped as text (`&lt;p&gt;…`), as Greenhouse sends its
    /// `content` field.
    ///
    /// Compares escaped tag openings with real ones instead of checking for any `&lt;`, because
    /// ordinary HTML legitimately contains escaped less-than signs ("teams of &lt;200 people") and
    /// must not be decoded twice.
    static func isEntityEscaped(_ html: String) -> Bool {
        let bytes = Array(html.utf8)
        var realTags = 0
        var escapedTags = 0
        for index in bytes.indices.dropFirst() where isTagStart(bytes[index]) {
            if bytes[index - 1] == UInt8(ascii: "<") {
                realTags += 1
            } else if index >= 4, bytes[(index - 4)..<index].elementsEqual("&lt;".utf8) {
                escapedTags += 1
            }
        }
        return escapedTags > realTags
    }

    private static func isTagStart(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "!")
    }

    /// Text with its HTML character references decoded once (`&lt;p&gt;` → `<p>`, `&rsquo;` → `’`),
    /// by the same rules the renderer applies; a literal `&` ("R&D") stays as written.
    public static func decodingCharacterReferences(_ text: String) -> String {
        HTMLEntities.decode(text)
    }
}
