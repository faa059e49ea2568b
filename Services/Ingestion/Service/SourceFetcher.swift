import Domain
import Foundation
import HTTPClient
import NIOPosix
import Store

/// Gets a source's postings: from its board's API (through the polite `BoardFetcher`), a feed, a
/// careers page, or local files, and reads them with the board's parser.
public struct SourceFetcher: Sendable {
    /// Everything one run fetched.
    public struct Fetch: Sendable {
        public var postings: [JobPosting] = []
        public var rejected: [RejectedPosting] = []
        /// Pages or files that could not be read, while the others were.
        public var errors: [String] = []
        /// The board answered "not modified" to a conditional GET: nothing changed since last time.
        public var notModified = false
    }

    /// Boards that page are followed this far at most, whatever they claim.
    static let maximumPages = 200

    let fetcher: BoardFetcher
    let threadPool: NIOThreadPool

    public init(fetcher: BoardFetcher, threadPool: NIOThreadPool) {
        self.fetcher = fetcher
        self.threadPool = threadPool
    }

    /// - Throws: `IngestionError` or `FetchError` when the source as a whole cannot be read (the board
    ///   is down, the path does not exist); the run then fails with that error.
    public func fetch(_ source: SourceRecord) async throws -> Fetch {
        if source.kind == .file {
            let location = source.location
            let name = source.name
            return try await threadPool.runIfActive { try Self.readFiles(at: location, source: name) }
        }
        guard let format = Self.format(of: source.kind) else {
            throw IngestionError.unsupportedSource(source.kind.rawValue)
        }
        let parser = format.parser
        let board = Self.boardName(of: source)
        var fetch = Fetch()
        var next: String? = try Self.firstURL(for: source)
        var pages = 0
        while let url = next, pages < Self.maximumPages {
            pages += 1
            let result: FetchResult
            do {
                // Only the first page is asked for conditionally: a later page that is "not modified"
                // while the first one changed would otherwise be lost from this run.
                result = try await fetcher.fetch(url, conditional: pages == 1)
            } catch {
                // The first page failing is the board failing; a later one only cuts the run short.
                if pages == 1 { throw error }
                fetch.errors.append("\(error)")
                break
            }
            guard case .fresh(let response) = result else {
                fetch.notModified = pages == 1
                break
            }
            let context = BoardContext(source: source.name, board: board, url: response.url)
            let body = Data(response.body)
            var page: BoardPage
            do {
                page = try await threadPool.runIfActive { try parser.parse(body, context: context) }
            } catch {
                if pages == 1 { throw error }
                fetch.errors.append("\(url): \(error)")
                break
            }
            page.postings = try await withDetails(page, parser: parser, context: context, into: &fetch)
            fetch.postings += page.postings
            fetch.rejected += page.rejected
            next = page.nextPageURL
        }
        return fetch
    }

    /// Fills in postings whose description only comes from a detail call (SmartRecruiters).
    /// A posting whose detail cannot be read is rejected with the reason; one whose detail cannot be
    /// fetched is left out and the failure recorded with the run's errors.
    private func withDetails(_ page: BoardPage, parser: any BoardParser, context: BoardContext, into fetch: inout Fetch) async throws -> [JobPosting] {
        guard !page.detailURLs.isEmpty else { return page.postings }
        var postings: [JobPosting] = []
        for posting in page.postings {
            guard let url = page.detailURLs[posting.externalID] else {
                postings.append(posting)
                continue
            }
            let body: Data
            do {
                guard case .fresh(let response) = try await fetcher.fetch(url, conditional: false) else { continue }
                body = Data(response.body)
            } catch {
                fetch.errors.append("detail of \(posting.externalID): \(error)")
                continue
            }
            do {
                postings.append(try await threadPool.runIfActive { try parser.merge(detail: body, into: posting, context: context) })
            } catch {
                fetch.rejected.append(RejectedPosting(reference: posting.externalID, reason: "\(error)"))
            }
        }
        return postings
    }

