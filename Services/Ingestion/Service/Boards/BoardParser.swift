import Domain
import Foundation

/// What a board parser knows about the request whose response it reads.
public struct BoardContext: Sendable {
    /// The source's name, stored on every posting.
    public var source: String
    /// The board's token or slug (`catawiki`, `palantir`), the company name's fallback when the
    /// payload does not carry one.
    public var board: String
    /// The URL the payload came from (resolves relative links; identifies JSON-LD pages).
    public var url: String?

    public init(source: String, board: String, url: String? = nil) {
        self.source = source
        self.board = board
        self.url = url
    }
}

/// One response of a board, read.
public struct BoardPage: Sendable {
    public var postings: [JobPosting]
    /// Postings that could not be accepted, each with its reason; the rest of the page still counts.
    public var rejected: [RejectedPosting]
    /// The next page to fetch, for boards that page (Himalayas, SmartRecruiters).
    public var nextPageURL: String?
    /// Where to fetch each posting's detail, by external ID, for boards whose list carries no
    /// description (SmartRecruiters). The fetcher passes each detail to `BoardParser.merge`; a posting
    /// listed here may have an empty `descriptionHTML` until then.
    public var detailURLs: [String: String]

    public init(
        postings: [JobPosting] = [],
        rejected: [RejectedPosting] = [],
        nextPageURL: String? = nil,
        detailURLs: [String: String] = [:]
    ) {
        self.postings = postings
        self.rejected = rejected
        self.nextPageURL = nextPageURL
        self.detailURLs = detailURLs
    }
}

/// Reads one board's wire format into normalized postings.
///
/// A parser is pure: no I/O, no clock. It rejects a single bad posting with a reason and keeps going,
/// and throws `IngestionError.unreadablePayload` only when the payload as a whole is not the board's.
public protocol BoardParser: Sendable {
    func parse(_ data: Data, context: BoardContext) throws -> BoardPage

    /// Completes a listed posting with its detail response, for boards that named a detail URL for it
    /// in `BoardPage.detailURLs`.
    ///
    /// Boards whose list is complete keep the default, which returns the posting unchanged.
    /// - Throws: `IngestionError.unreadablePayload` when the detail is not this posting's (the posting
    ///   is then left out of the run, with the error recorded).
    func merge(detail: Data, into posting: JobPosting, context: BoardContext) throws -> JobPosting
}

extension BoardParser {
    public func merge(detail: Data, into posting: JobPosting, context: BoardContext) throws -> JobPosting {
        posting
    }
}
