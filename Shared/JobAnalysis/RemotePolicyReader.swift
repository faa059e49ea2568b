/// Decides where the work happens from the board's own field and the posting's wording.
///
/// The text wins over the board when it is more specific: boards often file a hybrid job as
/// "remote", and a job described as "hybrid, three days in our Berlin office" is hybrid whatever the
/// board field says.
enum RemotePolicyReader {
    private static let hybrid: [String] = [
        "hybrid", "days a week in the office", "days per week in the office", "days a week in office",
        "days per week in office", "days in the office", "days in office", "in office days", "office days",
        "days a week onsite", "days per week onsite", "days a week on site", "partially remote", "flexible hybrid",
        "anchor days", "anchor day", "in office workdays", "commuting distance", "mondays and thursdays",
        "tuesdays and thursdays", "mondays and wednesdays", "co located", "in person time",
    ]
    private static let remote: [String] = [
        "fully remote", "100% remote", "remote first", "remote only", "work from anywhere", "work from home",
        "remote position", "remote role", "this role is remote", "this is a remote", "remote friendly",
        "distributed team", "distributed company", "work remotely", "working remotely", "remote team",
        "fully distributed", "remote opportunity", "remote within", "remote in",
    ]
    private static let onsite: [String] = [
        "on site", "onsite", "in office", "in the office five days", "in person", "office based",
        "5 days a week in", "five days a week in", "relocate", "relocation", "in our office",
    ]
    private static let cues = TaggedPhrases([hybrid, remote, onsite])

    static func policy(workplace: String?, isRemote: Bool?, location: String?, sentences: [Sentence]) -> RemotePolicy {
        var sawRemote = false
        var sawOnsite = false
        for sentence in sentences {
            let counts = cues.counts(in: sentence.words)
            if counts[0] > 0 { return .hybrid }
            sawRemote = sawRemote || counts[1] > 0
            sawOnsite = sawOnsite || counts[2] > 0
        }
        switch workplace {
        case "remote": return .fullyRemote
        case "hybrid": return .hybrid
        case "onsite": return sawRemote ? .fullyRemote : .onsite
        default: break
        }
        if isRemote == true || sawRemote { return .fullyRemote }
        // A board that says "not remote" about a posting with a place is an office job.
        if isRemote == false, location != nil { return .onsite }
        if let location, PhraseSet(["remote", "anywhere"]).matches(Words.of(location)) { return .fullyRemote }
        if let location, PhraseSet(["hybrid"]).matches(Words.of(location)) { return .hybrid }
        return sawOnsite ? .onsite : .notSpecified
    }
}
