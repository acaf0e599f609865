import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The broker's Ed25519 checkpoint-signing key, and its key file.
///
/// File format: the 32-byte Ed25519 private seed (swift-crypto's `rawRepresentation`) as 64
/// lowercase hex characters and a newline. A file of exactly 32 raw bytes is accepted too.
/// ``loadOrCreate(at:)`` creates the file with mode 0600 (exclusively: it never overwrites)
/// and writes the public key beside it as `<path>.pub` (see ``VerifyingKey``) for auditors.
public struct SigningKey: Sendable {
    /// The 32-byte seed. (Kept as bytes because swift-crypto's key type is not `Sendable`;
    /// ``privateKey`` rebuilds it, which is cheap next to signing.)
    private let seed: [UInt8]

    public init(_ privateKey: Curve25519.Signing.PrivateKey) {
        seed = Array(privateKey.rawRepresentation)
    }

    /// The swift-crypto key.
    public var privateKey: Curve25519.Signing.PrivateKey {
        // Validated in init.
        try! Curve25519.Signing.PrivateKey(rawRepresentation: seed)
    }

    /// A fresh random key.
    public static func generate() -> SigningKey {
        SigningKey(Curve25519.Signing.PrivateKey())
    }

    /// A key from its 32-byte seed.
    public init(seed: some Collection<UInt8>) throws {
        guard seed.count == 32, (try? Curve25519.Signing.PrivateKey(rawRepresentation: Array(seed))) != nil else {
            throw AuditChainError.keyFile("not a 32-byte Ed25519 seed")
        }
        self.seed = Array(seed)
    }

    /// The public half, for verification.
    public var verifyingKey: VerifyingKey { VerifyingKey(privateKey.publicKey) }

    public var keyID: KeyID { verifyingKey.keyID }

    /// See ``VerifyingKey/fingerprint``.
    public var fingerprint: String { verifyingKey.fingerprint }

    /// The Ed25519 signature (64 bytes) of `message`.
    public func signature(for message: [UInt8]) throws -> [UInt8] {
        Array(try privateKey.signature(for: message))
    }

    /// The key file's contents: the seed in hex and a newline.
    public var fileContents: String { Hex.encode(seed) + "\n" }

    /// Reads a key file.
    public static func load(from path: String) throws -> SigningKey {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuditChainError.keyFile("cannot read \(path)")
        }
        if data.count == 32 { return try SigningKey(seed: data) }
        guard let seed = Hex.decode(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()) else {
            throw AuditChainError.keyFile("\(path) is neither 64 hex characters nor 32 raw bytes")
        }
        return try SigningKey(seed: seed)
    }

    /// Loads the key at `path`, or creates it (mode 0600) with a fresh key when there is no
    /// file. Either way (re)writes `<path>.pub` when it is missing.
    public static func loadOrCreate(at path: String) throws -> SigningKey {
        let key: SigningKey
        if FileManager.default.fileExists(atPath: path) {
            key = try load(from: path)
        } else {
            let fresh = generate()
            if try writeExclusively(fresh.fileContents, to: path, mode: 0o600) {
                key = fresh
            } else {
                // Another process created it between our check and our create: use theirs.
                key = try load(from: path)
            }
        }
        let publicPath = path + ".pub"
        if !FileManager.default.fileExists(atPath: publicPath) {
            _ = try writeExclusively(key.verifyingKey.hex + "\n", to: publicPath, mode: 0o644)
        }
        return key
    }

    /// Creates `path` with `mode` (O_EXCL, so the mode holds from the first byte and nothing
    /// is overwritten), writes `contents` and fsyncs. Returns false if the file already exists.
    private static func writeExclusively(_ contents: String, to path: String, mode: mode_t) throws -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode)
        if fd < 0 {
            if errno == EEXIST { return false }
            throw AuditChainError.keyFile("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        // open() applies the umask; the key's mode must not depend on it.
        guard fchmod(fd, mode) == 0 else {
            throw AuditChainError.keyFile("cannot set the mode of \(path): \(String(cString: strerror(errno)))")
        }
        let bytes = Array(contents.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            throw AuditChainError.keyFile("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        return true
    }
}
