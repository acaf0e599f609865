import AccessControl
import KafkaProtocol
import Logging
import NIOSSL

/// The broker's security state: who may log in (users file), what each principal may do
/// (ACLs, super users), the TLS context of the secure listeners, and the audit of denials.
final class BrokerSecurity: Sendable {
    let configuration: SecurityConfiguration
    let users: UserDirectory?
    let acls: AclStore
    let tlsContext: NIOSSLContext?
    private let denials: AccessDenialRecorder
    private let logger: Logger

    /// Checks the settings and loads the users file, ACLs and certificates: a broker that
    /// cannot enforce what it was asked to does not start.
    init(configuration: SecurityConfiguration, dataDirectory: String, trail: ComplianceTrail, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        let protocols = Set(configuration.listeners.map(\.protocolName))
        if protocols.contains(where: \.usesSASL) {
            guard let path = configuration.usersFile else {
                throw SecurityConfigurationError("a SASL listener needs --users FILE (written by `eventctl users add`)")
            }
            users = try UserDirectory(path: path, logger: logger)
        } else {
            users = try configuration.usersFile.map { try UserDirectory(path: $0, logger: logger) }
        }
        if protocols.contains(where: \.usesTLS) {
            tlsContext = try Self.makeTLSContext(configuration)
        } else {
            tlsContext = nil
        }
        acls = try AclStore(dataDirectory: dataDirectory)
        denials = AccessDenialRecorder(trail: trail, interval: configuration.denialAuditIntervalSeconds)
        if configuration.authorizationEnabled {
            logger.notice("ACLs enforced (default deny)", metadata: [
                "superUsers": "\(configuration.superUsers.sorted().joined(separator: ";"))",
                "acls": "\(acls.snapshot.bindings.count)",
            ])
        }
    }

    var authorizationEnabled: Bool { configuration.authorizationEnabled }

    /// Whether the session's principal may perform `operation` on the resource. A denial is
    /// written to compliance-events unless `audit` is false (Kafka does not log resources it
    /// merely filters out of a listing).
    func authorize(
        _ session: ConnectionSession, host: String, _ operation: AclOperation, _ type: AclResourceType, _ name: String,
        api: ApiKey, audit: Bool = true
    ) -> Bool {
        guard authorizationEnabled, !configuration.superUsers.contains(session.principal) else { return true }
        if acls.snapshot.allows(principal: session.principal, host: host, operation: operation, resourceType: type, resourceName: name) {
            return true
        }
        if audit {
            logger.debug("access denied", metadata: [
                "principal": "\(session.principal)", "operation": "\(operation)", "resource": "\(type):\(name)", "api": "\(api.name)",
            ])
            denials.record(
                AccessDenialRecorder.Denial(
                    principal: session.principal, host: host, operation: Self.kafkaName(operation),
                    subjectType: type == .group ? .group : type == .topic ? .topic : .cluster, subject: name),
                api: api.name)
        }
        return false
    }

    /// `describeConfigs` → `DESCRIBE_CONFIGS`, as Kafka spells operations.
    static func kafkaName(_ operation: AclOperation) -> String {
        "\(operation)".reduce(into: "") { name, character in
            if character.isUppercase { name += "_" }
            name += character.uppercased()
        }
    }

    private static func makeTLSContext(_ configuration: SecurityConfiguration) throws -> NIOSSLContext {
        guard let certificatePath = configuration.tlsCertificate, let keyPath = configuration.tlsKey else {
            throw SecurityConfigurationError("a TLS listener needs --tls-cert and --tls-key")
        }
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        } catch {
            throw SecurityConfigurationError("--tls-cert \(certificatePath): not a readable PEM certificate (\(error))")
        }
        do {
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        } catch {
            throw SecurityConfigurationError("--tls-key \(keyPath): not a readable PEM private key (\(error))")
        }
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        tls.minimumTLSVersion = .tlsv12
        switch configuration.tlsClientAuth {
        case .none:
            tls.certificateVerification = .none
        case .optional:
            tls.certificateVerification = .optionalVerification
        case .required:
            tls.certificateVerification = .noHostnameVerification
        }
        if configuration.tlsClientAuth != .none {
            guard let ca = configuration.tlsCA else {
                throw SecurityConfigurationError("--tls-client-auth \(configuration.tlsClientAuth.rawValue) needs --tls-ca")
            }
            tls.trustRoots = .file(ca)
        }
        do {
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw SecurityConfigurationError("TLS settings rejected (certificate \(certificatePath), key \(keyPath)): \(error)")
        }
    }
}
