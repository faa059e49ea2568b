import TextAnalysis

/// The promises every ``DescriptionStructure`` keeps, checked in one place so unit and real-data
/// tests assert the same thing.
enum StructureInvariants {
    /// Every broken promise in `structure`, described; empty when it is sound.
    static func violations(in structure: DescriptionStructure) -> [String] {
        var problems: [String] = []
        let text = structure.text
        let utf16 = Array(text.utf16)
        guard !text.isEmpty else {
            return structure.sections.isEmpty ? [] : ["empty text has \(structure.sections.count) sections"]
        }
        guard let first = structure.sections.first, let last = structure.sections.last else {
            return ["non-empty text has no sections"]
        }
        if first.start != 0 { problems.append("first section starts at \(first.start)") }
        if last.end != utf16.count { problems.append("last section ends at \(last.end), text length \(utf16.count)") }
        for (index, section) in structure.sections.enumerated() {
            guard section.start < section.end, section.start >= 0, section.end <= utf16.count else {
                problems.append("section \(index) has range \(section.start)..<\(section.end)")
                continue
            }
            if index > 0, structure.sections[index - 1].end != section.start {
                problems.append("section \(index) starts at \(section.start), previous ended at \(structure.sections[index - 1].end)")
            }
            for offset in [section.start, section.end] where offset < utf16.count && UTF16.isTrailSurrogate(utf16[offset]) {
                problems.append("section \(index) boundary \(offset) splits a surrogate pair")
            }
            let body = String(decoding: utf16[section.start..<section.end], as: UTF16.self)
            if let title = section.title {
                let firstLine = body.prefix { $0 != "\n" }
                if !firstLine.contains(title) { problems.append("section \(index) title \"\(title)\" is not on its first line \"\(firstLine)\"") }
            } else if index != 0 {
                problems.append("untitled section \(index) is not the lead")
            }
            for item in section.items where !body.contains(item) {
                problems.append("section \(index) item \"\(item.prefix(40))\" is not in its text")
            }
        }
        return problems
    }

    /// Markup that must never survive into clean text.
    static func markupRemnants(in text: String) -> [String] {
        var found: [String] = []
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() where scalar == "<" && index + 1 < scalars.count {
            let next = scalars[index + 1]
            if next == "/" || next == "!" || (next.isASCII && next.properties.isAlphabetic) {
                found.append(String(String.UnicodeScalarView(scalars[index..<min(index + 12, scalars.count)])))
            }
        }
        for entity in ["&amp;", "&lt;", "&gt;", "&quot;", "&nbsp;", "&#39;", "&#x27;", "&rsquo;"] where text.contains(entity) {
            found.append(entity)
        }
        if text.contains("\n\n\n") { found.append("two blank lines in a row") }
        if text.contains("  ") { found.append("a run of spaces") }
        if text.contains(" \n") || text.contains("\n ") || text.hasPrefix(" ") || text.hasSuffix(" ") {
            found.append("an untrimmed line")
        }
        if text.unicodeScalars.contains(where: { $0 == "\u{A0}" || $0 == "\u{200B}" || $0 == "\u{FEFF}" }) {
            found.append("NBSP or zero-width character")
        }
        return found
    }
}
