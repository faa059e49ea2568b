import Domain
import Foundation
import Testing

/// Paths and error capture shared by the master CV import tests.
enum DomainFixtures {
    /// The repository root, found from this file so the tests run from any working directory; symlinks
    /// are resolved so a package that links `Tests` in from the repository still finds the samples.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .resolvingSymlinksInPath()
        .deletingLastPathComponent()  // DomainTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// A file of `Tests/DomainTests/Fixtures`.
    static func fixture(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
    }

    /// The sample master CV the project ships.
    static func sampleMasterCV() throws -> MasterCV {
        try MasterCV.load(from: repositoryRoot.appendingPathComponent("samples/master-cv.json"))
    }

    /// The error an import throws, or a recorded failure when it succeeds.
    static func importError(_ importing: () throws -> MasterCV) -> MasterCV.LoadingError? {
        do {
            _ = try importing()
            Issue.record("import succeeded; expected an error")
            return nil
        } catch let error as MasterCV.LoadingError {
            return error
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }
}
