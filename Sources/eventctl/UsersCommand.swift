import ArgumentParser

/// `eventctl users …` — the broker's SASL users file.
struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Manage the users file that eventd's SASL listeners (PLAIN, SCRAM) check against.",
        subcommands: [UsersAddCommand.self])
}
