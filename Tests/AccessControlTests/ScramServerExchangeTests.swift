import AccessControl
import Foundation
import Testing

@Suite struct ScramServerExchangeTests {
    /// RFC 7677 section 3: user "user", password "pencil".
    static let rfcSalt = Data(base64Encoded: "W22ZaJ0SNY7soEsUEjb6gQ==")!
    static let clientFirst = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO"
    static let serverNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"
    static let serverFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
    static let clientFinal = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
    static let serverFinal = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="

    static func exchange(password: String = "pencil", user: String = "user") throws -> ScramServerExchange {
        let credential = try ScramCredential.derive(password: password, mechanism: .sha256, iterations: 4096, salt: rfcSalt)
        return ScramServerExchange(mechanism: .sha256, serverNonce: serverNonce) { $0 == user ? credential : nil }
    }

    @Test func rfc7677TestVectorSucceeds() throws {
        var exchange = try Self.exchange()
        #expect(try exchange.receive(Array(Self.clientFirst.utf8)) == .challenge(Array(Self.serverFirst.utf8)))
        #expect(try exchange.receive(Array(Self.clientFinal.utf8)) == .success(serverFinal: Array(Self.serverFinal.utf8), user: "user"))
    }

    @Test func wrongPasswordIsRefusedAtTheProof() throws {
        var exchange = try Self.exchange(password: "not-pencil")
        _ = try exchange.receive(Array(Self.clientFirst.utf8))
        #expect(throws: SaslFailure.self) { try exchange.receive(Array(Self.clientFinal.utf8)) }
    }

    @Test func unknownUserLooksLikeAWrongPassword() throws {
        var exchange = try Self.exchange(user: "someone-else")
        guard case .challenge(let first) = try exchange.receive(Array(Self.clientFirst.utf8)) else {
            Issue.record("expected a challenge")
            return
        }
        #expect(String(decoding: first, as: UTF8.self).contains(",i=4096"))
        #expect(throws: SaslFailure.self) { try exchange.receive(Array(Self.clientFinal.utf8)) }
    }

    @Test func tamperedNonceOrChannelBindingIsRefused() throws {
        for final in [
            Self.clientFinal.replacingOccurrences(of: "r=rOpr", with: "r=xOpr"),
            Self.clientFinal.replacingOccurrences(of: "c=biws", with: "c=eSws"),
            Self.clientFinal.replacingOccurrences(of: ",p=", with: ",x="),
        ] {
            var exchange = try Self.exchange()
            _ = try exchange.receive(Array(Self.clientFirst.utf8))
            #expect(throws: SaslFailure.self) { try exchange.receive(Array(final.utf8)) }
        }
    }

    @Test func librdkafkaBefore261DoubledClientNonceIsAccepted() throws {
        let credential = try ScramCredential.derive(password: "pencil", mechanism: .sha256, iterations: 4096, salt: Self.rfcSalt)
        var exchange = ScramServerExchange(mechanism: .sha256, serverNonce: Self.serverNonce) { _ in credential }
        _ = try exchange.receive(Array(Self.clientFirst.utf8))
        let withoutProof = "c=biws,r=rOprNGfwEbeRWgbNEkqOrOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"
        let proof = TestScramClient.proof(
            password: "pencil", salt: Self.rfcSalt, iterations: 4096, hash: .sha256,
            authMessage: "n=user,r=rOprNGfwEbeRWgbNEkqO,\(Self.serverFirst),\(withoutProof)")
        let step = try exchange.receive(Array("\(withoutProof),p=\(proof.base64EncodedString())".utf8))
        guard case .success = step else {
            Issue.record("expected success")
            return
        }
        // Any other prefix is still refused.
        var other = ScramServerExchange(mechanism: .sha256, serverNonce: Self.serverNonce) { _ in credential }
        _ = try other.receive(Array(Self.clientFirst.utf8))
        let forged = withoutProof.replacingOccurrences(of: "r=rOprNGfwEbeRWgbNEkqOrOpr", with: "r=xxxxNGfwEbeRWgbNEkqOrOpr")
        #expect(throws: SaslFailure.self) { try other.receive(Array("\(forged),p=\(proof.base64EncodedString())".utf8)) }
    }

    @Test func malformedFirstMessagesAreRefused() throws {
        for first in ["", "n,,", "p=tls-unique,,n=user,r=abc", "n,,r=abc", "n,a=other,n=user,r=abc", "n,,n=us=er,r=abc", "\u{FF}"] {
            var exchange = try Self.exchange()
            #expect(throws: SaslFailure.self, "\(first)") { try exchange.receive(Array(first.utf8)) }
        }
    }

    @Test func sha512RoundTripWithClientSideComputation() throws {
        let credential = try ScramCredential.derive(password: "s3cret", mechanism: .sha512, iterations: 4096)
        var exchange = ScramServerExchange(mechanism: .sha512) { $0 == "bob" ? credential : nil }
        guard case .challenge(let first) = try exchange.receive(Array("n,,n=bob,r=clientnonce".utf8)) else {
            Issue.record("expected a challenge")
            return
        }
        let serverFirst = String(decoding: first, as: UTF8.self)
        let nonce = serverFirst.split(separator: ",")[0].dropFirst(2)
        let withoutProof = "c=biws,r=\(nonce)"
        let proof = TestScramClient.proof(
            password: "s3cret", salt: credential.salt, iterations: 4096, hash: .sha512,
            authMessage: "n=bob,r=clientnonce,\(serverFirst),\(withoutProof)")
        let step = try exchange.receive(Array("\(withoutProof),p=\(proof.base64EncodedString())".utf8))
        guard case .success(_, let user) = step else {
            Issue.record("expected success")
            return
        }
        #expect(user == "bob")
    }

    @Test func plainMessageParsing() throws {
        #expect(try PlainCredentials(message: Array("\0alice\0pw".utf8)) == PlainCredentials(user: "alice", password: "pw"))
        #expect(try PlainCredentials(message: Array("alice\0alice\0pw".utf8)) == PlainCredentials(user: "alice", password: "pw"))
        #expect(throws: SaslFailure.self) { try PlainCredentials(message: Array("mallory\0alice\0pw".utf8)) }
        #expect(throws: SaslFailure.self) { try PlainCredentials(message: Array("\0alice".utf8)) }
        #expect(throws: SaslFailure.self) { try PlainCredentials(message: Array("\0alice\0".utf8)) }
    }
}
