import Foundation
import Logging
import Metrics
import NIOPosix
import Redis
import ServiceLifecycle
import Synchronization

/// Works through one stream as a member of a consumer group, at least once.
///
/// On start it creates the group if needed and first re-reads its own pending list (entries it had
/// received but not acknowledged before a crash). Then it reads new entries in batches and hands each
/// to the handler, at most `concurrency` at a time. An entry is acknowledged only after the handler
/// returned, i.e. after it committed its results. Entries left pending by any consumer for longer than
/// the visibility timeout are claimed with `XAUTOCLAIM` and handled again; an entry delivered
/// `maximumDeliveries` times without success, or one that cannot be read at all, is moved to
/// `<stream>:dead` together with the error.
///
/// Failures are told apart:
/// - a lost PostgreSQL or Redis connection (`isTransient`) says nothing about the message: the
///   handler is retried in place with backoff, and the outage does not count towards dead-lettering;
/// - any other error leaves the entry pending, to be retried after the visibility timeout;
/// - a handler that runs past `handlerTimeout` is cancelled and counts as failed.
///
/// On shutdown the consumer stops reading, lets what it is handling finish until the replica's drain
/// deadline, then cancels the rest and hands their entries back (marks them idle, so another replica
/// claims them at once instead of after the visibility timeout).
///
/// Blocking Redis calls run on the service's thread pool; the blocking read uses a connection of its
/// own, since it holds it for up to `blockTime`.
public final class StreamConsumer: Service, Sendable {
    public let configuration: ConsumerConfiguration
    public let statistics: ConsumerStatistics
    private let redis: RedisClient
    private let threadPool: NIOThreadPool
    private let handler: any MessageHandler
    private let lifecycle: ReplicaLifecycle
    private let isTransient: @Sendable (any Error) -> Bool
    private let maintenance: ConsumerGroupMaintenance
    private let logger: Logger
    /// Entries being handled right now, kept fresh so no one takes them over mid-run; their runs, so
    /// the watchdog can end those past their deadline.
    private let running = Mutex<[String: HandlerRun]>([:])
    private let handled: Counter
    private let failures: Counter
    private let deadLetters: Counter
    private let duration: Metrics.Timer

    /// - Parameters:
    ///   - lifecycle: Shared by the replica's consumers so they drain together; by default the
    ///     consumer drains on its own.
    ///   - isTransient: Whether a handler error means a dependency is unreachable (retried in place)
    ///     rather than a problem with the message. By default Redis connection errors and timeouts.
    public init(
        configuration: ConsumerConfiguration,
        redis: RedisClient,
        threadPool: NIOThreadPool,
        handler: any MessageHandler,
        lifecycle: ReplicaLifecycle = ReplicaLifecycle(),
        isTransient: @escaping @Sendable (any Error) -> Bool = StreamConsumer.isRedisUnreachable,
        logger: Logger
    ) {
        self.configuration = configuration
        self.redis = redis
        self.threadPool = threadPool
        self.handler = handler
        self.lifecycle = lifecycle
        self.isTransient = isTransient
        var logger = logger
        logger[metadataKey: "stream.name"] = "\(configuration.stream)"
        logger[metadataKey: "stream.consumer"] = "\(configuration.consumer)"
        self.logger = logger
        self.maintenance = ConsumerGroupMaintenance(configuration: configuration, redis: redis, logger: logger)
        self.statistics = ConsumerStatistics(stream: configuration.stream, group: configuration.group)
        let dimensions = [("stream", configuration.stream)]
        self.handled = Counter(label: "jobsmith_messages_handled_total", dimensions: dimensions)
        self.failures = Counter(label: "jobsmith_message_failures_total", dimensions: dimensions)
        self.deadLetters = Counter(label: "jobsmith_messages_dead_lettered_total", dimensions: dimensions)
        self.duration = Metrics.Timer(label: "jobsmith_message_handling_duration", dimensions: dimensions, preferredDisplayUnit: .seconds)
    }

    /// Whether `error` is Redis being unreachable (restarting, say) rather than a problem with the message.
    @Sendable public static func isRedisUnreachable(_ error: any Error) -> Bool {
        guard let error = error as? RedisError else { return false }
        return error.kind == .connection || error.kind == .timeout
    }

    private enum Child: Sendable {
        case handled
        case drainDeadline
    }

