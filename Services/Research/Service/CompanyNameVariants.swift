import Domain
import Foundation

/// Other spellings of a company's name to try when a lookup by the name as posted finds nothing:
/// without its legal suffix ("Acme Robotics GmbH" → "Acme Robotics"), with the suffix written out the
/// common ways, and in other letter cases ("ACME" → "Acme").
enum CompanyNameVariants {
    private static let suffixes = ["Inc", "Inc.", "LLC", "Ltd", "Ltd.", "Limited", "GmbH", "Corp", "Corp.", "Corporation", "Co.", "PLC", "SA", "AG", "BV", "B.V.", "Oy", "AB", "SRL", "Pty Ltd"]

    static func variants(of name: String) -> [String] {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        var words = trimmed.split(separator: " ").map(String.init)
        var candidates: [String] = []
        // Without trailing legal suffixes and the commas before them.
        while let last = words.last, words.count > 1,
              suffixes.contains(where: { $0.caseInsensitiveCompare(last.trimmingCharacters(in: CharacterSet(charactersIn: ","))) == .orderedSame }) {
            words.removeLast()
            if let previous = words.last, previous.hasSuffix(",") { words[words.count - 1] = String(previous.dropLast()) }
        }
        let base = words.joined(separator: " ")
        candidates.append(base)
        if base == trimmed { candidates += ["\(base) Inc", "\(base) Ltd"] }
        let titled = base.split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst().lowercased() }.joined(separator: " ")
        candidates += [titled, base.uppercased(), base.lowercased()]
        var seen: Set<String> = [trimmed]
        return candidates.filter { !$0.isEmpty && seen.insert($0).inserted }
    }
}
