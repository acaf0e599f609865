/// A 32-byte SHA-256 digest: a leaf hash, a Merkle node or root, or a checkpoint hash.
///
/// Stored inline as four words rather than as an array, so that arrays of digests (the
/// leaves of a partition) are one flat allocation and creating a digest never allocates.
public struct AuditDigest: Hashable, Sendable, CustomStringConvertible {
    /// Number of bytes in a digest.
    public static let byteCount = 32

    // The bytes in order, as four native words; only ever read back through `withUnsafeBytes`.
    private var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0

    /// All-zero bytes: the "previous checkpoint hash" of a partition's first checkpoint.
    public static let zero = AuditDigest()

    private init() {}

    /// Copies exactly 32 bytes; nil for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        self.init()
        withUnsafeMutableBytes(of: &self) { target in
            target.copyBytes(from: bytes)
        }
    }

    /// Parses 64 lowercase hexadecimal characters; nil for anything else (uppercase is
    /// refused so that every digest has exactly one text form, which proof files rely on).
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex), let digest = AuditDigest(bytes: bytes) else { return nil }
        self = digest
    }

    /// A digest whose 32 bytes `fill` writes in place (e.g. a hash function's output).
    init(fill: (UnsafeMutableRawBufferPointer) -> Void) {
        self.init()
        withUnsafeMutableBytes(of: &self, fill)
    }

    /// The SHA-256 of `bytes`.
    public static func sha256(_ bytes: [UInt8]) -> AuditDigest {
        bytes.withUnsafeBytes { sha256(bufferPointer: $0) }
    }

    /// The SHA-256 of the bytes at `bufferPointer`, read in place.
    public static func sha256(bufferPointer: UnsafeRawBufferPointer) -> AuditDigest {
        SHA256Context.hash(bufferPointer)
    }

    /// Calls `body` with the 32 bytes, in order.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: self, body)
    }

    /// The bytes as an array.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Lowercase hexadecimal, 64 characters.
    public var hex: String { withUnsafeBytes { Hex.encode($0) } }

    public var description: String { hex }
}

extension AuditDigest: Codable {
    /// Encoded as its lowercase hex string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let digest = AuditDigest(hex: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a 64-character lowercase hex digest")
        }
        self = digest
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}
