import ArgumentParser
import AuditChain
import Foundation
import TopicPolicy

/// `eventctl audit follow --bootstrap HOST:PORT --signing-key FILE [--topics a,b | --file topics.yaml] [--audit-topic NAME]`.
///
/// The companion for a stock Kafka cluster: consumes the audited topics in offset order,
/// chains their records exactly as eventd does and writes the same audit records to the
/// audit topic, so that `eventctl replay --verify` and `prove` work there too. It resumes
/// where the audit topic says it stopped. Runs until SIGINT/SIGTERM (writing a final
/// checkpoint for every partition), or with `--until-caught-up` until every partition has
/// been read to its end.
///
/// eventd refuses client writes to its internal `__audit`; against eventd (tests), pass
/// another `--audit-topic`.
struct AuditFollowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "follow",
        abstract: "Chain audited topics of a stock Kafka cluster and write signed checkpoints to the audit topic.")

    @OptionGroup var cluster: AuditClusterOptions

    @Option(name: .long, parsing: .upToNextOption, help: "Topics to audit (comma or space separated).")
    var topics: [String] = []

    @Option(name: .long, help: "A topics.yaml: its topics with `audit: true` are audited.")
    var file: String?

    @Option(name: .long, help: ArgumentHelp("Ed25519 signing key (created with mode 0600 when absent; the public key goes to FILE.pub).", valueName: "file"))
    var signingKey: String

    @Option(name: .long, help: "Write a checkpoint after this many records of a partition.")
    var checkpointRecords: Int = 10_000

    @Option(name: .long, help: "Write checkpoints of partitions with new records this often (ms).")
    var checkpointIntervalMs: Int = 1_000

    @Flag(name: .long, help: "Exit (after a final checkpoint) once every partition has been read to its end.")
    var untilCaughtUp = false

    func run() async throws {
        do {
            var names = topics.flatMap { $0.split(separator: ",").map(String.init) }
            if let file {
                names += try TopicsFile.load(path: file).topics.filter(\.audit).map(\.name)
            }
            guard !names.isEmpty else { throw AuditCommandError("nothing to audit: pass --topics or a --file with `audit: true` topics") }
            let companion = try AuditCompanion(
                cluster: cluster, topics: Array(Set(names)).sorted(), signingKey: SigningKey.loadOrCreate(at: signingKey),
                checkpointRecords: max(checkpointRecords, 1), checkpointInterval: .milliseconds(max(checkpointIntervalMs, 10)))
            try await companion.run(untilCaughtUp: untilCaughtUp)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            AuditConsole.error("\(error)")
            throw ExitCode.failure
        }
    }
}
