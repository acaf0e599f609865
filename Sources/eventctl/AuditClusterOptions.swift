import ArgumentParser

/// Options of the audit commands that read a cluster over the wire.
struct AuditClusterOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Brokers to bootstrap from.", valueName: "host:port[,host:port…]"))
    var bootstrap: String

    @Option(name: .long, help: "The topic holding the audit records (eventd: __audit; the companion may write elsewhere).")
    var auditTopic: String = "__audit"

    @Option(name: .long, help: ArgumentHelp(
        "Stop reading a partition after this long without news, should the end of the partition never be reported.",
        valueName: "ms"))
    var idleTimeoutMs: Int = 15_000

    /// `--bootstrap` split at commas.
    var bootstrapServers: [String] { bootstrap.split(separator: ",").map(String.init) }

    var idleTimeout: Duration { .milliseconds(idleTimeoutMs) }
}