    // MARK: - Where each kind lives

    /// The board's API address for a token, or the location itself when it is a URL (a mirror, or a
    /// test server).
    static func firstURL(for source: SourceRecord) throws -> String {
        let location = source.location.trimmingCharacters(in: .whitespaces)
        if location.hasPrefix("http://") || location.hasPrefix("https://") { return location }
        guard let token = location.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed), !token.isEmpty else {
            throw IngestionError.sourceUnavailable("source '\(source.name)' has no location")
        }
        switch source.kind {
        case .greenhouse: return "https://boards-api.greenhouse.io/v1/boards/\(token)/jobs?content=true"
        case .lever: return "https://api.lever.co/v0/postings/\(token)?mode=json"
        case .ashby: return "https://api.ashbyhq.com/posting-api/job-board/\(token)?includeCompensation=true"
        case .himalayas: return "https://himalayas.app/jobs/api?limit=20&offset=0"
        case .remotive: return "https://remotive.com/api/remote-jobs"
        case .remoteok: return "https://remoteok.com/api"
        case .workable: return "https://apply.workable.com/api/v1/widget/accounts/\(token)?details=true"
        case .smartrecruiters: return "https://api.smartrecruiters.com/v1/companies/\(token)/postings?limit=100&offset=0"
        case .feed, .jsonld, .file:
            throw IngestionError.sourceUnavailable("a \(source.kind.rawValue) source needs a URL as its location")
        }
    }

    /// The path segment after which each board's API names the board (`/v1/boards/{token}/jobs`).
    static let boardSegment: [SourceKind: String] = [
        .greenhouse: "boards", .lever: "postings", .ashby: "job-board", .workable: "accounts", .smartrecruiters: "companies",
    ]

    /// The board token: the location itself, or for a URL the path segment that names the board.
    static func boardName(of source: SourceRecord) -> String {
        guard let url = URLComponents(string: source.location), url.scheme != nil else { return source.location }
        let segments = url.path.split(separator: "/").map(String.init)
        if let marker = boardSegment[source.kind], let index = segments.firstIndex(of: marker), index + 1 < segments.count {
            return segments[index + 1]
        }
        return url.host ?? source.name
    }

    /// The wire format of a remote source (a `file` source's format is detected per file instead).
    static func format(of kind: SourceKind) -> BoardFormat? {
        switch kind {
        case .file: nil
        case .feed: .feed
        case .jsonld: .jsonld
        default: BoardFormat(rawValue: kind.rawValue)
        }
    }

    // MARK: - Local files

    /// A file, or every file of a folder, each in whatever board format its content shows; a file's
    /// name (without extension) is its board name. Blocking: run it on the thread pool.
    static func readFiles(at path: String, source: String) throws -> Fetch {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw IngestionError.sourceUnavailable("no file or folder at \(path)")
        }
        let files: [URL]
        if isDirectory.boolValue {
            let names = try FileManager.default.contentsOfDirectory(atPath: path)
                .filter { !$0.hasPrefix(".") }
                .sorted()
            files = names.map { URL(fileURLWithPath: path).appendingPathComponent($0) }
        } else {
            files = [URL(fileURLWithPath: path)]
        }
        var fetch = Fetch()
        for file in files {
            do {
                let data = try Data(contentsOf: file)
                guard let format = BoardFormat.detect(data, fileName: file.lastPathComponent) else {
                    throw IngestionError.unreadablePayload("not a job-board format Jobsmith knows")
                }
                let context = BoardContext(source: source, board: file.deletingPathExtension().lastPathComponent, url: file.absoluteString)
                let page = try format.parser.parse(data, context: context)
                fetch.postings += page.postings
                fetch.rejected += page.rejected.map {
                    RejectedPosting(reference: "\(file.lastPathComponent) \($0.reference)", reason: $0.reason)
                }
            } catch {
                fetch.errors.append("\(file.lastPathComponent): \(error)")
            }
        }
        return fetch
    }
}
