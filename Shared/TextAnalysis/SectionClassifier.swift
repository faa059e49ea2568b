/// Maps a header's wording to a ``SectionType`` with a keyword table.
///
/// Headers are free text ("What you’ll do", "⚡ What You Will Be Doing:", "Your Impact"), so they are
/// normalised into words (lowercased, curly quotes straightened, contractions expanded, emoji and
/// punctuation dropped) and matched against word-sequence phrases. The longest phrase wins, which is
/// what keeps "About the role" from being read as "about" (the company) and "Preferred
/// qualifications" from being read as plain qualifications.
enum SectionClassifier {
    /// How much of the header a match explains.
    enum Coverage: Sendable, Equatable {
        /// The header is exactly a known phrase ("Responsibilities", "What you'll do").
        case whole
        /// The header is a known opener plus a short name ("About Acme", "Why Acme?").
        case openerWithName
        /// A known phrase appears inside a longer header.
        case partial
        case none
    }

    struct Match: Sendable, Equatable {
        var type: SectionType
        var coverage: Coverage

        /// The whole header is a recognised header phrase, so a line holding only it is a header
        /// whatever its styling.
        var isKnownHeader: Bool { type != .other && (coverage == .whole || coverage == .openerWithName) }
    }

    /// Classifies one header.
    static func match(_ header: some StringProtocol) -> Match {
        let words = normalizedWords(header)
        guard !words.isEmpty else { return Match(type: .other, coverage: .none) }
        var best: (score: Int, position: Int, pattern: Pattern)?
        for (position, word) in words.enumerated() {
            guard let candidates = patternsByFirstWord[word] else { continue }
            for pattern in candidates {
                if pattern.isOpener, position != 0 { continue }
                let end = position + pattern.words.count
                guard end <= words.count, words[position..<end].elementsEqual(pattern.words) else { continue }
                let score = pattern.score
                if let current = best {
                    let better = score > current.score
                        || (score == current.score && position < current.position)
                        || (score == current.score && position == current.position && pattern.order < current.pattern.order)
                    guard better else { continue }
                }
                best = (score, position, pattern)
            }
        }
        guard let best else { return Match(type: .other, coverage: .none) }
        let coverage: Coverage
        if best.pattern.words.count == words.count {
            coverage = .whole
        } else if best.pattern.isOpener, words.count <= best.pattern.words.count + 3 {
            coverage = .openerWithName
        } else {
            coverage = .partial
        }
        return Match(type: best.pattern.type, coverage: coverage)
    }

    /// The header's words in the normalised form the table is written in.
    ///
    /// Contractions are expanded rather than stripped so "you’ll", "you'll" and "you will" are the same
    /// header; possessive `'s` is dropped so "Acme's" matches "Acme".
    static func normalizedWords(_ text: some StringProtocol) -> [String] {
        var cleaned = String.UnicodeScalarView()
        for scalar in text.lowercased().unicodeScalars {
            switch scalar {
            case "’", "‘", "ʼ", "`", "´", "‛":
                cleaned.append("'")
            case "'":
                cleaned.append(scalar)
            case "&", "+":
                cleaned.append(contentsOf: " and ".unicodeScalars)
            default:
                if TextNormalization.isAlphanumeric(scalar) { cleaned.append(scalar) } else { cleaned.append(" ") }
            }
        }
        var words: [String] = []
        for token in String(cleaned).split(separator: " ") {
            let parts = token.split(separator: "'", omittingEmptySubsequences: true)
            guard let first = parts.first else { continue }
            guard parts.count > 1 else {
                words.append(String(first))
                continue
            }
            switch parts[1] {
            case "ll": words += [String(first), "will"]
            case "re": words += [String(first), "are"]
            case "ve": words += [String(first), "have"]
            case "d": words += [String(first), "would"]
            case "m": words += [String(first), "am"]
            case "t" where first.hasSuffix("n"): words += [String(first.dropLast()), "not"]
            case "s": words.append(String(first))
            default: words.append(parts.joined())
            }
        }
        return words
    }

    // MARK: - The table

    private struct Pattern: Sendable {
        var type: SectionType
        var words: [String]
        /// Matches only as the header's first words ("About …", "Why …").
        var isOpener: Bool
        /// One of the deliberately vague phrases that should lose to anything more specific.
        var isWeak: Bool
        var order: Int

