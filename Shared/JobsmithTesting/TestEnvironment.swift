import Foundation

/// Where the live test servers and shared fixtures are, as `scripts/test` exports them.
///
/// Every integration test reads its addresses from here so the suite runs against whatever Redis and
/// PostgreSQL the test script started, with local defaults for running a single test by hand.
public enum TestEnvironment {
    /// Redis for tests (`JOBSMITH_TEST_REDIS_URL`, default `redis://127.0.0.1:6379/0`).
    public static var redisURL: String {
        value("JOBSMITH_TEST_REDIS_URL") ?? "redis://127.0.0.1:6379/0"
    }

    /// A PostgreSQL URL for an administrative database (`JOBSMITH_TEST_DATABASE_URL`, default
    /// `postgresql://postgres@127.0.0.1:5432/postgres`). Tests create their own databases through it.
    public static var databaseURL: String {
        value("JOBSMITH_TEST_DATABASE_URL") ?? "postgresql://postgres@127.0.0.1:5432/postgres"
    }

    /// The repository's root folder, found from this file's location.
    public static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // JobsmithTesting
            .deletingLastPathComponent()  // Shared
            .deletingLastPathComponent()
    }

    /// The shared fixtures folder (`JOBSMITH_SHARED_DIR`, default `../shared` beside the repository).
    public static var sharedDirectory: URL {
        if let path = value("JOBSMITH_SHARED_DIR") { return URL(fileURLWithPath: path) }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }

    /// Real Ashby boards: `shared/datasets/ashby`.
    public static var ashbyDatasetDirectory: URL {
        sharedDirectory.appendingPathComponent("datasets/ashby")
    }

    /// Small real job-board payloads: `shared/fixtures/boards`.
    public static var boardFixturesDirectory: URL {
        sharedDirectory.appendingPathComponent("fixtures/boards")
    }

    /// A name no other test uses, for streams, keys and databases.
    public static func uniqueName(_ prefix: String) -> String {
        let suffix = UUID().uuidString.prefix(8).lowercased()
        return "\(prefix)_\(suffix)"
    }

    private static func value(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }
}
