import AuditChain
import Foundation

/// Output of the audit commands: results on stdout, findings and errors on stderr too so
/// that `replay`'s JSON lines on stdout stay parseable.
enum AuditConsole {
    /// The exit code of every audit command when evidence of tampering was found.
    static let tamperedExitCode: Int32 = 3

    static func out(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func error(_ line: String) {
        FileHandle.standardError.write(Data(("eventctl: " + line + "\n").utf8))
    }

    /// One partition's result: `OK …` with counts, or each finding.
    static func printSummary(_ report: VerificationReport, findings: [AuditFinding], preAuditRecordCount: Int = 0, to print: (String) -> Void = AuditConsole.out) {
        for finding in findings { print(finding.description) }
        guard findings.isEmpty else { return }
        var line = "OK topic \(report.topic) partition \(report.partition): \(report.verifiedRecordCount) records verified against \(report.checkpointCount) checkpoints (tree size \(report.treeSize))"
        if report.removedRecordCount > 0 {
            line += ", \(report.removedRecordCount) removed (\(report.removedBeforeLogStartCount) below the log start, the rest compacted)"
        }
        if preAuditRecordCount > 0 { line += ", \(preAuditRecordCount) from before auditing began (not covered)" }
        if report.unauditedRecordCount > 0 { line += ", \(report.unauditedRecordCount) after the last checkpoint (not yet audited)" }
        if let last = report.lastCheckpoint?.checkpoint {
            // For comparison with a checkpoint kept elsewhere: the only way to catch a log and
            // its audit records cut short together.
            line += "; last checkpoint root \(last.rootHash.hex) at \(last.timestampMs)"
        }
        print(line)
    }
}
