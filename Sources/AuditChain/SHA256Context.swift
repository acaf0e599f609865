import CLibCrypto

/// An incremental SHA-256 whose state lives inline (on the stack or in its owner), so that
/// hashing never allocates.
///
/// Every audited record takes three or four hashes (key, value, headers, leaf) and every
/// Merkle node one more; swift-crypto's `SHA256` heap-allocates a context per value on
/// Linux, which made small records cost more in the allocator than in hashing. This wraps
/// OpenSSL's `SHA256_CTX`, which uses the CPU's SHA extensions where present — the same
/// code `openssl speed -evp sha256` measures. Ed25519 stays with swift-crypto.
struct SHA256Context {
    private var state = SHA256_CTX()

    init() {
        SHA256_Init(&state)
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        SHA256_Update(&state, bytes.baseAddress, bytes.count)
    }

    mutating func update(byte: UInt8) {
        Swift.withUnsafeBytes(of: byte) { update($0) }
    }

    mutating func update<T: FixedWidthInteger>(bigEndian value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { update($0) }
    }

    /// The digest of everything added. The context must not be used afterwards.
    mutating func finalize() -> AuditDigest {
        AuditDigest(fill: { target in
            _ = SHA256_Final(target.baseAddress!.assumingMemoryBound(to: UInt8.self), &state)
        })
    }

    /// The SHA-256 of `bytes` in one call.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> AuditDigest {
        var context = SHA256Context()
        context.update(bytes)
        return context.finalize()
    }
}
