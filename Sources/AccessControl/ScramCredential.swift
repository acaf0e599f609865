import Foundation

/// What the broker stores for one user and mechanism: never the password, only what
/// RFC 5802 lets a server verify a proof with (StoredKey) and prove itself with (ServerKey).
public struct ScramCredential: Codable, Sendable, Equatable {
    public var salt: Data
    public var iterations: Int
    public var storedKey: Data
    public var serverKey: Data

    public init(salt: Data, iterations: Int, storedKey: Data, serverKey: Data) {
        self.salt = salt
        self.iterations = iterations
        self.storedKey = storedKey
        self.serverKey = serverKey
    }

    /// Derives the credential for `password` with a fresh random salt.
    public static func derive(
        password: String, mechanism: ScramMechanism, iterations: Int = 8192, salt: Data? = nil
    ) throws -> ScramCredential {
        let salt = salt ?? Data((0..<24).map { _ in UInt8.random(in: 0...255) })
        let keys = try ScramKeys(password: password, mechanism: mechanism, salt: salt, iterations: iterations)
        return ScramCredential(salt: salt, iterations: iterations, storedKey: Data(keys.storedKey), serverKey: Data(keys.serverKey))
    }

    /// Whether `password` is the one this credential was derived from (SASL/PLAIN's check).
    public func matches(password: String, mechanism: ScramMechanism) -> Bool {
        guard let keys = try? ScramKeys(password: password, mechanism: mechanism, salt: salt, iterations: iterations) else {
            return false
        }
        return constantTimeEqual(keys.storedKey, Array(storedKey))
    }
}
