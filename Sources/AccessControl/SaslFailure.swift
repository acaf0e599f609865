/// Why a SASL exchange was refused. The broker sends ``clientMessage`` to the client; it
/// never says whether the user or the password was wrong.
public struct SaslFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// For the broker's log: what exactly was wrong.
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var clientMessage: String { "Authentication failed: invalid credentials or SASL message" }
    public var description: String { reason }
}
