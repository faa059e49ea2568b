import Domain
import Store
import TextAnalysis

/// Turns a parsed posting into what the store keeps: safe HTML, clean text, fingerprints and score.
public enum PostingPreparer {
    public static func prepare(_ posting: JobPosting, scorer: QuickScorer?, threshold: Int) -> PreparedPosting {
        let safeHTML = HTMLSanitizer.sanitize(posting.descriptionHTML)
        let cleanText = HTMLText.plainText(from: safeHTML)
        let score = scorer?.score(title: posting.title, text: cleanText)
        return PreparedPosting(
            posting: posting,
            safeHTML: safeHTML,
            cleanText: cleanText,
            dedupeKey: PostingFingerprint.dedupeKey(company: posting.company, title: posting.title),
            shingles: PostingFingerprint.shingles(of: cleanText),
            fitScore: score?.value,
            tier: score?.tier,
            belowThreshold: (score?.value ?? 100) < threshold
        )
    }
}
