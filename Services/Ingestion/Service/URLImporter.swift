import Domain
import Foundation
import HTTPClient
import Logging
import Messaging
import NIOPosix
import Redis
import Store

/// Imports one job from a page's URL (`ingest.url`): fetches the page, reads its schema.org
/// `JobPosting`, stores it as ingestion stores a board's posting (source `url`, the URL as its
/// external id), publishes it to the pipeline and records the import's state in Redis.
///
/// A page that cannot be fetched or holds no posting fails the import with the reason; that is the
/// page's answer, not a fault to retry. Only PostgreSQL or Redis failing is thrown, so the command is
/// delivered again and the import, which is idempotent, finishes then.
public struct URLImporter: Sendable {
    let runner: IngestionRunner
    let redis: RedisClient
    let logger: Logger

    public init(runner: IngestionRunner, redis: RedisClient, logger: Logger) {
        self.runner = runner
        self.redis = redis
        self.logger = logger
    }

    /// Carries out the import and returns its final state.
    @discardableResult
    public func importPage(_ command: IngestURLCommand) async throws -> IngestURLCommand.State {
        var logger = self.logger
        logger[metadataKey: "import.id"] = "\(command.importID)"
        try await record(.init(importID: command.importID, url: command.url, status: .running))
        let posting: JobPosting
        do {
            posting = try await readPosting(at: command.url)
        } catch let failure as ImportFailure {
            logger.notice("URL import failed", metadata: ["error": "\(failure.message)"])
            return try await record(.init(importID: command.importID, url: command.url, status: .failed, error: failure.message))
        }
        do {
            let runID = UUID(uuidString: command.importID) ?? UUID()
            let prepared = try await runner.threadPool.runIfActive { [scorer = runner.scorer] in
                PostingPreparer.prepare(posting, scorer: scorer, threshold: 0)
            }
            let matcher = runner.matcher
            let added = try await runner.store.addManualJob(prepared, runID: runID) { matcher.isSameJob($0, $1) }
            if let contentHash = try await runner.store.unpublishedContent(jobID: added.jobID) {
                try await runner.producer.publish(
                    JobIngested(jobID: added.jobID), to: runner.streams.jobsIngested, jobID: added.jobID, correlationID: command.importID
                )
                try await runner.store.markPublished([(added.jobID, contentHash)])
            }
            logger.info("URL import stored its job", metadata: ["job.id": "\(added.jobID)", "import.new": "\(added.isNew)"])
            return try await record(
                .init(importID: command.importID, url: command.url, status: .succeeded, jobID: added.jobID, duplicate: !added.isNew)
            )
        } catch {
            // Shown until the redelivery sets it running again.
            _ = try? await record(.init(importID: command.importID, url: command.url, status: .failed, error: "storing the job failed: \(error)"))
            throw error
        }
    }

    /// The page's posting, as it will be stored: the posting the page is about (the one whose URL is
    /// the page's, else the first), under source `url` with the URL as its id.
    func readPosting(at url: String) async throws -> JobPosting {
        guard let components = URLComponents(string: url), ["http", "https"].contains(components.scheme?.lowercased()),
              components.host?.isEmpty == false else {
            throw ImportFailure("'\(url)' is not an http(s) URL")
        }
        let result: FetchResult
        do {
            // Unconditional: a 304 would leave nothing to read.
            result = try await runner.fetcher.fetcher.fetch(url, conditional: false)
        } catch let error as FetchError {
            throw ImportFailure("could not fetch the page: \(error)")
        }
        guard let response = result.response else { throw ImportFailure("the server sent no page (304 Not Modified)") }
        let context = BoardContext(source: JobStore.urlSource, board: components.host ?? url, url: response.url)
        let page: BoardPage
        do {
            page = try await runner.threadPool.runIfActive { try JSONLDPageParser().parse(Data(response.body), context: context) }
        } catch let error as IngestionError where error.kind == .unreadablePayload {
            throw ImportFailure(
                "the page has no schema.org JobPosting (JSON-LD) to import: paste the job's title, company and description instead (\(error))"
            )
        } catch {
            throw ImportFailure("the page could not be read: \(error)")
        }
        guard var posting = page.postings.first(where: { $0.jobURL == url || $0.jobURL == response.url }) ?? page.postings.first else {
            let reasons = page.rejected.map { "\($0.reference): \($0.reason)" }.joined(separator: "; ")
            throw ImportFailure("the page's JobPosting cannot be imported: \(reasons)")
        }
        posting.source = JobStore.urlSource
        posting.externalID = url
        posting.jobURL = posting.jobURL ?? response.url
        return posting
    }

    @discardableResult
    private func record(_ state: IngestURLCommand.State) async throws -> IngestURLCommand.State {
        let replies = try await redis.pipeline(state.writeCommands(runner.streams))
        if let failure = replies.first(where: { if case .error(_) = $0 { true } else { false } }) {
            throw MessagingError.unexpectedReply("recording the import's state failed: \(failure)")
        }
        return state
    }

    /// Why the page cannot be imported: the import's error, in a sentence for the user.
    struct ImportFailure: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }
}
