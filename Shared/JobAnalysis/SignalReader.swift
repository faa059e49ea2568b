/// Reads what the hiring team is struggling with (implied pain points) and how success will be
/// measured, each with the sentence it came from.
///
/// Postings rarely say "our problem is X"; they say "you will migrate our monolith" or "scale the
/// team from 5 to 20". Each cue below turns such a phrasing into one named need. Boilerplate that
/// every posting carries ("fast-paced environment", "team player") says nothing about this job and
/// is never evidence.
enum SignalReader {
    private struct Cue: Sendable {
        let phrases: [String]
        let kind: String
        let summary: String

        init(_ kind: String, _ summary: String, _ phrases: [String]) {
            self.phrases = phrases
            self.kind = kind
            self.summary = summary
        }
    }

    private static let painCues: [Cue] = [
        Cue("pain_point", "Legacy systems and technical debt to pay down", ["technical debt", "tech debt", "legacy", "monolith", "modernize", "modernise", "modernization", "rewrite", "re architect", "rearchitect"]),
        Cue("pain_point", "A migration to plan and carry out", ["migrate", "migration", "migrating", "transition to", "move to the cloud", "consolidate"]),
        Cue("strategic_need", "Scaling systems and the business through rapid growth", ["scale", "scaling", "hypergrowth", "hyper growth", "growing rapidly", "rapid growth", "grow 10x", "10x", "next stage of growth", "growing fast"]),
        Cue("strategic_need", "Building a function or product from the ground up", ["from scratch", "from the ground up", "0 to 1", "zero to one", "0 1", "greenfield", "build out", "stand up", "first hire", "founding", "establish the", "build the foundation", "lay the foundation"]),
        Cue("pain_point", "Reliability, incidents and on-call load", ["reliability", "uptime", "incident", "incidents", "outage", "outages", "on call", "availability", "resilience", "resilient"]),
        Cue("pain_point", "Performance and cost to bring under control", ["performance", "latency", "cost", "costs", "efficiency", "optimize", "optimise", "bottleneck", "bottlenecks"]),
        Cue("risk_if_unfilled", "Security and compliance obligations", ["security", "compliance", "soc 2", "soc2", "gdpr", "hipaa", "audit", "audits", "regulatory", "pci", "iso 27001"]),
        Cue("pain_point", "Manual work to automate and streamline", ["automate", "automation", "manual", "streamline", "repetitive", "tooling"]),
        Cue("strategic_need", "Revenue growth and new markets", ["new markets", "new market", "expand into", "expansion", "pipeline", "quota", "revenue growth", "grow revenue", "new logos", "land and expand", "go to market"]),
        Cue("pain_point", "Customer retention and churn", ["churn", "retention", "renewals", "renewal", "customer satisfaction", "adoption"]),
        Cue("strategic_need", "Growing and leveling up the team", ["hire", "hiring", "grow the team", "build the team", "build a team", "mentor", "mentoring", "coach", "level up", "onboard"]),
        Cue("pain_point", "Visibility through better data and reporting", ["data quality", "visibility", "reporting", "dashboards", "single source of truth", "insights", "forecasting", "forecast"]),
        Cue("risk_if_unfilled", "Cross-team alignment and process", ["alignment", "align", "silos", "cross functional", "process", "processes", "prioritization", "prioritize", "roadmap"]),
    ]

    private static let metricCues: [Cue] = [
        Cue("success_metric", "Milestones in the first months", ["first 30 days", "first 60 days", "first 90 days", "30 60 90", "first 3 months", "first three months", "first six months", "first 6 months", "first year", "within 90 days", "within 6 months", "in your first"]),
        Cue("success_metric", "Quota and revenue targets", ["quota", "arr", "revenue target", "revenue targets", "bookings", "sales targets", "ote", "pipeline generation", "pipeline targets"]),
        Cue("success_metric", "Customer retention and satisfaction", ["nps", "csat", "net retention", "ndr", "nrr", "churn rate", "retention rate", "gross retention", "customer satisfaction"]),
        Cue("success_metric", "Reliability targets", ["slo", "slos", "sla", "slas", "uptime", "mttr", "error budget", "error budgets", "99.9"]),
        Cue("success_metric", "Speed of delivery", ["deployment frequency", "lead time", "cycle time", "velocity", "time to market", "release cadence", "dora"]),
        Cue("success_metric", "Growth and conversion", ["conversion", "conversion rate", "activation", "engagement", "signups", "sign ups", "mql", "mqls", "sql", "cac", "ltv", "roi", "roas"]),
        Cue("success_metric", "Defined KPIs and goals", ["kpi", "kpis", "okr", "okrs", "metrics", "measured by", "success looks like", "success will look like", "you will be measured"]),
        Cue("success_metric", "Financial accuracy and close", ["month end close", "close process", "accuracy", "forecast accuracy", "budget variance", "days to close"]),
        Cue("success_metric", "Hiring targets", ["time to hire", "time to fill", "hiring targets", "hires per", "offer acceptance"]),
    ]

    private static let measureVerbs = PhraseSet(["reduce", "increase", "improve", "grow", "achieve", "hit", "exceed", "drive", "deliver", "meet", "cut", "double", "triple", "decrease", "raise", "lower", "boost"])

    private static let boilerplate = PhraseSet([
        "fast paced", "fast-paced", "team player", "self starter", "self-starter", "wear many hats", "rockstar",
        "ninja", "work hard play hard", "dynamic environment", "equal opportunity", "we are an equal",
        "competitive salary", "benefits", "health insurance", "401k", "pto", "paid time off",
    ])

    private static let painIndex = TaggedPhrases(painCues.map(\.phrases))
    private static let metricIndex = TaggedPhrases(metricCues.map(\.phrases))

    static func painPoints(in sentences: [Sentence]) -> [Evidence] {
        findings(in: sentences, cues: painCues, index: painIndex, limit: 6) { _ in true }
    }

    /// A success metric needs a measure and either a target verb or a number: "reduce p99 latency"
    /// or "NPS above 60", not "we love metrics".
    static func successMetrics(in sentences: [Sentence]) -> [Evidence] {
        findings(in: sentences, cues: metricCues, index: metricIndex, limit: 5) { words in
            measureVerbs.matches(words) || words.contains { $0.contains(where: \.isNumber) || $0.hasSuffix("%") }
        }
    }

    private static func findings(in sentences: [Sentence], cues: [Cue], index: TaggedPhrases, limit: Int, accept: ([String]) -> Bool) -> [Evidence] {
        var found: [Evidence] = []
        var used = Set<String>()
        for sentence in sentences where sentence.text.utf8.count >= 25 && sentence.text.utf8.count <= 600 {
            let words = sentence.words
            let counts = index.counts(in: words)
            guard let tag = counts.indices.first(where: { counts[$0] > 0 && !used.contains(cues[$0].summary) }),
                  !boilerplate.matches(words), accept(words) else { continue }
            used.insert(cues[tag].summary)
            found.append(Evidence(kind: cues[tag].kind, summary: cues[tag].summary, sentence: sentence.text))
            if found.count == limit { break }
        }
        return found
    }
}
