import NIOCore

/// One header of a record: a UTF-8 key and an optional byte value.
public struct RecordHeader: Sendable, Hashable {
    public var key: String
    /// The value bytes, or nil for a null value (distinct from an empty one).
    public var value: ByteBuffer?

    public init(key: String, value: ByteBuffer?) {
        self.key = key
        self.value = value
    }
}