    public func run() async throws {
        try await createGroup()
        let readerConfiguration = {
            var configuration = redis.configuration
            configuration.commandTimeout = self.configuration.blockTime + .seconds(10)
            return configuration
        }()
        let reader = try await threadPool.runIfActive { try RedisConnection(configuration: readerConfiguration) }
        logger.info("Consumer started")
        let watchdog = Task { await self.expireOverdueRuns() }
        let leases = Task { await self.keepLeases() }
        defer {
            watchdog.cancel()
            leases.cancel()
        }

        await withGracefulShutdownHandler {
            await withTaskGroup(of: Child.self) { group in
                var inFlight = 0
                let finished = CompletionCounter()
                /// Collects handlers that have finished, without waiting for the others.
                func reap() async {
                    let done = finished.count.load(ordering: .acquiring)
                    for _ in 0..<done { _ = await group.next() }
                    finished.count.subtract(done, ordering: .relaxed)
                    inFlight -= done
                }
                func dispatch(_ entries: [StreamEntry], deliveries: [String: Int]) {
                    // An entry this replica is still handling may come back from a claim that raced
                    // with its refresh; it must not run twice at once.
                    let running = self.running.withLock { running in entries.filter { running[$0.id] != nil }.map(\.id) }
                    for entry in entries where !running.contains(entry.id) {
                        inFlight += 1
                        let count = deliveries[entry.id] ?? 1
                        group.addTask {
                            await self.process(entry, deliveryCount: count)
                            finished.count.add(1, ordering: .releasing)
                            return .handled
                        }
                    }
                }

                await self.recoverOwnPending { entries, deliveries in
                    while inFlight + entries.count > self.configuration.concurrency, inFlight > 0 {
                        _ = await group.next()
                        finished.count.subtract(1, ordering: .relaxed)
                        inFlight -= 1
                    }
                    dispatch(entries, deliveries: deliveries)
                }

                var claimCursor = "0-0"
                var nextClaim = ContinuousClock.now
                var nextMaintenance = ContinuousClock.now + self.configuration.maintenanceInterval
                var failureBackoff = Duration.milliseconds(100)
                while !self.lifecycle.isDraining && !Task.isCancelled {
                    await reap()
                    if inFlight >= self.configuration.concurrency {
                        _ = await group.next()
                        finished.count.subtract(1, ordering: .relaxed)
                        inFlight -= 1
                        continue
                    }
                    do {
                        let free = self.configuration.concurrency - inFlight
                        if ContinuousClock.now >= nextClaim {
                            nextClaim = ContinuousClock.now + self.configuration.claimInterval
                            let (entries, deliveries, cursor) = try await self.claimIdle(cursor: claimCursor, count: free)
                            claimCursor = cursor
                            if !entries.isEmpty {
                                dispatch(entries, deliveries: deliveries)
                                continue
                            }
                        }
                        if ContinuousClock.now >= nextMaintenance {
                            nextMaintenance = ContinuousClock.now + self.configuration.maintenanceInterval
                            try await self.maintenance.removeDepartedConsumers()
                            try await self.maintenance.trim()
                        }
                        let entries = try await self.readNew(on: reader, count: min(free, self.configuration.batchSize))
                        dispatch(entries, deliveries: [:])
                        failureBackoff = .milliseconds(100)
                    } catch {
                        // Redis may be restarting: keep the replica alive and try again with backoff.
                        self.logger.warning("Reading the stream failed; retrying", metadata: ["error": "\(error)", "retry.in": "\(failureBackoff)"])
                        try? await Task.sleep(for: failureBackoff)
                        failureBackoff = min(failureBackoff * 2, .seconds(5))
                    }
                }
                // Draining: no more reads. What is running may finish and acknowledge until the
                // deadline; then the rest is cancelled and handed back.
                await reap()
                guard inFlight > 0 else { return }
                let deadline = self.lifecycle.beginDraining()
                self.logger.info("Draining", metadata: ["stream.in_flight": "\(inFlight)"])
                group.addTask {
                    try? await Task.sleep(until: deadline, clock: .continuous)
                    return .drainDeadline
                }
                while let child = await group.next() {
                    switch child {
                    case .handled:
                        inFlight -= 1
                        if inFlight == 0 { group.cancelAll() }
                    case .drainDeadline:
                        if inFlight > 0 {
                            self.logger.warning("Drain deadline passed; handing back what is still running", metadata: ["stream.in_flight": "\(inFlight)"])
                            group.cancelAll()
                        }
                    }
                }
            }
        } onGracefulShutdown: {
            self.lifecycle.beginDraining()
        }
        // Closing the socket is a C call like any other: it runs on the pool too.
        if (try? await threadPool.runIfActive { reader.close() }) == nil { reader.close() }
        logger.info("Consumer stopped")
        // The replica's other consumers may have started the drain; the service group still stops
        // services one by one, and one that returns before its turn counts as having failed.
        try? await gracefulShutdown()
    }

