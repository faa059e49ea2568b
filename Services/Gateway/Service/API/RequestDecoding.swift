import Foundation
import Hummingbird
import Runtime

/// The largest JSON body any endpoint reads; larger bodies get a 413.
let maximumBodyBytes = 1 << 20

/// Decodes a JSON body, turning any decoding failure into a 400 that says what was wrong.
func decode<Value: Decodable>(_ type: Value.Type, from request: Request, context: ServiceRequestContext) async throws -> Value {
    guard let value = try await optionalBody(type, from: request, context: context) else {
        throw APIError.badRequest("the request needs a JSON body")
    }
    return value
}

/// Decodes a JSON body when there is one; nil for an empty body.
func optionalBody<Value: Decodable>(_ type: Value.Type, from request: Request, context: ServiceRequestContext) async throws -> Value? {
    let body = try await request.body.collect(upTo: maximumBodyBytes)
    guard body.readableBytes > 0 else { return nil }
    do {
        return try JSONDecoder().decode(type, from: Data(body.readableBytesView))
    } catch let error as DecodingError {
        throw APIError.badRequest("invalid JSON body: \(describe(error))")
    } catch {
        throw APIError.badRequest("invalid JSON body")
    }
}

/// A decoding error in a sentence an API user can act on.
private func describe(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map(\.stringValue).joined(separator: ".")
        return path.isEmpty ? "" : " at '\(path)'"
    }
    switch error {
    case .keyNotFound(let key, _): return "missing field '\(key.stringValue)'"
    case .typeMismatch(_, let context): return "wrong type\(path(context)): \(context.debugDescription)"
    case .valueNotFound(_, let context): return "missing value\(path(context))"
    case .dataCorrupted(let context): return "\(context.debugDescription)\(path(context))"
    @unknown default: return "\(error)"
    }
}

/// A positive integer path parameter, such as a job's `id`.
func positiveInteger(_ name: String, in context: ServiceRequestContext, label: String = "job id") throws -> Int {
    let raw = context.parameters.get(name) ?? ""
    guard let value = Int(raw), value > 0 else { throw APIError.badRequest("\(label) must be a positive integer, got '\(raw)'") }
    return value
}

/// A whole-number query parameter within `range`, or `fallback` when absent.
func integerQuery(_ request: Request, _ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
    guard let text = request.uri.queryParameters[Substring(name)] else { return fallback }
    guard let value = Int(text), range.contains(value) else {
        throw APIError.badRequest("\(name) must be a whole number in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
    }
    return value
}
