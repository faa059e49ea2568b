/// The letter a job list sorts and filters by: A ≥ 80, B ≥ 60, C ≥ 40, else D.
///
/// One scale for the quick score ingestion gives every posting and the full fit score extraction
/// replaces it with, so a job keeps a comparable tier through the pipeline.
public enum FitTier {
    public static func tier(for score: Int) -> String {
        switch score {
        case 80...: "A"
        case 60..<80: "B"
        case 40..<60: "C"
        default: "D"
        }
    }
}
