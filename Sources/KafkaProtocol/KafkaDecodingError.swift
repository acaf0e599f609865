/// Raised when bytes from the wire do not form a valid Kafka structure.
///
/// Decoding never traps on hostile input: every read that would run past the
/// end of a buffer, or meets an impossible length, throws this instead.
public struct KafkaDecodingError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }

    @usableFromInline
    static func truncated(_ what: String) -> KafkaDecodingError {
        KafkaDecodingError("truncated input while reading \(what)")
    }
}
