import ArgumentParser
import AuditChain
import Foundation

/// `eventctl verify --data-dir DIR [--topic T] [--public-key FILE]`.
///
/// Offline verification of a (stopped) broker's data directory. Files are only read, never
/// repaired: a broker's own recovery would truncate the evidence. Exit 0 when every audited
/// partition is intact, 3 when anything is wrong (each finding printed, naming topic,
/// partition and offset), 1 when verification could not run.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a data directory's audited topics against their signed checkpoints. Exit 0 intact, 3 tampered, 1 error.")

    @Option(name: .long, help: "The broker's data directory.")
    var dataDir: String

    @Option(name: .long, help: "Verify only this topic.")
    var topic: String?

    @Option(name: .long, help: ArgumentHelp(
        "The signer's public key (hex). Obtain it out of band: a key file inside the directory under audit proves little. Default: DATA-DIR/audit-signing.key.pub.",
        valueName: "file"))
    var publicKey: String?

    func run() throws {
        let results: [AuditDataDirectoryVerifier.PartitionResult]
        do {
            let key = try VerifyingKey.load(from: publicKey ?? (dataDir as NSString).appendingPathComponent("audit-signing.key.pub"))
            results = try AuditDataDirectoryVerifier(dataDirectory: dataDir, publicKey: key).verify(onlyTopic: topic)
        } catch {
            AuditConsole.error("\(error)")
            throw ExitCode.failure
        }
        if results.isEmpty {
            AuditConsole.error("no audited topics in \(dataDir)")
            throw ExitCode.failure
        }
        var tampered = false
        for result in results {
            AuditConsole.printSummary(result.report, findings: result.findings, preAuditRecordCount: result.preAuditRecordCount)
            tampered = tampered || !result.findings.isEmpty
        }
        if tampered { throw ExitCode(AuditConsole.tamperedExitCode) }
    }
}
