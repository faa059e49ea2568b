/// Reduces untrusted job-board HTML to a small allow-listed subset that is safe to hand to a browser.
///
/// Descriptions come from boards we do not control, and any of them can carry `<script>`, event
/// handlers or `javascript:` links: a compromised board, a hostile poster, an editor that pasted
/// something odd. A block-list always misses a spelling, so nothing here looks for what is dangerous.
/// Instead the input is read once and a new document is written from scratch: only the elements
/// and attributes on the allow-list, every tag spelled by the sanitizer itself and every character
/// of text escaped again. Whatever the input's markup was, the output's markup is only what this type
/// wrote, so no difference between how it and a browser read broken HTML can smuggle anything through.
///
/// The reading side is ``HTMLText``'s: the same rules for where tags start and end, the same
/// invisible elements, the same character references, and the same un-escaping of Greenhouse's
/// entity-escaped `content`. The sanitized copy therefore shows the text
/// ``HTMLText/plainText(from:)`` extracts from the original (exactly the same text and sections
/// for every posting in the shared datasets), so ingestion can derive its clean text from it.
///
/// ```swift
/// HTMLSanitizer.sanitize(#"<h2 style="color:red">Perks</h2><ul><li onclick="steal()">Remote<img src=x onerror=alert(1)></ul>"#)
/// // "<h2>Perks</h2><ul><li>Remote</li></ul>"
/// ```
///
/// The policy:
/// - Kept: `p br hr h1–h6 strong b em i u s small sub sup blockquote pre code ul ol li dl dt dd
///   table thead tbody tr th td span div a`. Headings keep their level rather than being demoted to
///   `h3`: the level is what header detection reads (``DescriptionStructurer`` runs on the sanitized
///   copy too), and a page embedding a description can scope its heading styles instead.
/// - Attributes: only `href` on `a` (absolute `http`, `https` or `mailto`; see
///   ``safeLink(_:)``), written with `rel="nofollow noopener noreferrer" target="_blank"`; a link
///   without a safe `href` loses its tag and keeps its text. `colspan` and `rowspan` on cells when
///   they are digits. Everything else (`style`, `on…`, `class`, `id`, `src`) goes.
/// - Removed with their content: `script style noscript template iframe object svg math form
///   button select textarea head title noembed noframes frameset applet` and whatever else
///   ``HTMLText`` hides (`canvas`, `audio`, `video`); comments, CDATA, processing instructions and
///   doctypes. Void elements (`img embed input link meta base`) have no content: their tag goes.
/// - Block elements outside the list (`section`, `article`, `header`, `tfoot`, …) become their
///   nearest allowed equivalent so lines do not run together; any other tag is dropped and its text
///   kept.
/// - Output: well-formed (every tag closed in order, stray end tags dropped, `<br>` and `<hr>`
///   void), text escaped (`&amp;`, `&#60;`, `&gt;`, plus `&quot;` in attributes), characters that are
///   not valid in HTML (NUL, controls, noncharacters) removed.
public enum HTMLSanitizer {
    /// Returns the allow-listed, re-escaped form of `html`.
    ///
    /// Never fails and never traps: malformed markup degrades to its text, and the time taken is
    /// linear in the input. Sanitizing is idempotent (`sanitize(sanitize(x)) == sanitize(x)`), so
    /// stored output can be passed through again safely.
    ///
    /// - Parameter html: Untrusted HTML, plain or entity-escaped (Greenhouse's `content`).
    /// - Returns: HTML that is safe to insert into a page as is; empty for empty input.
    public static func sanitize(_ html: String) -> String {
        guard !html.isEmpty else { return "" }
        let isEscaped = containsEscapedLessThan(html) && HTMLText.isEntityEscaped(html)
        return Scanner.sanitize(isEscaped ? HTMLEntities.decode(html) : html)
    }

    /// Whether `html` holds an `&lt;` at all, without which it cannot be entity-escaped.
    ///
    /// Most descriptions hold none (and sanitized output never does), so this byte scan spares them
    /// ``HTMLText/isEntityEscaped(_:)``'s count of every tag-like position, which costs more than
    /// the whole sanitizing pass in debug builds.
    private static func containsEscapedLessThan(_ html: String) -> Bool {
        func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            var index = 0
            while index + 3 < bytes.count {
                if bytes[index] == UInt8(ascii: "&"), bytes[index + 1] == UInt8(ascii: "l"), bytes[index + 2] == UInt8(ascii: "t"),
                    bytes[index + 3] == UInt8(ascii: ";")
                {
                    return true
                }
                index += 1
            }
            return false
        }
        if let found = html.utf8.withContiguousStorageIfAvailable(scan) { return found }
        return Array(html.utf8).withUnsafeBufferPointer(scan)
    }
}
