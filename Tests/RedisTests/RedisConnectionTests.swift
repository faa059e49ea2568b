import Foundation
import IntegrationTesting
import JobsmithTesting
import NIOPosix
import Redis
import Testing

@Suite struct RedisConnectionTests {
    let prefix = TestEnvironment.uniqueName("redis")

    @Test func repliesAreTyped() throws {
        let connection = try RedisConnection(configuration: TestRedis.configuration())
        defer { TestRedis.deleteKeys(prefix: prefix) }
        #expect(try connection.send("PING") == .status("PONG"))
        #expect(try connection.send("SET", "\(prefix):k", "v") == .status("OK"))
        #expect(try connection.send("GET", "\(prefix):k") == .bulk(Array("v".utf8)))
        #expect(try connection.send("GET", "\(prefix):missing") == .null)
        #expect(try connection.send("INCRBY", "\(prefix):n", 41).int == 41)
        try connection.send("RPUSH", "\(prefix):list", "a", "b")
        #expect(try connection.send("LRANGE", "\(prefix):list", 0, -1) == .array([.bulk(Array("a".utf8)), .bulk(Array("b".utf8))]))
    }

    @Test func argumentsAndValuesAreBinarySafe() throws {
        let connection = try RedisConnection(configuration: TestRedis.configuration())
        defer { TestRedis.deleteKeys(prefix: prefix) }
        let bytes: [UInt8] = [0, 255, 13, 10, 0, 42, 32]
        try connection.send("SET", "\(prefix):bin", bytes)
        #expect(try connection.send("GET", "\(prefix):bin").bytes == bytes)
        #expect(try connection.send("STRLEN", "\(prefix):bin").int == bytes.count)
    }

    @Test func nestedArraysAndNilsInsideThem() throws {
        let connection = try RedisConnection(configuration: TestRedis.configuration())
        defer { TestRedis.deleteKeys(prefix: prefix) }
        let stream = "\(prefix):stream"
        let id = try connection.send("XADD", stream, "*", "field", "value").string!
        let reply = try connection.send("XRANGE", stream, "-", "+")
        #expect(reply == .array([.array([.bulk(Array(id.utf8)), .array([.bulk(Array("field".utf8)), .bulk(Array("value".utf8))])])]))
        #expect(try connection.send("MGET", "\(prefix):nope", "\(prefix):nada") == .array([.null, .null]))
    }

    @Test func anErrorReplyIsThrownWithItsCode() throws {
        let connection = try RedisConnection(configuration: TestRedis.configuration())
        defer { TestRedis.deleteKeys(prefix: prefix) }
        try connection.send("SET", "\(prefix):s", "text")
        let error = #expect(throws: RedisError.self) { try connection.send("LPUSH", "\(prefix):s", "x") }
        #expect(error?.kind == .server)
        #expect(error?.serverCode == "WRONGTYPE")
        // The connection is still usable after an error reply.
        #expect(try connection.send("PING") == .status("PONG"))
    }

    @Test func errorRepliesInsidePipelinesStayInPlace() throws {
        let connection = try RedisConnection(configuration: TestRedis.configuration())
        defer { TestRedis.deleteKeys(prefix: prefix) }
        let replies = try connection.pipeline([
            ["SET", "\(prefix):p", "1"].map { Array($0.utf8) },
            ["LPUSH", "\(prefix):p", "x"].map { Array($0.utf8) },
            ["INCR", "\(prefix):p"].map { Array($0.utf8) },
        ])
        #expect(replies.count == 3)
        #expect(replies[0] == .status("OK"))
        guard case .error(let message) = replies[1] else { Issue.record("expected an error reply"); return }
        #expect(message.hasPrefix("WRONGTYPE"))
        #expect(replies[2] == .integer(2))
    }

    @Test func aSlowReplyTimesOut() throws {
        var configuration = try TestRedis.configuration()
        configuration.commandTimeout = .milliseconds(200)
        let connection = try RedisConnection(configuration: configuration)
        defer { TestRedis.deleteKeys(prefix: prefix) }
        let start = ContinuousClock.now
        let error = #expect(throws: RedisError.self) { try connection.send("BLPOP", "\(prefix):empty", 10) }
        #expect(error?.kind == .timeout)
        // Well short of the 10 s the server would block: the client's timeout ended the wait.
        #expect(ContinuousClock.now - start < .seconds(5))
        // It reconnects by itself for the next command.
        #expect(try connection.send("PING") == .status("PONG"))
    }

    @Test func reconnectsAfterTheServerDropsTheConnection() throws {
        let connection = try RedisConnection(configuration: TestRedis.configuration())
        let killer = try RedisConnection(configuration: TestRedis.configuration())
        try connection.send("CLIENT", "SETNAME", prefix)
        let clients = try killer.send("CLIENT", "LIST").string ?? ""
        let line = clients.split(separator: "\n").first { $0.contains("name=\(prefix)") }!
        let id = line.split(separator: " ").first { $0.hasPrefix("id=") }!.dropFirst(3)
        try killer.send("CLIENT", "KILL", "ID", String(id))
        let error = #expect(throws: RedisError.self) { try connection.send("PING") }
        #expect(error?.kind == .connection)
        #expect(try connection.send("PING") == .status("PONG"))
    }

    @Test func aWrongAddressFailsClearly() {
        let error = #expect(throws: RedisError.self) {
            try RedisConnection(configuration: RedisConfiguration(host: "127.0.0.1", port: 1, connectTimeout: .seconds(1)))
        }
        #expect(error?.kind == .connection)
        #expect(error?.message.contains("127.0.0.1:1") == true)
    }

    @Test func urlsAreParsed() throws {
        let configuration = try RedisConfiguration(url: "redis://:s3cret@cache.internal:6380/3")
        #expect(configuration.host == "cache.internal")
        #expect(configuration.port == 6380)
        #expect(configuration.database == 3)
        #expect(configuration.password == "s3cret")
        #expect(throws: RedisError.self) { try RedisConfiguration(url: "http://x") }
        #expect(throws: RedisError.self) { try RedisConfiguration(url: "redis://x/abc") }
    }

    @Test func thePoolIsBoundedAndRunsCommandsConcurrently() async throws {
        let threads = NIOThreadPool(numberOfThreads: 4)
        threads.start()
        let client = RedisClient(configuration: try TestRedis.configuration(), maximumConnections: 3, threadPool: threads)
        defer { TestRedis.deleteKeys(prefix: prefix) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<50 {
                group.addTask { try await client.send("INCR", "\(prefix):counter"); _ = index }
            }
            try await group.waitForAll()
        }
        #expect(try await client.send("GET", "\(prefix):counter").int == 50)
        #expect(client.openConnections <= 3)
        await client.shutDown()
        try await threads.shutdownGracefully()
    }
}
