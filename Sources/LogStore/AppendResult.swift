/// What an append did, in the terms a Produce response needs.
public struct AppendResult: Sendable, Equatable {
    /// Offset assigned to the first record of the first batch.
    public var baseOffset: Int64
    /// Offset of the last record of the last batch.
    public var lastOffset: Int64
    /// The broker time stamped into the batches when the log uses LogAppendTime, else -1.
    public var logAppendTime: Int64
    /// The log start offset after the append (Produce v5+ returns it).
    public var logStartOffset: Int64
    /// True when the batch was a retry of one already in the log (idempotent producer):
    /// nothing was written and the offsets are those of the original append.
    public var isDuplicate: Bool

    public init(baseOffset: Int64, lastOffset: Int64, logAppendTime: Int64, logStartOffset: Int64, isDuplicate: Bool) {
        self.baseOffset = baseOffset
        self.lastOffset = lastOffset
        self.logAppendTime = logAppendTime
        self.logStartOffset = logStartOffset
        self.isDuplicate = isDuplicate
    }
}
