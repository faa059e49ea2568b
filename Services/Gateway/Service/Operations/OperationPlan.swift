import Messaging

/// The operations the API accepts, and the steps each becomes: one per service command, grouped in
/// stages that run one after the other (the steps of a stage run in parallel).
enum OperationPlan {
    /// Extraction and research in parallel, then the CV.
    static let allOps = "all-ops"

    static var names: [String] { JobOperation.allCases.map(\.rawValue) + [allOps] }

    /// The steps of `name`, or nil for an operation that does not exist.
    static func steps(of name: String) -> [(operation: String, stage: Int)]? {
        if name == allOps {
            return [
                (JobOperation.fullExtraction.rawValue, 1),
                (JobOperation.researchCompany.rawValue, 1),
                (JobOperation.generateCV.rawValue, 2),
            ]
        }
        guard let operation = JobOperation(rawValue: name) else { return nil }
        return [(operation.rawValue, 1)]
    }
}
