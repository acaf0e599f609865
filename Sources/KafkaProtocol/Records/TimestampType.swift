/// Which clock a batch's timestamps come from: attributes bit 3.
public enum TimestampType: Int, Sendable, CaseIterable {
    /// Set by the producer when the record was created.
    case createTime = 0
    /// Set by the broker on append; every record then reports the batch's `maxTimestamp`.
    case logAppendTime = 1

    public init(attributes: Int16) {
        self = attributes & 0x08 == 0 ? .createTime : .logAppendTime
    }
}