    /// Ends the runs past their deadline, checking about every tenth of the handler timeout (at most
    /// once a second).
    private func expireOverdueRuns() async {
        let interval = min(configuration.handlerTimeout / 10, .seconds(1))
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            let now = ContinuousClock.now
            for run in running.withLock({ Array($0.values) }) { run.expire(at: now) }
        }
    }

    /// Keeps the entries being handled fresh, every third of the visibility timeout, in a task of its
    /// own: the read loop can be held up (a blocking read, every slot busy, a starved CPU), and an entry
    /// left to go idle past the timeout would be claimed and handled a second time, at once.
    private func keepLeases() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.claimInterval)
            do {
                try await keepRunningEntriesFresh()
            } catch {
                logger.warning("Keeping running entries fresh failed; retrying", metadata: ["error": "\(error)"])
            }
        }
    }

    // MARK: - Reading

    private func createGroup() async throws {
        do {
            // `0` so that entries published before the group existed are handled too.
            try await redis.send("XGROUP", "CREATE", configuration.stream, configuration.group, "0", "MKSTREAM")
        } catch let error as RedisError where error.serverCode == "BUSYGROUP" {
            // Another replica (or an earlier run) created it.
        }
    }

    /// Re-reads this consumer's own pending entries, from the start, until none are left.
    private func recoverOwnPending(_ handle: ([StreamEntry], [String: Int]) async -> Void) async {
        var cursor = "0"
        var recovered = 0
        while !lifecycle.isDraining {
            do {
                let reply = try await redis.send(
                    "XREADGROUP", "GROUP", configuration.group, configuration.consumer,
                    "COUNT", configuration.batchSize, "STREAMS", configuration.stream, cursor
                )
                let entries = try StreamEntry.fromRead(reply)
                guard let last = entries.last else { break }
                cursor = last.id
                recovered += entries.count
                await handle(entries, try await deliveryCounts(of: entries))
            } catch {
                logger.warning("Recovering pending entries failed; the reclaimer will pick them up", metadata: ["error": "\(error)"])
                break
            }
        }
        if recovered > 0 {
            logger.info("Recovered own pending entries", metadata: ["stream.recovered": "\(recovered)"])
        }
    }

    private func readNew(on reader: RedisConnection, count: Int) async throws -> [StreamEntry] {
        let command: [[UInt8]] = [
            "XREADGROUP", "GROUP", configuration.group, configuration.consumer, "COUNT", String(count),
            "BLOCK", String(configuration.blockMilliseconds), "STREAMS", configuration.stream, ">",
        ].map { Array($0.utf8) }
        let reply = try await threadPool.runIfActive { try reader.send(arguments: command) }
        return try StreamEntry.fromRead(reply)
    }

    /// Takes over entries idle past the visibility timeout (a crashed replica's, or failed ones due a retry).
    private func claimIdle(cursor: String, count: Int) async throws -> ([StreamEntry], [String: Int], String) {
        let reply = try await redis.send(
            "XAUTOCLAIM", configuration.stream, configuration.group, configuration.consumer,
            configuration.visibilityTimeoutMilliseconds, cursor, "COUNT", count
        )
        guard let parts = reply.array, parts.count >= 2, let next = parts[0].string else {
            throw MessagingError.unexpectedReply("XAUTOCLAIM returned \(reply)")
        }
        let entries = try StreamEntry.list(parts[1])
        if !entries.isEmpty {
            logger.info("Claimed idle entries", metadata: ["stream.claimed": "\(entries.count)"])
        }
        return (entries, try await deliveryCounts(of: entries), next)
    }

    /// Resets the idle time of entries still being handled (`XCLAIM … JUSTID` does not count a delivery).
    private func keepRunningEntriesFresh() async throws {
        let ids = running.withLock { Array($0.keys) }
        guard !ids.isEmpty else { return }
        let arguments: [any RedisArgument] = ["XCLAIM", configuration.stream, configuration.group, configuration.consumer, "0"]
            + ids.map { $0 as any RedisArgument } + ["JUSTID"]
        try await redis.withConnection { [arguments = arguments.map(\.redisBytes)] connection in
            _ = try connection.send(arguments: arguments)
        }
    }

    /// How often each entry has been delivered, from the group's pending list.
    private func deliveryCounts(of entries: [StreamEntry]) async throws -> [String: Int] {
        guard let first = entries.first?.id, let last = entries.last?.id else { return [:] }
        let reply = try await redis.send(
            "XPENDING", configuration.stream, configuration.group, first, last,
            max(entries.count * 4, 100), configuration.consumer
        )
        var counts: [String: Int] = [:]
        for item in reply.array ?? [] {
            guard let fields = item.array, fields.count >= 4, let id = fields[0].string, let count = fields[3].int else { continue }
            counts[id] = count
        }
        return counts
    }

    // MARK: - Handling

    private func process(_ entry: StreamEntry, deliveryCount: Int) async {
        var logger = self.logger
        logger[metadataKey: "stream.entry"] = "\(entry.id)"
        guard let fields = entry.fields else {
            // Trimmed or deleted while pending: nothing left to handle.
            logger.warning("Acknowledging a pending entry whose body is gone")
            await acknowledge(entry.id, logger: logger)
            return
        }
        let envelope: Envelope
        do {
            envelope = try Envelope(fields: fields)
        } catch {
            await deadLetter(entry.id, fields: fields, error: error, deliveries: deliveryCount, logger: logger)
            return
        }
        logger[metadataKey: "message.type"] = "\(envelope.type)"
        if let jobID = envelope.jobID { logger[metadataKey: "job.id"] = "\(jobID)" }

        // The entry counts as running until it is acknowledged or dead-lettered, not just until the
        // handler returns: otherwise a slow acknowledgement lets the claim loop take the entry again
        // past the visibility timeout and handle (or dead-letter) it a second time.
        var run = HandlerRun(deadline: .now + configuration.handlerTimeout)
        running.withLock { $0[entry.id] = run }
        defer { running.withLock { _ = $0.removeValue(forKey: entry.id) } }
        statistics.started()
        let start = ContinuousClock.now
        var message = ReceivedMessage(stream: configuration.stream, entryID: entry.id, envelope: envelope, deliveryCount: deliveryCount)
        var backoff = Duration.milliseconds(200)
        while true {
            let outcome = await run.run { [handler, message] in try await handler.handle(message) }
            switch outcome {
            case .finished:
                await acknowledge(entry.id, logger: logger)
                statistics.succeeded()
                handled.increment()
                duration.record(duration: ContinuousClock.now - start)
                return
            case .failed(let error) where isTransient(error) && !lifecycle.isDraining:
                // PostgreSQL or Redis is unreachable: the message is fine, so it keeps its slot (and
                // stays fresh, so no one else claims it) and is tried again once they are back.
                logger.warning("A dependency is unreachable; retrying the message", metadata: ["error": "\(error)", "retry.in": "\(backoff)"])
                do {
                    try await Task.sleep(for: backoff)
                } catch {
                    await handBack(entry.id, logger: logger)
                    statistics.abandoned()
                    return
                }
                backoff = min(backoff * 2, .seconds(5))
                message.retries += 1
                run = HandlerRun(deadline: .now + configuration.handlerTimeout)
                running.withLock { $0[entry.id] = run }
            case .failed(let error) where isTransient(error):
                await handBack(entry.id, logger: logger)
                statistics.abandoned()
                return
            case .failed(let error):
                await failed(entry.id, fields: fields, error: error, deliveries: deliveryCount, logger: logger)
                return
            case .timedOut:
                let error = MessagingError.handlerTimedOut("the handler ran past its \(configuration.handlerTimeout) deadline and was cancelled")
                await failed(entry.id, fields: fields, error: error, deliveries: deliveryCount, logger: logger)
                return
            case .abandoned:
                await handBack(entry.id, logger: logger)
                statistics.abandoned()
                return
            }
        }
    }

    /// A delivery failed: the entry is retried after the visibility timeout, or dead-lettered when it
    /// is unprocessable or out of deliveries.
    private func failed(_ id: String, fields: [(key: String, value: RedisReply)], error: any Error, deliveries: Int, logger: Logger) async {
        statistics.failedOnce()
        failures.increment()
        let unprocessable = (error as? MessagingError)?.kind == .unprocessable
        if unprocessable || deliveries >= configuration.maximumDeliveries {
            await deadLetter(id, fields: fields, error: error, deliveries: deliveries, logger: logger)
        } else {
            logger.warning(
                "Handler failed; the entry will be retried after the visibility timeout",
                metadata: ["error": "\(error)", "stream.deliveries": "\(deliveries)"]
            )
        }
    }

    /// Gives an entry this replica will not finish back to the group: it stays pending on this
    /// consumer but is marked idle for the whole visibility timeout, so the next `XAUTOCLAIM` of any
    /// replica takes it at once. `JUSTID` leaves its delivery count alone.
    private func handBack(_ id: String, logger: Logger) async {
        do {
            // Handing back happens because this task was cancelled; the command runs in a task of its
            // own so that the cancellation does not stop it too.
            _ = try await Task { [redis, configuration] in
                try await redis.send(
                    "XCLAIM", configuration.stream, configuration.group, configuration.consumer, 0, id,
                    "IDLE", configuration.visibilityTimeoutMilliseconds, "JUSTID"
                )
            }.value
            logger.info("Handed the entry back for another replica")
        } catch {
            // Still pending: it is claimed after the visibility timeout instead.
            logger.warning("Handing the entry back failed; it is reclaimed after the visibility timeout", metadata: ["error": "\(error)"])
        }
    }

    private func acknowledge(_ id: String, logger: Logger) async {
        do {
            let reply = try await redis.sendCoalesced(arguments: ["XACK", configuration.stream, configuration.group, id].map { Array($0.utf8) })
            if reply.int != 1 {
                // Another consumer claimed it meanwhile and will handle (and acknowledge) it again.
                logger.notice("Entry was no longer pending for this group when acknowledged")
            }
        } catch {
            // Left pending: it will be reclaimed and handled again, which idempotent handlers allow.
            logger.error("Acknowledging failed", metadata: ["error": "\(error)"])
        }
    }

    /// Moves an entry to `<stream>:dead` with why it failed, and acknowledges it, in one transaction.
    private func deadLetter(_ id: String, fields: [(key: String, value: RedisReply)], error: any Error, deliveries: Int, logger: Logger) async {
        let deadStream = StreamNames.deadLetters(of: configuration.stream)
        var add: [[UInt8]] = ["XADD", deadStream, "MAXLEN", "~", String(configuration.deadLetterMaximumLength), "*"].map { Array($0.utf8) }
        for (key, value) in fields {
            add += [Array(key.utf8), value.bytes ?? Array((value.string ?? "").utf8)]
        }
        // The fields the gateway's dead-letter listing reads back.
        typealias Field = StreamInspector.DeadLetter.Field
        let metadata: [(String, String)] = [
            (Field.originalID, id),
            (Field.group, configuration.group),
            (Field.consumer, configuration.consumer),
            (Field.deliveries, String(deliveries)),
            (Field.error, String(describing: error)),
            (Field.deadAt, String(Int64(Date().timeIntervalSince1970 * 1000))),
        ]
        for (key, value) in metadata { add += [Array(key.utf8), Array(value.utf8)] }
        let ack: [[UInt8]] = ["XACK", configuration.stream, configuration.group, id].map { Array($0.utf8) }
        do {
            let transaction = [[Array("MULTI".utf8)], add, ack, [Array("EXEC".utf8)]]
            let replies = try await redis.withConnection { connection in
                try connection.pipeline(transaction)
            }
            if let exec = replies.last, case .error(let message) = exec { throw RedisError.server(message) }
            statistics.deadLetteredOne()
            deadLetters.increment()
            logger.error(
                "Moved an entry to the dead letters",
                metadata: ["error": "\(error)", "stream.deliveries": "\(deliveries)", "stream.dead": "\(deadStream)"]
            )
        } catch let redisError {
            logger.error("Dead-lettering failed; the entry stays pending", metadata: ["error": "\(redisError)"])
        }
    }
}

/// Handlers that finished but whose child tasks were not yet collected by the read loop.
private final class CompletionCounter: Sendable {
    let count = Atomic<Int>(0)
}
