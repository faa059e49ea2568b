import Foundation

/// Where and how to connect to PostgreSQL.
public struct PostgresConfiguration: Sendable, Equatable {
    /// A libpq connection URI: `postgresql://user[:password]@host:port/database`.
    public var url: String
    /// How long connecting may take. Default 5 s.
    public var connectTimeoutSeconds: Int
    /// The server aborts a statement running longer than this (`statement_timeout`). Default 60 s;
    /// 0 disables it.
    public var statementTimeoutMilliseconds: Int
    /// Shown in `pg_stat_activity`, so an operator can tell which service holds a connection.
    public var applicationName: String

    public init(
        url: String,
        connectTimeoutSeconds: Int = 5,
        statementTimeoutMilliseconds: Int = 60_000,
        applicationName: String = "jobsmith"
    ) {
        self.url = url
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.statementTimeoutMilliseconds = statementTimeoutMilliseconds
        self.applicationName = applicationName
    }

    /// The URL with any password replaced, for logs and errors.
    public var redactedURL: String {
        guard let schemeEnd = url.range(of: "://"), let at = url.range(of: "@", range: schemeEnd.upperBound..<url.endIndex) else {
            return url
        }
        let credentials = url[schemeEnd.upperBound..<at.lowerBound]
        guard let colon = credentials.firstIndex(of: ":") else { return url }
        return url.replacingCharacters(in: url.index(after: colon)..<at.lowerBound, with: "***")
    }
}
