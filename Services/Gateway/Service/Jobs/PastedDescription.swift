import Foundation

/// Turns a description the user pasted into the HTML a board would have sent.
///
/// HTML (anything with a tag in it) is kept as it is: the sanitizer makes it safe. Plain text, as
/// copied from a page, gets the markup its layout implies, so extraction finds its sections as it
/// does in a board's HTML: a blank line ends a paragraph, a line of its own inside one is a line
/// break, `-`, `*` or `•` lines are a list, and `#` lines (Markdown headings) are headings.
enum PastedDescription {
    static func html(from text: String) -> String {
        if looksLikeHTML(text) { return text }
        var html = ""
        var paragraph: [String] = []
        var items: [String] = []
        func flush() {
            if !paragraph.isEmpty { html += "<p>" + paragraph.map(escaped).joined(separator: "<br>") + "</p>\n" }
            if !items.isEmpty { html += "<ul>" + items.map { "<li>" + escaped($0) + "</li>" }.joined() + "</ul>\n" }
            paragraph = []
            items = []
        }
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty {
                flush()
            } else if let item = listItem(line) {
                if !paragraph.isEmpty { flush() }
                items.append(item)
            } else if line.hasPrefix("#") {
                flush()
                let level = min(6, max(2, line.prefix(while: { $0 == "#" }).count + 1))
                let heading = line.drop(while: { $0 == "#" }).trimmingCharacters(in: .whitespaces)
                html += "<h\(level)>\(escaped(heading))</h\(level)>\n"
            } else {
                if !items.isEmpty { flush() }
                paragraph.append(line)
            }
        }
        flush()
        return html
    }

    /// A tag of a description's usual elements (`<p>`, `</div>`, `<br/>`, `<li class="x">`) anywhere.
    /// Only those count: plain text may well say `<your name>` or `a < b`.
    static func looksLikeHTML(_ text: String) -> Bool {
        text.range(of: htmlTag, options: [.regularExpression, .caseInsensitive]) != nil
    }

    private static let htmlTag = #"</?(p|br|hr|div|span|a|b|i|u|s|em|strong|small|sub|sup|h[1-6]|ul|ol|li|dl|dt|dd|table|thead|tbody|tr|td|th|blockquote|pre|code|section|article|header|footer|img|font)(\s[^<>]*)?/?>"#

    private static func listItem(_ line: String) -> String? {
        for marker in ["- ", "* ", "• ", "· "] where line.hasPrefix(marker) {
            return String(line.dropFirst(marker.count)).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    private static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
