import Foundation

/// Where the broker stored a produced message.
public struct DeliveryReport: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    /// The message's offset in its partition.
    public var offset: Int64
    /// The message's timestamp (its create time, or the broker's append time on
    /// `LogAppendTime` topics); `nil` when the broker did not report one.
    public var timestamp: Date?
}
