/// Splits a job's weight between delivery, process, architecture and leadership.
///
/// The role sets a starting split (a staff engineer is mostly architecture and delivery, an
/// engineering director mostly leadership); the duties and requirements then shift it by how often
/// each competency's verbs and nouns appear.
enum CompetencyWeigher {
    private static let delivery: [String] = ["ship", "shipping", "deliver", "delivery", "build", "building", "launch", "execute", "execution", "implement", "develop", "write", "own", "close", "closing", "quota", "results", "hands on", "prototype", "iterate"]
    private static let process: [String] = ["process", "processes", "workflow", "agile", "scrum", "documentation", "document", "compliance", "operational", "quality", "standards", "best practices", "reporting", "planning", "sprint", "review", "reviews", "testing", "policies", "procedures", "metrics", "kpis", "audit"]
    private static let architecture: [String] = ["architecture", "architect", "system design", "design systems", "scalable", "scalability", "infrastructure", "technical direction", "technical strategy", "platform", "distributed systems", "data model", "data modeling", "strategy", "strategic", "framework", "roadmap", "long term"]
    private static let leadership: [String] = ["lead", "leading", "leadership", "manage", "managing", "mentor", "mentoring", "coach", "coaching", "hire", "hiring", "team", "people", "stakeholders", "stakeholder", "influence", "cross functional", "direct reports", "career growth", "culture"]

    private static let cues = TaggedPhrases([delivery, process, architecture, leadership])

    static func weights(for category: RoleCategory, seniority: Seniority, sentences: [Sentence]) -> CompetencyWeights {
        var base = baseline(for: category, seniority: seniority)
        var counts = [0, 0, 0, 0]
        for sentence in sentences {
            for (index, count) in cues.counts(in: sentence.words).enumerated() { counts[index] += count }
        }
        let total = counts.reduce(0, +)
        if total > 0 {
            // The text moves at most 40 points: the role's shape still dominates a wordy posting.
            for index in base.indices { base[index] = base[index] * 0.6 + 40 * Double(counts[index]) / Double(total) }
        }
        let rounded = largestRemainder(base, total: 100)
        return CompetencyWeights(delivery: rounded[0], process: rounded[1], architecture: rounded[2], leadership: rounded[3])
    }

    private static func baseline(for category: RoleCategory, seniority: Seniority) -> [Double] {
        switch category {
        case .softwareEngineer, .seniorEngineer, .dataEngineering, .machineLearning, .devopsInfrastructure, .security, .qualityAssurance:
            return seniority.rank >= Seniority.staff.rank ? [30, 15, 40, 15] : [45, 15, 30, 10]
        case .staffPrincipalEngineer: return [30, 15, 40, 15]
        case .techLead: return [30, 15, 30, 25]
        case .engineeringManager: return [20, 25, 15, 40]
        case .director, .head, .vp, .cto, .executive: return [15, 25, 15, 45]
        case .productManagement: return [30, 30, 15, 25]
        default:
            return seniority.rank >= Seniority.manager.rank ? [25, 25, 10, 40] : [50, 30, 10, 10]
        }
    }

    /// Rounds shares to whole numbers that add up to `total` exactly.
    static func largestRemainder(_ values: [Double], total: Int) -> [Int] {
        let sum = values.reduce(0, +)
        guard sum > 0 else { return values.map { _ in total / max(values.count, 1) } }
        let scaled = values.map { $0 / sum * Double(total) }
        var floors = scaled.map { Int($0) }
        let remainders = scaled.enumerated().map { ($0.offset, $0.element - Double(floors[$0.offset])) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        var missing = total - floors.reduce(0, +)
        for (index, _) in remainders where missing > 0 {
            floors[index] += 1
            missing -= 1
        }
        return floors
    }
}
