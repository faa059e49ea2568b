import Store

/// `GET /api/jobs`'s answer: `{"items": [...], "total": n|null, "page": n|null, "per_page": n,
/// "next_cursor": string|null}`, written by `JobListJSON`.
///
/// `total` and `page` are set for numbered pages and null for cursor pages; `next_cursor` is set
/// whenever there is a next page, so a client may switch to cursors at any page. Every key is always
/// present.
struct JobListResponse: Sendable {
    var items: [JobSummary]
    var total: Int?
    var page: Int?
    var perPage: Int
    var nextCursor: String?
}
