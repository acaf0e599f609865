import Crypto
import _CryptoExtras
import Foundation

/// The SCRAM mechanisms of RFC 5802 / RFC 7677 that Kafka names `SCRAM-SHA-256` and `SCRAM-SHA-512`.
public enum ScramMechanism: String, CaseIterable, Sendable, Codable {
    case sha256 = "SCRAM-SHA-256"
    case sha512 = "SCRAM-SHA-512"

    /// Kafka refuses fewer iterations than this for both mechanisms.
    public static let minimumIterations = 4096

    func hmac(key: some ContiguousBytes, _ message: some DataProtocol) -> [UInt8] {
        let key = SymmetricKey(data: key)
        switch self {
        case .sha256: return Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
        case .sha512: return Array(HMAC<SHA512>.authenticationCode(for: message, using: key))
        }
    }

    func hash(_ data: some DataProtocol) -> [UInt8] {
        switch self {
        case .sha256: return Array(SHA256.hash(data: data))
        case .sha512: return Array(SHA512.hash(data: data))
        }
    }

    /// RFC 5802's `Hi()`: PBKDF2 with HMAC of this mechanism's hash.
    func saltedPassword(_ password: String, salt: some DataProtocol, iterations: Int) throws -> [UInt8] {
        let hash: KDF.Insecure.PBKDF2.HashFunction = self == .sha256 ? .sha256 : .sha512
        let length = self == .sha256 ? SHA256.byteCount : SHA512.byteCount
        // "Unchecked": PBKDF2's own floor (210,000 rounds) is not SCRAM's; Kafka's floor is 4096.
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Array(password.utf8), salt: salt, using: hash, outputByteCount: length, unsafeUncheckedRounds: iterations)
        return key.withUnsafeBytes { Array($0) }
    }
}
