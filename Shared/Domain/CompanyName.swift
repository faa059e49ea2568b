/// One spelling for a company's name, so that its jobs from different boards and its research record
/// meet: `Acme, Inc.` and `ACME` are both `acme`.
public enum CompanyName {
    static let legalSuffixes: Set<String> = [
        "inc", "incorporated", "llc", "ltd", "limited", "gmbh", "corp", "corporation", "co", "plc", "sa", "ag", "bv",
        "oy", "ab", "srl", "pty",
    ]

    /// `Acme, Inc.` → `acme`; `Double The Donation` → `double-the-donation`.
    public static func normalized(_ company: String) -> String {
        var words = company.lowercased()
            .split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            .map(String.init)
        while let last = words.last, words.count > 1, legalSuffixes.contains(last) { words.removeLast() }
        return words.joined(separator: "-")
    }
}
