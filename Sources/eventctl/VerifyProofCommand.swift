import ArgumentParser
import AuditChain
import Foundation

/// `eventctl verify-proof FILE [--public-key KEY]`.
///
/// Checks an inclusion proof offline (``InclusionProof/verifyProof(_:publicKey:)``): the
/// checkpoint is signed by the key, and the record's recomputed leaf hash leads along the
/// audit path to the signed root. Exit 0 valid, 3 invalid (any changed byte of the record,
/// path or checkpoint), 1 when the file or key cannot be read.
struct VerifyProofCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-proof",
        abstract: "Verify an inclusion proof file. Exit 0 valid, 3 invalid, 1 error.")

    @Argument(help: "The proof file (from eventctl prove).")
    var file: String

    @Option(name: .long, help: ArgumentHelp("The signer's public key (hex), best obtained out of band (default ./data/audit-signing.key.pub, where eventd with its default --data-dir keeps it).", valueName: "file"))
    var publicKey: String = "./data/audit-signing.key.pub"

    func run() throws {
        let data: Data
        let key: VerifyingKey
        do {
            guard let contents = FileManager.default.contents(atPath: file) else { throw AuditCommandError("cannot read \(file)") }
            data = contents
            key = try VerifyingKey.load(from: publicKey)
        } catch {
            AuditConsole.error("\(error)")
            throw ExitCode.failure
        }
        do {
            let proof = try InclusionProof.verifyProof(data, publicKey: key)
            let record = proof.record
            AuditConsole.out("OK topic \(record.topic) partition \(record.partition) offset \(record.offset) is leaf \(proof.leafIndex) of the log of \(proof.treeSize) records signed at \(proof.checkpoint.checkpoint.timestampMs) by \(key.fingerprint)")
        } catch {
            // Name what the proof claims, if it parses at all: that is the record in question.
            let claim = (try? InclusionProof(json: data)).map { "topic \($0.record.topic) partition \($0.record.partition) offset \($0.record.offset)" } ?? file
            AuditConsole.error("INVALID proof for \(claim): \(error)")
            throw ExitCode(AuditConsole.tamperedExitCode)
        }
    }
}
