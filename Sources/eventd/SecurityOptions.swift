import ArgumentParser
import Broker
import Foundation

/// `eventd`'s secure-listener flags (README "Security"). Without any of the `--*-listen`
/// flags the broker serves only the plaintext `--listen` listener and enforces no ACLs.
struct SecurityOptions: ParsableArguments {
    @Option(help: "TLS listener HOST:PORT (principal: the client certificate's subject, else ANONYMOUS).")
    var sslListen: String?

    @Option(help: "SASL listener without TLS, HOST:PORT (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512).")
    var saslListen: String?

    @Option(help: "SASL over TLS listener, HOST:PORT.")
    var saslSslListen: String?

    @Option(help: "Users file with salted SCRAM credentials (eventctl users add); required with a SASL listener.")
    var users: String?

    @Option(help: "PEM server certificate (chain) for TLS listeners.")
    var tlsCert: String?

    @Option(help: "PEM private key for --tls-cert.")
    var tlsKey: String?

    @Option(help: "PEM CA bundle that client certificates must chain to.")
    var tlsCa: String?

    @Option(help: "Client certificates on TLS listeners: none, optional or required.")
    var tlsClientAuth: String = "none"

    @Option(help: "Principals that bypass ACLs, ';'-separated (e.g. 'User:admin;User:CN=ops').")
    var superUsers: String?

    func configuration() throws -> SecurityConfiguration {
        var security = SecurityConfiguration()
        for (value, flag, kind) in [
            (sslListen, "--ssl-listen", ListenerProtocol.ssl),
            (saslListen, "--sasl-listen", .saslPlaintext),
            (saslSslListen, "--sasl-ssl-listen", .saslSSL),
        ] {
            guard let value else { continue }
            let (host, port) = try Eventd.hostPort(value, flag: flag)
            security.listeners.append(ListenerConfiguration(protocolName: kind, host: host, port: port))
        }
        guard let clientAuth = TLSClientAuth(rawValue: tlsClientAuth) else {
            throw ValidationError("--tls-client-auth: expected none, optional or required, got '\(tlsClientAuth)'")
        }
        for (path, flag) in [(users, "--users"), (tlsCert, "--tls-cert"), (tlsKey, "--tls-key"), (tlsCa, "--tls-ca")] {
            if let path, !FileManager.default.isReadableFile(atPath: path) {
                throw ValidationError("\(flag): \(path) does not exist or cannot be read")
            }
        }
        security.usersFile = users
        security.tlsCertificate = tlsCert
        security.tlsKey = tlsKey
        security.tlsCA = tlsCa
        security.tlsClientAuth = clientAuth
        security.superUsers = Set((superUsers ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        return security
    }
}
