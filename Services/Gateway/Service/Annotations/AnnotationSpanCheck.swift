import Foundation
import Store

/// Checks a span against a job's sections and reads its quote from the section's text.
enum AnnotationSpanCheck {
    /// The span `start..<end` (UTF-16 offsets) of section `sectionIndex`, with its text as the quote.
    ///
    /// - Parameter quote: The text the client says it marked; it must equal the section's text there.
    /// - Throws: 400 when the section does not exist, the offsets are out of order or out of the
    ///   section, an offset falls inside a character, or the quote differs from the text.
    static func span(
        sectionIndex: Int, start: Int, end: Int, quote: String?, in description: JobStore.AnnotatableDescription
    ) throws -> AnnotationSpan {
        let sections = description.sections
        guard sections.indices.contains(sectionIndex) else {
            throw APIError.badRequest(
                "section_index must be between 0 and \(sections.count - 1) (the job has \(sections.count) sections); got \(sectionIndex)"
            )
        }
        let section = sections[sectionIndex]
        let utf16 = section.text.utf16
        guard 0 <= start, start < end, end <= utf16.count else {
            throw APIError.badRequest(
                "start and end must satisfy 0 ≤ start < end ≤ \(utf16.count) (the section's length in UTF-16 code units); got start \(start), end \(end)"
            )
        }
        let lower = utf16.index(utf16.startIndex, offsetBy: start)
        let upper = utf16.index(utf16.startIndex, offsetBy: end)
        // Half of a surrogate pair is not text: such an offset would store a quote that no longer
        // matches what the user sees.
        for (name, index) in [("start", lower), ("end", upper)] where index.samePosition(in: section.text.unicodeScalars) == nil {
            throw APIError.badRequest("\(name) falls inside a character; offsets count UTF-16 code units")
        }
        let text = String(section.text[lower..<upper])
        if let quote, quote != text {
            throw APIError.badRequest("quote does not match the section's text from \(start) to \(end), which is '\(text)'")
        }
        return AnnotationSpan(sectionIndex: sectionIndex, sectionType: section.type, start: start, end: end, quote: text)
    }
}
