/// The outcome of a compatibility check: a verdict plus human-readable reasons.
public struct CompatibilityResult: Sendable, Equatable {
    /// `true` when the candidate satisfies the level against the history.
    public var isCompatible: Bool
    /// Why the candidate is incompatible (empty when compatible); also used to
    /// report parse errors of the candidate or a previous schema.
    public var messages: [String]

    public init(isCompatible: Bool, messages: [String] = []) {
        self.isCompatible = isCompatible
        self.messages = messages
    }

    /// A compatible result with no messages.
    public static let compatible = CompatibilityResult(isCompatible: true)

    /// An incompatible result carrying `messages`.
    public static func incompatible(_ messages: [String]) -> CompatibilityResult {
        CompatibilityResult(isCompatible: false, messages: messages)
    }
}
