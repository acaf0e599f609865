import Foundation

/// The command a saga is waiting on: in flight (``sentAt`` set) or waiting for its retry
/// (``retryAt`` set).
public struct SagaPendingCommand: Sendable, Hashable, Codable {
    /// Index into the definition's steps.
    public var step: Int
    public var kind: SagaCommandKind
    public var attempt: Int
    /// When this step's first attempt (of this kind) was sent: the step deadline counts from here.
    public var firstSentAt: Date
    public var sentAt: Date?
    /// When the current attempt counts as lost if no reply came.
    public var replyDeadline: Date?
    public var retryAt: Date?
    /// Why the previous attempt failed.
    public var lastError: String?
    /// An earlier attempt got no reply, so it may have been applied: if the step fails, it
    /// is compensated too.
    public var outcomeUnknown: Bool = false
}
