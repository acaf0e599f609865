/// A ``Checkpoint`` and its Ed25519 signature over ``Checkpoint/encoded``.
public struct SignedCheckpoint: Hashable, Sendable {
    /// Ed25519 signatures are 64 bytes.
    public static let signatureByteCount = 64

    public var checkpoint: Checkpoint
    public var signature: [UInt8]

    public init(checkpoint: Checkpoint, signature: [UInt8]) {
        self.checkpoint = checkpoint
        self.signature = signature
    }

    /// True when the checkpoint names `key` as its signer and the signature is `key`'s over
    /// the checkpoint's canonical bytes. A checkpoint signed by any other key fails.
    public func verify(publicKey key: VerifyingKey) -> Bool {
        signature.count == Self.signatureByteCount
            && checkpoint.keyID == key.keyID
            && key.isValidSignature(signature, for: checkpoint.encoded)
    }
}
