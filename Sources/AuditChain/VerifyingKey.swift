import Crypto
import Foundation

/// An Ed25519 public key that verifies checkpoints: all an auditor needs.
///
/// File format (``load(from:)``, written by ``SigningKey/loadOrCreate(at:)`` as `<path>.pub`):
/// the 32-byte raw public key as 64 lowercase hex characters, optionally followed by a
/// newline. A file holding exactly 32 raw bytes is accepted too.
public struct VerifyingKey: Sendable, Hashable {
    /// The raw 32-byte public key. (Kept as bytes because swift-crypto's key type is not
    /// `Sendable`; ``publicKey`` rebuilds it, which is cheap.)
    public let rawBytes: [UInt8]

    public init(_ publicKey: Curve25519.Signing.PublicKey) {
        rawBytes = Array(publicKey.rawRepresentation)
    }

    /// - Throws: ``AuditChainError/keyFile(_:)`` unless `rawBytes` is a 32-byte Ed25519 public key.
    public init(rawBytes: some Collection<UInt8>) throws {
        guard rawBytes.count == 32, (try? Curve25519.Signing.PublicKey(rawRepresentation: Array(rawBytes))) != nil else {
            throw AuditChainError.keyFile("not a 32-byte Ed25519 public key")
        }
        self.rawBytes = Array(rawBytes)
    }

    /// The swift-crypto key.
    public var publicKey: Curve25519.Signing.PublicKey {
        // Validated in init.
        try! Curve25519.Signing.PublicKey(rawRepresentation: rawBytes)
    }

    /// Parses 64 hex characters (surrounding whitespace ignored).
    public init(hex: String) throws {
        guard let bytes = Hex.decode(hex.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()) else {
            throw AuditChainError.keyFile("public key is not hexadecimal")
        }
        try self.init(rawBytes: bytes)
    }

    /// Reads a public key file (hex, or 32 raw bytes).
    public static func load(from path: String) throws -> VerifyingKey {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuditChainError.keyFile("cannot read \(path)")
        }
        if data.count == 32 { return try VerifyingKey(rawBytes: data) }
        return try VerifyingKey(hex: String(decoding: data, as: UTF8.self))
    }

    /// Lowercase hex of the raw key: the public key file's contents.
    public var hex: String { Hex.encode(rawBytes) }

    /// The key's short ID, as carried by checkpoints.
    public var keyID: KeyID { KeyID(publicKeyBytes: rawBytes) }

    /// `SHA256:` and the hex SHA-256 of the raw key: what operators compare out of band
    /// (its first 16 hex digits are the ``keyID``).
    public var fingerprint: String { "SHA256:" + AuditDigest.sha256(rawBytes).hex }

    /// True when `signature` is this key's Ed25519 signature of `message`.
    public func isValidSignature(_ signature: some Collection<UInt8>, for message: some Collection<UInt8>) -> Bool {
        publicKey.isValidSignature(Array(signature), for: Array(message))
    }
}
