import Foundation

/// A SASL/PLAIN message (RFC 4616): `[authzid] NUL authcid NUL passwd`.
public struct PlainCredentials: Sendable, Equatable {
    public var user: String
    public var password: String

    public init(user: String, password: String) {
        self.user = user
        self.password = password
    }

    /// Parses the client's message; an authzid other than the user is refused, as Kafka does.
    public init(message: [UInt8]) throws(SaslFailure) {
        let fields = message.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3,
              let authzid = String(bytes: fields[0], encoding: .utf8),
              let user = String(bytes: fields[1], encoding: .utf8),
              let password = String(bytes: fields[2], encoding: .utf8)
        else { throw SaslFailure("malformed PLAIN message") }
        guard !user.isEmpty, !password.isEmpty else { throw SaslFailure("PLAIN message lacks user or password") }
        guard authzid.isEmpty || authzid == user else { throw SaslFailure("PLAIN authorization id differs from the user name") }
        self.init(user: user, password: password)
    }
}
