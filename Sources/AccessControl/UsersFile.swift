import Foundation

/// The users file: per user and SCRAM mechanism a salted credential, never a password.
///
/// ```json
/// {"version": 1, "users": {"alice": {"SCRAM-SHA-256": {"salt": "…", "iterations": 8192, "storedKey": "…", "serverKey": "…"}}}}
/// ```
/// SASL/PLAIN logins are checked against the same credentials.
public struct UsersFile: Sendable, Equatable {
    public private(set) var users: [String: [ScramMechanism: ScramCredential]] = [:]

    public init() {}

    /// Reads `path`; throws ``UsersFileError`` naming the file and what is wrong.
    public static func load(path: String) throws -> UsersFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw UsersFileError(path: path, message: "cannot be read (missing or no permission)")
        }
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: data)
        } catch {
            throw UsersFileError(path: path, message: "is not a users file: \(error)")
        }
        guard document.version == 1 else { throw UsersFileError(path: path, message: "unknown version \(document.version)") }
        var file = UsersFile()
        for (user, mechanisms) in document.users {
            for (name, credential) in mechanisms {
                guard let mechanism = ScramMechanism(rawValue: name) else {
                    throw UsersFileError(path: path, message: "user '\(user)': unknown mechanism '\(name)'")
                }
                guard credential.iterations >= ScramMechanism.minimumIterations, !credential.salt.isEmpty,
                      credential.storedKey.count == credential.serverKey.count, !credential.storedKey.isEmpty
                else { throw UsersFileError(path: path, message: "user '\(user)' \(name): malformed credential") }
                file.users[user, default: [:]][mechanism] = credential
            }
        }
        return file
    }

    public func credential(user: String, mechanism: ScramMechanism) -> ScramCredential? {
        users[user]?[mechanism]
    }

    /// Sets (or replaces) the user's credential for `mechanism`.
    public mutating func set(user: String, mechanism: ScramMechanism, credential: ScramCredential) {
        users[user, default: [:]][mechanism] = credential
    }

    /// Whether `password` is `user`'s (SASL/PLAIN), checked against the user's SCRAM credential.
    public func verify(user: String, password: String) -> Bool {
        for mechanism in ScramMechanism.allCases {
            if let credential = credential(user: user, mechanism: mechanism) {
                return credential.matches(password: password, mechanism: mechanism)
            }
        }
        return false
    }

    /// Atomically replaces `path`, readable by its owner only (mode 0600).
    public func write(to path: String) throws {
        let document = Document(version: 1, users: users.mapValues { credentials in
            Dictionary(uniqueKeysWithValues: credentials.map { ($0.key.rawValue, $0.value) })
        })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(document), to: path, mode: 0o600)
    }

    private struct Document: Codable {
        var version: Int
        var users: [String: [String: ScramCredential]]
    }
}
