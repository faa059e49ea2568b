/// The parts of a URL the fetcher needs: the host to rate-limit by, and a form safe to log.
///
/// Plain string work instead of `URLComponents`: the URL has not been validated yet (the HTTP client
/// rejects bad ones when the request is made), and both answers must exist for any string.
enum FetchURL {
    /// The lower-cased host of `url` (without user info or port); the whole string, lower-cased, when
    /// it has no recognisable host, so such URLs still share one rate-limit slot.
    static func host(of url: String) -> String {
        guard let authority = authority(of: url) else { return url.lowercased() }
        var host = authority.split(separator: "@", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        if host.hasPrefix("[") {
            // An IPv6 literal: `[::1]:8080`.
            if let end = host.firstIndex(of: "]") { host = String(host[...end]) }
        } else if let colon = host.lastIndex(of: ":") {
            host = String(host[..<colon])
        }
        return host.isEmpty ? url.lowercased() : host.lowercased()
    }

    /// `url` without user name and password, and with the values of query parameters whose names
    /// suggest a credential (`api_key`, `access_token`, `secret`, `signature`…) replaced by
    /// `<redacted>`: what errors and logs may show.
    static func redacted(_ url: String) -> String {
        var result = url
        if let schemeEnd = url.firstRange(of: "://") {
            let rest = url[schemeEnd.upperBound...]
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
            if let at = rest[..<authorityEnd].lastIndex(of: "@") {
                result = String(url[..<schemeEnd.upperBound]) + String(rest[rest.index(after: at)...])
            }
        }
        guard let queryStart = result.firstIndex(of: "?") else { return result }
        let fragmentStart = result[queryStart...].firstIndex(of: "#") ?? result.endIndex
        let query = result[result.index(after: queryStart)..<fragmentStart]
        let parameters = query.split(separator: "&", omittingEmptySubsequences: false).map { parameter -> String in
            guard let equals = parameter.firstIndex(of: "="), isCredential(parameter[..<equals]) else {
                return String(parameter)
            }
            return parameter[...equals] + "<redacted>"
        }
        return result[...queryStart] + parameters.joined(separator: "&") + result[fragmentStart...]
    }

    /// The text between `scheme://` and the path, query or fragment.
    private static func authority(of url: String) -> Substring? {
        guard let schemeEnd = url.firstRange(of: "://") else { return nil }
        let rest = url[schemeEnd.upperBound...]
        let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        return rest[..<end]
    }

    /// Whether a query parameter's name looks like it carries a credential.
    private static func isCredential(_ name: Substring) -> Bool {
        let normalized = name.lowercased().filter { $0.isLetter || $0.isNumber }
        if normalized.hasSuffix("key") || normalized == "sig" { return true }
        return ["token", "secret", "password", "passwd", "signature", "auth", "credential", "session"]
            .contains { normalized.contains($0) }
    }
}
