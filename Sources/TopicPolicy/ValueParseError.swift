/// Why a duration, size or integer written in a topics file could not be read.
///
/// The loader turns it into a ``TopicsFileError`` at the value's position.
public struct ValueParseError: Error, CustomStringConvertible, Sendable, Hashable {
    /// What is wrong with the value, e.g. `bad duration unit 'yr' in '7yr'`.
    public let message: String

    /// Creates the error.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
