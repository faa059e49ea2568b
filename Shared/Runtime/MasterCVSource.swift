import Domain
import Foundation
import Logging
import NIOPosix
import Postgres
import Store

/// The current master CV, as every service that needs it reads it: the newest version in PostgreSQL,
/// seeded from the configured file (`MASTER_CV_PATH`) when there is none yet.
///
/// Users edit the master CV through the gateway; a service must pick up a new version without a
/// restart, but reading and decoding it for every message would be waste. The source keeps the
/// decoded CV and asks PostgreSQL for the newest version number at most once per `refreshInterval`.
public actor MasterCVSource {
    public struct Current: Sendable {
        public var master: MasterCV
        public var version: Int
    }

    private let store: JobStore
    private let seedPath: String?
    private let threadPool: NIOThreadPool
    private let logger: Logger
    private let refreshInterval: Duration
    private var cached: Current?
    private var checkedAt: ContinuousClock.Instant?

    public init(store: JobStore, seedPath: String?, threadPool: NIOThreadPool, logger: Logger, refreshInterval: Duration = .seconds(5)) {
        self.store = store
        self.seedPath = seedPath
        self.threadPool = threadPool
        self.logger = logger
        self.refreshInterval = refreshInterval
    }

    /// The newest master CV, or nil when none is stored and no seed file is readable.
    public func current() async throws -> Current? {
        if let cached, let checkedAt, ContinuousClock.now - checkedAt < refreshInterval { return cached }
        var stored = try await store.currentMasterCV()
        if stored == nil, let seedPath {
            do {
                let url = URL(fileURLWithPath: seedPath)
                // Reading the file blocks; it runs on the pool like every other blocking call.
                let master = try await threadPool.runIfActive { try MasterCV.load(from: url) }
                try await store.seedMasterCV(try PostgresJSON(master), fingerprint: master.fingerprint)
                stored = try await store.currentMasterCV()
            } catch {
                logger.warning("No master CV stored and the seed file could not be read", metadata: ["path": "\(seedPath)", "error": "\(error)"])
            }
        }
        guard let stored, let document = stored.document else {
            cached = nil
            return nil
        }
        if cached?.version != stored.version {
            let master = try JSONDecoder().decode(MasterCV.self, from: Data(try JSONEncoder().encode(document)))
            cached = Current(master: master, version: stored.version)
        }
        checkedAt = .now
        return cached
    }
}
