import Foundation
import IntegrationTesting
import JobsmithTesting
import NIOPosix
@testable import Redis
import Synchronization
import Testing

@Suite struct CommandCoalescerTests {
    let prefix = TestEnvironment.uniqueName("coalesce")

    @Test func concurrentCommandsShareRoundTripsAndEachGetsItsOwnReply() async throws {
        let threads = NIOThreadPool(numberOfThreads: 2)
        threads.start()
        let client = RedisClient(configuration: try TestRedis.configuration(), maximumConnections: 2, threadPool: threads)
        let pipelines = Mutex<[Int]>([])
        let coalescer = CommandCoalescer { commands in
            pipelines.withLock { $0.append(commands.count) }
            return try await client.withConnection { try $0.pipeline(commands) }
        }
        let key = "\(prefix):counter"
        let replies = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<500 {
                group.addTask { try await coalescer.submit(["INCR", key].map { Array($0.utf8) }).int ?? 0 }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        // Every caller got a distinct reply of its own command, and the 500 went out in fewer trips.
        #expect(replies.sorted() == Array(1...500))
        let sizes = pipelines.withLock { $0 }
        #expect(sizes.reduce(0, +) == 500)
        #expect(sizes.count < 500, "no command shared a round trip: \(sizes.count) pipelines")

        // An error reply reaches only its own caller, whose command shared the trip with another.
        try await client.send("SET", "\(prefix):text", "not a number")
        let failing = Task { try await coalescer.submit(["INCR", "\(prefix):text"].map { Array($0.utf8) }) }
        let succeeding = Task { try await coalescer.submit(["INCR", key].map { Array($0.utf8) }) }
        await #expect(throws: RedisError.self) { try await failing.value }
        #expect(try await succeeding.value.int == 501)
        await client.shutDown()
        try await threads.shutdownGracefully()
        TestRedis.deleteKeys(prefix: prefix)
    }
}
