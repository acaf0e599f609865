import ArgumentParser

/// The options of the `topics` subcommands that talk to a cluster.
struct TopicsClusterOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Brokers to bootstrap from.", valueName: "host:port[,host:port…]"))
    var bootstrap: String

    @Option(name: .long, help: "Seconds one admin request may take.")
    var timeout: Int = 30

    /// `--bootstrap` split at commas.
    var bootstrapServers: [String] {
        bootstrap.split(separator: ",").map { String($0) }
    }
}
