import Foundation

/// RFC 5802 section 3: SaltedPassword, ClientKey, StoredKey, ServerKey.
struct ScramKeys {
    var storedKey: [UInt8]
    var serverKey: [UInt8]

    init(password: String, mechanism: ScramMechanism, salt: Data, iterations: Int) throws {
        let salted = try mechanism.saltedPassword(password, salt: salt, iterations: iterations)
        let clientKey = mechanism.hmac(key: salted, Array("Client Key".utf8))
        storedKey = mechanism.hash(clientKey)
        serverKey = mechanism.hmac(key: salted, Array("Server Key".utf8))
    }
}

/// Compares without an early exit, so timing does not reveal how much of a key matched.
func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for index in a.indices { difference |= a[index] ^ b[index] }
    return difference == 0
}
