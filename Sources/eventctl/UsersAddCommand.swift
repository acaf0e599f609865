import AccessControl
import ArgumentParser
import Foundation

/// `eventctl users add --file F --user U [--password-stdin] [--mechanism M]…`: adds a user or
/// replaces their password. Only salted SCRAM credentials are written, never the password;
/// the file is rewritten atomically with mode 0600. Exit 0 on success, 1 on any error.
struct UsersAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a user (or set a new password) in a users file; eventd re-reads it on change.")

    @Option(help: "The users file (created when missing).")
    var file: String

    @Option(help: "User name.")
    var user: String

    @Flag(help: "Read the password from the first line of standard input instead of prompting.")
    var passwordStdin = false

    @Option(help: "SCRAM-SHA-256 or SCRAM-SHA-512; repeat for both (default: both). PLAIN logins use these too.")
    var mechanism: [String] = []

    @Option(help: "PBKDF2 iterations (at least 4096).")
    var iterations: Int = 8192

    func run() throws {
        do {
            try add()
        } catch {
            FileHandle.standardError.write(Data("eventctl users add: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func add() throws {
        let mechanisms = try (mechanism.isEmpty ? ScramMechanism.allCases.map(\.rawValue) : mechanism).map { name in
            guard let mechanism = ScramMechanism(rawValue: name.uppercased()) else {
                throw ValidationError("--mechanism: expected SCRAM-SHA-256 or SCRAM-SHA-512, got '\(name)'")
            }
            return mechanism
        }
        guard iterations >= ScramMechanism.minimumIterations else {
            throw ValidationError("--iterations: at least \(ScramMechanism.minimumIterations)")
        }
        guard !user.isEmpty, !user.contains(where: { $0.isNewline || $0 == "\0" }) else {
            throw ValidationError("--user: must be non-empty and on one line")
        }
        let password = try readPassword()
        var users = UsersFile()
        if FileManager.default.fileExists(atPath: file) {
            users = try UsersFile.load(path: file)
        }
        for mechanism in mechanisms {
            users.set(user: user, mechanism: mechanism, credential: try .derive(password: password, mechanism: mechanism, iterations: iterations))
        }
        try users.write(to: file)
        print("\(file): user '\(user)' set (\(mechanisms.map(\.rawValue).joined(separator: ", ")))")
    }

    private func readPassword() throws -> String {
        let password: String?
        if passwordStdin {
            password = readLine(strippingNewline: true)
        } else {
            password = getpass("Password for \(user): ").map { String(cString: $0) }
        }
        guard let password, !password.isEmpty else {
            throw ValidationError("no password given\(passwordStdin ? " on standard input" : "")")
        }
        return password
    }
}
