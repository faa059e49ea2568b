/// Splits a job description into typed sections with UTF-16 offsets.
///
/// Downstream steps weight text by section (requirements count more than the company blurb; "About
/// the role" is context, not a duty list) and the UI highlights sections by offset, so the
/// structure has to be deterministic, cover every character, and work with no LLM.
///
/// ```swift
/// let structure = DescriptionStructurer.structure(html: posting.descriptionHtml)
/// for section in structure.sections where section.type == .qualifications {
///     print(section.items)
/// }
/// ```
///
/// Sections tile the text: the first starts at 0, each ends where the next starts, the last ends at
/// the text's UTF-16 length. A header that is vague (type `other`) or repeats the current type and is
/// less prominent than the current section's header (a bold line under an `<h2>`) is a sub-heading and
/// stays inside that section.
public enum DescriptionStructurer {
    /// Structures an HTML description, using its headings and bold paragraphs as header evidence.
    public static func structure(html: String) -> DescriptionStructure {
        structure(lines: HTMLText.lines(from: html), source: .html)
    }

    /// Structures a plain-text or markdown description (`## Header`, `**Header**`, ALL CAPS, Title Case,
    /// "Header:" lines, `- ` / `* ` / `•` bullets).
    public static func structure(text: String) -> DescriptionStructure {
        structure(lines: PlainTextReader.lines(from: text), source: .plainText)
    }

    static func structure(lines: [TextLine], source: HeaderDetector.Source) -> DescriptionStructure {
        let (text, starts) = TextLine.joined(lines)
        var sections: [DescriptionSection] = []
        var open: OpenSection?
        for (index, line) in lines.enumerated() {
            let next = index + 1 < lines.count ? lines[index + 1] : nil
            if let header = HeaderDetector.header(for: line, next: next, source: source) {
                if let current = open, current.absorbs(header) { continue }
                if let current = open { sections.append(current.closed(at: starts[index])) }
                open = OpenSection(header: header, start: starts[index])
                continue
            }
            if open == nil { open = OpenSection(start: 0) }
            open?.add(line)
        }
        if let open { sections.append(open.closed(at: text.utf16.count)) }
        return DescriptionStructure(text: text, sections: sections)
    }

    /// A section whose end is not known yet.
    private struct OpenSection {
        var header: HeaderDetector.Header?
        var start: Int
        var items: [String] = []
        /// The untitled lead's paragraphs, kept only to classify it when it closes.
        var leadParagraphs: [String] = []

        init(header: HeaderDetector.Header? = nil, start: Int) {
            self.header = header
            self.start = start
        }

        func absorbs(_ subheader: HeaderDetector.Header) -> Bool {
            guard let header, subheader.rank > header.rank else { return false }
            return subheader.type == .other || subheader.type == header.type
        }

        mutating func add(_ line: TextLine) {
            if let item = line.itemText { items.append(item) }
            guard header == nil else { return }
            if line.startsBlock || leadParagraphs.isEmpty {
                leadParagraphs.append(line.text)
            } else {
                leadParagraphs[leadParagraphs.count - 1] += "\n" + line.text
            }
        }

        func closed(at end: Int) -> DescriptionSection {
            DescriptionSection(
                type: header?.type ?? SectionClassifier.leadType(forParagraphs: leadParagraphs),
                title: header?.title,
                start: start,
                end: end,
                items: items
            )
        }
    }
}
