/// The short identifier of a signing key: the first 8 bytes of SHA-256 of its raw 32-byte
/// Ed25519 public key. Checkpoints carry it so that a verifier can tell "signed by another
/// key" from "corrupted".
public struct KeyID: Hashable, Sendable, CustomStringConvertible {
    /// The 8 bytes, big-endian.
    public let rawValue: UInt64

    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// The key ID of a raw 32-byte public key.
    init(publicKeyBytes: some Collection<UInt8>) {
        let digest = AuditDigest.sha256(Array(publicKeyBytes))
        rawValue = digest.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self).bigEndian }
    }

    /// 16 lowercase hex characters.
    public var hex: String { Hex.encode(withUnsafeBytes(of: rawValue.bigEndian) { Array($0) }) }

    public init?(hex: String) {
        guard let bytes = Hex.decode(hex), bytes.count == 8 else { return nil }
        rawValue = bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    public var description: String { hex }
}
