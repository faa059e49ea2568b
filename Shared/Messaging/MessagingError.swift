/// Why a message could not be sent or handled.
public struct MessagingError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// The entry is not a readable envelope: retrying cannot help, it goes to the dead letters.
        case malformed
        /// The handler decided the message can never succeed (e.g. its job was deleted).
        case unprocessable
        /// Redis answered in a way the messaging layer did not expect.
        case unexpectedReply
        /// The handler ran past its per-message deadline.
        case handlerTimedOut
    }

    public let kind: Kind
    public let message: String

    private init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public static func malformed(_ message: String) -> MessagingError { MessagingError(.malformed, message) }
    /// Thrown by a handler to dead-letter a message at once instead of retrying it.
    public static func unprocessable(_ message: String) -> MessagingError { MessagingError(.unprocessable, message) }
    public static func unexpectedReply(_ message: String) -> MessagingError { MessagingError(.unexpectedReply, message) }
    public static func handlerTimedOut(_ message: String) -> MessagingError { MessagingError(.handlerTimedOut, message) }


    public var description: String { "\(kind): \(message)" }
}
