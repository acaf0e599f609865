import Foundation

/// The server side of one SCRAM exchange (RFC 5802), two client messages long:
/// client-first → server-first, client-final → server-final.
///
/// An unknown user gets a made-up salt and fails at the proof like a wrong password, so the
/// exchange does not reveal which users exist.
public struct ScramServerExchange: Sendable {
    /// What to send back after a client message.
    public enum Step: Sendable, Equatable {
        /// server-first-message; the exchange waits for client-final.
        case challenge([UInt8])
        /// server-final-message; `user` is authenticated.
        case success(serverFinal: [UInt8], user: String)
    }

    private enum State: Sendable {
        case awaitingClientFirst
        case awaitingClientFinal(First)
        case finished
    }

    private struct First: Sendable {
        var user: String
        var credential: ScramCredential
        var known: Bool
        var gs2Header: String
        var clientFirstBare: String
        var serverFirst: String
        var nonce: String
        var clientNonce: String
    }

    public let mechanism: ScramMechanism
    private let lookup: @Sendable (String) -> ScramCredential?
    private let serverNonce: String
    private var state = State.awaitingClientFirst

    /// - Parameters:
    ///   - lookup: the stored credential of a user for this mechanism, nil when there is none.
    ///   - serverNonce: the server's part of the nonce; random unless a test fixes it.
    public init(mechanism: ScramMechanism, serverNonce: String? = nil, lookup: @escaping @Sendable (String) -> ScramCredential?) {
        self.mechanism = mechanism
        self.lookup = lookup
        // Letters and digits only: printable and free of the ',' and '=' that SCRAM messages use as separators.
        self.serverNonce = serverNonce ?? String((0..<32).map { _ in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".randomElement()! })
    }

    /// Takes the next client message; throws ``SaslFailure`` when the exchange must end.
    public mutating func receive(_ message: [UInt8]) throws(SaslFailure) -> Step {
        guard let text = String(bytes: message, encoding: .utf8) else {
            state = .finished
            throw SaslFailure("SCRAM message is not UTF-8")
        }
        switch state {
        case .awaitingClientFirst:
            let first = try clientFirst(text)
            state = .awaitingClientFinal(first)
            return .challenge(Array(first.serverFirst.utf8))
        case .awaitingClientFinal(let first):
            state = .finished
            return try clientFinal(text, first: first)
        case .finished:
            throw SaslFailure("SCRAM exchange already finished")
        }
    }

    private func clientFirst(_ text: String) throws(SaslFailure) -> First {
        // gs2-header: channel-binding flag, optional authzid, then client-first-message-bare.
        let parts = text.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw SaslFailure("malformed client-first-message") }
        guard parts[0] == "n" || parts[0] == "y" else {
            throw SaslFailure("channel binding is not supported (gs2 flag '\(parts[0])')")
        }
        let bare = String(parts[2])
        let attributes = Self.attributes(bare)
        guard let encodedUser = attributes["n"], let clientNonce = attributes["r"], !clientNonce.isEmpty else {
            throw SaslFailure("client-first-message lacks n= or r=")
        }
        guard let user = Self.decodeSaslName(encodedUser), !user.isEmpty else {
            throw SaslFailure("malformed user name in client-first-message")
        }
        if !parts[1].isEmpty {
            // Kafka allows an authzid only when it names the authenticating user.
            guard parts[1].hasPrefix("a="), Self.decodeSaslName(String(parts[1].dropFirst(2))) == user else {
                throw SaslFailure("authorization id differs from the user name")
            }
        }
        let stored = lookup(user)
        let credential = stored ?? ScramCredential(
            salt: Data(mechanism.hash(Array(("unknown:" + user).utf8)).prefix(16)), iterations: ScramMechanism.minimumIterations,
            storedKey: Data((0..<32).map { _ in UInt8.random(in: 0...255) }), serverKey: Data())
        let nonce = clientNonce + serverNonce
        let serverFirst = "r=\(nonce),s=\(credential.salt.base64EncodedString()),i=\(credential.iterations)"
        return First(
            user: user, credential: credential, known: stored != nil, gs2Header: "\(parts[0]),\(parts[1]),",
            clientFirstBare: bare, serverFirst: serverFirst, nonce: nonce, clientNonce: clientNonce)
    }

    private func clientFinal(_ text: String, first: First) throws(SaslFailure) -> Step {
        guard let proofRange = text.range(of: ",p=", options: .backwards) else {
            throw SaslFailure("client-final-message lacks a proof")
        }
        let withoutProof = String(text[..<proofRange.lowerBound])
        let attributes = Self.attributes(withoutProof)
        guard attributes["c"] == Data(first.gs2Header.utf8).base64EncodedString() else {
            throw SaslFailure("channel binding in client-final-message does not match client-first")
        }
        // librdkafka before 2.6.1 sends its own nonce once more in front (librdkafka#4895); Kafka
        // 3.8.1+ accepts that form too, and librdkafka 2.0.2 is a client we must serve.
        guard attributes["r"] == first.nonce || attributes["r"] == first.clientNonce + first.nonce else {
            throw SaslFailure("nonce in client-final-message differs from the server's")
        }
        guard let proof = Data(base64Encoded: String(text[proofRange.upperBound...])) else {
            throw SaslFailure("proof is not base64")
        }
        let authMessage = Array("\(first.clientFirstBare),\(first.serverFirst),\(withoutProof)".utf8)
        let clientSignature = mechanism.hmac(key: first.credential.storedKey, authMessage)
        guard proof.count == clientSignature.count else { throw SaslFailure("proof has the wrong length") }
        let clientKey = zip(proof, clientSignature).map { $0 ^ $1 }
        guard first.known, constantTimeEqual(mechanism.hash(clientKey), Array(first.credential.storedKey)) else {
            throw SaslFailure(first.known ? "wrong password for user '\(first.user)'" : "unknown user '\(first.user)'")
        }
        let serverSignature = mechanism.hmac(key: first.credential.serverKey, authMessage)
        return .success(serverFinal: Array("v=\(Data(serverSignature).base64EncodedString())".utf8), user: first.user)
    }

    /// `k=v` pairs of a SCRAM message (values may contain '=').
    private static func attributes(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let equals = part.firstIndex(of: "="), part.distance(from: part.startIndex, to: equals) == 1 else { continue }
            let key = String(part[..<equals])
            if result[key] == nil { result[key] = String(part[part.index(after: equals)...]) }
        }
        return result
    }

    /// RFC 5802 saslname: ',' and '=' arrive as "=2C" and "=3D"; any other '=' is malformed.
    static func decodeSaslName(_ encoded: String) -> String? {
        var result = ""
        var rest = Substring(encoded)
        while let equals = rest.firstIndex(of: "=") {
            result += rest[..<equals]
            let escape = rest[equals...].prefix(3)
            switch escape {
            case "=2C": result += ","
            case "=3D": result += "="
            default: return nil
            }
            rest = rest[rest.index(equals, offsetBy: 3)...]
        }
        return result + rest
    }
}
