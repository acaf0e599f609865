import Crypto
import _CryptoExtras
import Foundation

/// The client's side of SCRAM, computed independently of the server code under test.
enum TestScramClient {
    enum Hash { case sha256, sha512 }

    static func proof(password: String, salt: Data, iterations: Int, hash: Hash, authMessage: String) -> Data {
        switch hash {
        case .sha256: return proof(SHA256.self, .sha256, password, salt, iterations, authMessage)
        case .sha512: return proof(SHA512.self, .sha512, password, salt, iterations, authMessage)
        }
    }

    private static func proof<H: HashFunction>(
        _: H.Type, _ kdf: KDF.Insecure.PBKDF2.HashFunction, _ password: String, _ salt: Data, _ iterations: Int, _ authMessage: String
    ) -> Data {
        let salted = try! KDF.Insecure.PBKDF2.deriveKey(
            from: Array(password.utf8), salt: salt, using: kdf, outputByteCount: H.Digest.byteCount, unsafeUncheckedRounds: iterations)
        let clientKey = Data(HMAC<H>.authenticationCode(for: Array("Client Key".utf8), using: salted))
        let storedKey = Data(H.hash(data: clientKey))
        let signature = Data(HMAC<H>.authenticationCode(for: Array(authMessage.utf8), using: SymmetricKey(data: storedKey)))
        return Data(zip(clientKey, signature).map { $0 ^ $1 })
    }
}