        /// Longer phrases are more specific; vague ones count as a word shorter so "Role
        /// requirements" is about requirements, not about the role. Openers lose even to vague words,
        /// so "About the Platform Engineer Role" is about the role.
        var score: Int { (words.count - (isWeak || isOpener ? 1 : 0)) * 4 - (isOpener ? 1 : 0) }
    }

    /// Phrases per type, in tie-break order: when two phrases of equal weight start at the same word,
    /// the type listed first wins ("Compensation & benefits" is compensation). A leading `^` marks an
    /// opener, a leading `~` a weak phrase.
    private static let table: [(SectionType, [String])] = [
        (.equalOpportunity, [
            "equal opportunity", "equal opportunities", "equal employment", "equal employment opportunity",
            "eeo", "eeoc", "eoe", "diversity", "inclusion", "diversity equity and inclusion", "dei", "belonging",
            "accommodation", "accommodations", "reasonable accommodation", "everyone is welcome",
            "all are welcome", "affirmative action", "non discrimination", "nondiscrimination",
            "discrimination", "e verify", "everify", "fair chance", "equal pay",
        ]),
        (.applicationProcess, [
            "how to apply", "to apply", "apply", "application process", "interview process", "hiring process",
            "recruitment process", "recruiting process", "selection process", "our process", "the process",
            "next steps", "how we hire", "our hiring process", "what happens next", "interview", "interviews",
            "interviewing", "application", "applying", "ready to apply", "the interview", "interested",
            "drop us a line", "get in touch", "sound like you",
        ]),
        (.compensation, [
            "compensation", "salary", "salary range", "base salary", "pay", "pay range", "pay transparency",
            "pay rate", "base pay", "wage", "wages", "hourly rate", "equity", "ote", "on target earnings",
            "total compensation", "compensation range", "remuneration", "annual bonus", "performance bonus",
            "signing bonus", "sign on bonus", "cash compensation", "bonuses",
        ]),
        (.niceToHave, [
            "nice to have", "nice to haves", "nice if you have", "bonus", "bonus points", "bonus if",
            "pluses", "plus", "preferred", "preferred qualifications", "preferred skills", "preferred experience",
            "preferred requirements", "desired", "desired qualifications", "desired skills", "desirable",
            "ideal but not required", "not required", "good to have", "extra credit", "even better",
            "stand out", "set you apart", "would be a plus", "a plus", "added bonus", "ideally", "be great if",
        ]),
        (.technicalSkills, [
            "tech stack", "technology stack", "technical stack", "stack", "our stack", "the stack", "technologies",
            "technology", "~tech", "tools", "tooling", "tools and technologies", "technical skills",
            "technical requirements", "technical qualifications", "languages and frameworks", "frameworks",
            "what we use", "tech we use", "our tools", "technical expertise", "programming languages",
            "tech you will touch", "tech you will use", "technologies you will use", "tools you will use",
        ]),
        (.education, [
            "education", "educational", "education requirements", "degree", "academic", "academic background",
            "certifications", "certification", "licenses", "licensure", "licensing", "education and certifications",
        ]),
        (.benefits, [
            "benefits", "benefit", "perks", "perk", "what we offer", "we offer", "our offer", "the offer",
            "what is in it for you", "in it for you", "what you will get", "what you get", "what you will receive",
            "why join", "why join us", "why work", "why work with us", "why work here", "why you will love",
            "^why", "time off", "pto", "vacation", "health", "wellness", "insurance", "total rewards", "rewards",
            "what we provide", "we provide", "our perks", "perks and benefits", "benefits and perks",
            "continuing education", "learning and development", "stipend", "stipends", "holidays", "parental leave",
            "retirement", "401k", "401 k", "wellbeing", "well being", "pension", "reasons to join",
            "what you can expect from us", "expect from us", "career development", "professional development",
            "growth opportunities", "in return", "~offers", "what we can offer", "we can offer",
        ]),
        (.responsibilities, [
            "responsibilities", "responsibility", "key responsibilities", "core responsibilities",
            "your responsibilities", "role responsibilities", "what you will do", "what you will be doing",
            "what you will work on", "what you will be working on", "what you will own", "what you will achieve",
            "what you will accomplish", "what you get to do", "what you do", "what will you do", "~you will",
            "your impact", "the impact", "~impact", "make an impact", "how you will make an impact",
            "in this role you will", "in this role", "day to day", "day in the life", "a day in the life",
            "your day", "duties", "job duties", "the work", "what the job involves", "accountabilities",
            "key accountabilities", "success metrics", "what success looks like", "success looks like",
            "first 30 days", "first 60 days", "first 90 days", "30 60 90", "outcomes", "key outcomes",
            "objectives", "what you will be responsible for", "responsible for", "your challenges", "tasks",
            "typical day", "metrics for success", "key metrics", "expectations for success", "your tasks", "your mission", "the mission", "scope", "what you will tackle", "what you will build",
            "essential functions", "essential duties", "key functions", "~challenges", "the challenges",
            "the role involve", "the role involves", "this role involves", "the job involves", "what it involves",
        ]),
        (.qualifications, [
            "qualifications", "qualification", "requirements", "requirement", "key requirements",
            "minimum qualifications", "basic qualifications", "required qualifications", "must have", "must haves",
            "what you will bring", "what you bring", "what we are looking for", "what we look for",
            "who we are looking for", "about you", "who you are", "~you are", "~you have", "you might be a fit",
            "you may be a fit", "ideal candidate", "the ideal candidate", "your profile", "profile",
            "your background", "background", "skills", "required skills", "key skills", "skills and experience",
            "skills and qualifications", "experience and qualifications", "what you need", "what you will need",
            "what you need to succeed", "what it takes", "to be successful", "you should have", "is this you",
            "great fit", "good fit", "you will thrive", "what makes you", "what will make us love you",
            "competencies", "core competencies", "attributes", "criteria", "eligibility", "who should apply",
            "what we need", "what we expect", "what we require", "we require", "what we are searching for",
            "who we are searching for", "a good candidate", "good candidate", "you bring", "you belong here if",
            "should apply if", "apply if you", "qualities", "mindset", "what you will need to succeed",
            "you will bring", "we are looking for", "we are looking", "~looking for", "hear from you if", "you should",
        ]),
        (.experience, [
            "experience", "work experience", "professional experience", "relevant experience",
            "experience required", "years of experience", "your experience",
        ]),
        (.aboutRole, [
            "about the role", "about this role", "about the position", "about this position", "about the job",
            "about this job", "about the opportunity", "about this opportunity", "about the team",
            "about this team", "the role", "this role", "your role", "~role", "the position", "the job",
            "job description", "role description", "position description", "the opportunity", "~opportunity",
            "role overview", "position overview", "job overview", "~overview", "~summary", "job summary",
            "role summary", "position summary", "in brief", "the team", "~team", "your team", "meet the team",
            "the gig", "role mission", "the roles", "job details", "tl dr", "about engineering",
            "about the engineering team", "about our engineering",
        ]),
        (.aboutCompany, [
            "^about", "about us", "who we are", "who are we", "^who is", "our mission", "our story", "our company",
            "the company", "company overview", "company description", "~company", "what we do", "what do we do",
            "our culture", "culture", "our values", "values", "our vision", "~life at", "~working at",
            "how we work", "more about", "our team", "why we exist", "our investors", "backed by", "~mission",
            "what we value", "we value", "things we value", "tenets", "our principles",
        ]),
        // Phrases that contain a table word but name no section: job titles ("Full Stack Engineer",
        // "Tech Lead") and filler. Listing them as `other` lets them outscore the shorter word.
        (.other, [
            "full stack", "fullstack", "tech lead", "technical lead", "stack engineer", "staff engineer",
            "where you will be", "where you will work", "where you will sit",
        ]),
    ]

    private static let patternsByFirstWord: [String: [Pattern]] = {
        var index: [String: [Pattern]] = [:]
        var order = 0
        for (type, phrases) in table {
            for phrase in phrases {
                var text = Substring(phrase)
                let isOpener = text.first == "^"
                let isWeak = text.first == "~"
                if isOpener || isWeak { text = text.dropFirst() }
                let words = normalizedWords(text)
                guard let first = words.first else { continue }
                index[first, default: []].append(Pattern(type: type, words: words, isOpener: isOpener, isWeak: isWeak, order: order))
                order += 1
            }
        }
        return index
    }()
}
