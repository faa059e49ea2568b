/// Why a source could not be read.
public struct IngestionError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        case unreadablePayload
        case unsupportedSource
        case sourceUnavailable
    }

    public let kind: Kind
    public let message: String

    private init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public static func unreadablePayload(_ message: String) -> IngestionError { IngestionError(.unreadablePayload, message) }
    public static func unsupportedSource(_ kind: String) -> IngestionError { IngestionError(.unsupportedSource, "sources of kind '\(kind)' are not supported") }
    public static func sourceUnavailable(_ message: String) -> IngestionError { IngestionError(.sourceUnavailable, message) }

    public var description: String { message }
}
