import HTTPClient

/// What a successful ``BoardFetcher/fetch(_:headers:)`` got.
public enum FetchResult: Sendable {
    /// A `2xx` response with its body: parse it.
    case fresh(HTTPResponse)
    /// The server answered `304 Not Modified` to the validators saved from an earlier `200`: nothing
    /// changed since, so there is nothing to parse.
    case notModified

    /// The response of a ``fresh(_:)`` result.
    public var response: HTTPResponse? {
        guard case .fresh(let response) = self else { return nil }
        return response
    }
}
