/// What the log remembers of one appended idempotent batch, to recognise a retry of it.
struct ProducerBatchMetadata: Codable, Equatable, Sendable {
    var firstSequence: Int32
    var lastSequence: Int32
    var firstOffset: Int64
    var lastOffset: Int64
    /// The batch's max timestamp as stored (the log append time under LogAppendTime).
    var timestamp: Int64

    /// The sequence of the last record of a batch, wrapping past Int32.max to 0 as producers do.
    static func lastSequence(first: Int32, lastOffsetDelta: Int32) -> Int32 {
        first > Int32.max - lastOffsetDelta
            ? lastOffsetDelta - (Int32.max - first) - 1
            : first + lastOffsetDelta
    }
}
