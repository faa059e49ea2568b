import Foundation

/// Reads the providers' pages into a profile's facts: a summary, the industry, the size, and signals.
enum CompanyEvidenceReader {
    struct Facts: Equatable {
        var summary: String?
        var industry: String?
        var size: String?
    }

    /// The facts the company's own pages state; the posting's about-the-company text when they state none.
    static func facts(in pages: [ResearchPage], companyName: String) -> Facts {
        let read = CompanyFactsReader(companyName: companyName).facts(from: pages)
        return Facts(
            summary: read.summary ?? pages.first { $0.kind == .about }.flatMap { firstParagraph(of: $0.text) },
            industry: read.industry,
            size: read.employeeCountText
        )
    }

    /// Every page's signals, one per kind and summary, newest first when dated.
    static func signals(in pages: [ResearchPage]) -> [CompanySignal] {
        var seen = Set<String>()
        var signals: [CompanySignal] = []
        let reader = CompanySignalReader()
        for page in pages {
            for signal in reader.signals(inText: page.text, sourceURL: page.url == "posting" ? nil : page.url)
            where seen.insert(signal.kind.rawValue + "|" + signal.summary.lowercased()).inserted {
                signals.append(signal)
            }
        }
        return signals.sorted { ($0.date ?? "") > ($1.date ?? "") }
    }

    /// The first paragraph long enough to describe something, cut at a sentence end near 400 characters.
    static func firstParagraph(of text: String) -> String? {
        guard let paragraph = text.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }).first(where: { $0.count >= 60 }) else {
            return nil
        }
        return CompanyFactsReader.cut(paragraph, to: 400)
    }
}
