import Foundation

/// Where and how to connect to Redis.
public struct RedisConfiguration: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// The logical database selected after connecting (the path of `redis://host:port/2`).
    public var database: Int
    public var password: String?
    /// How long connecting may take. Default 5 s.
    public var connectTimeout: Duration
    /// How long a reply may take. Default 10 s. A connection that runs blocking reads needs more than
    /// the longest `BLOCK`, otherwise the read fails with a timeout instead of returning nil.
    public var commandTimeout: Duration

    public init(
        host: String = "127.0.0.1",
        port: Int = 6379,
        database: Int = 0,
        password: String? = nil,
        connectTimeout: Duration = .seconds(5),
        commandTimeout: Duration = .seconds(10)
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.password = password
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
    }

    /// Reads `redis://[:password@]host[:port][/database]`.
    ///
    /// - Throws: `RedisError.configuration` naming what is wrong (never echoing the password).
    public init(url: String) throws {
        guard let components = URLComponents(string: url), components.scheme == "redis" else {
            throw RedisError.configuration("REDIS_URL must look like redis://host:port/db")
        }
        self.init()
        if let host = components.host, !host.isEmpty { self.host = host }
        if let port = components.port { self.port = port }
        let path = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        if !path.isEmpty {
            guard let database = Int(path), database >= 0 else {
                throw RedisError.configuration("the database in REDIS_URL must be a number, found '\(path)'")
            }
            self.database = database
        }
        if let password = components.password, !password.isEmpty { self.password = password.removingPercentEncoding ?? password }
    }
}
