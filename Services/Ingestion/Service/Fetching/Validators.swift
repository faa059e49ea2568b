import HTTPClient

/// The validators of a response — its `ETag` and `Last-Modified` — kept so the next request for the
/// same URL can be conditional.
///
/// A board that has not changed then answers `304 Not Modified` with no body: the ingestion run skips
/// parsing and storing, and the board serves a few bytes instead of megabytes.
public struct Validators: Sendable, Hashable {
    /// The `ETag` exactly as received (strong or weak, quotes included), sent back as `If-None-Match`.
    public var etag: String?
    /// The `Last-Modified` HTTP date exactly as received, sent back as `If-Modified-Since`.
    public var lastModified: String?

    public init(etag: String? = nil, lastModified: String? = nil) {
        self.etag = etag
        self.lastModified = lastModified
    }

    /// Whether there is nothing to make a request conditional with.
    public var isEmpty: Bool {
        etag == nil && lastModified == nil
    }

    /// The validators a response carries; empty values count as absent.
    public init(of response: HTTPResponse) {
        func value(_ name: String) -> String? {
            guard let value = response.header(name), !value.isEmpty else { return nil }
            return value
        }
        self.init(etag: value("ETag"), lastModified: value("Last-Modified"))
    }

    /// `If-None-Match` and `If-Modified-Since` for a conditional request.
    ///
    /// Both are sent when both are known: a server that supports only one ignores the other, and one
    /// that supports both gives `If-None-Match` precedence (RFC 9110 §13.2.2).
    public var conditionalHeaders: [HTTPHeader] {
        var headers: [HTTPHeader] = []
        if let etag { headers.append(HTTPHeader(name: "If-None-Match", value: etag)) }
        if let lastModified { headers.append(HTTPHeader(name: "If-Modified-Since", value: lastModified)) }
        return headers
    }
}
