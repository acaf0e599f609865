import NIOCore

/// A statement about one partition's Merkle log at one moment: what gets signed.
///
/// Canonical encoding (``encoded``), version 1, all integers big-endian:
///
/// | bytes | field |
/// |---|---|
/// | 4 | magic `CLCP` (0x43 0x4C 0x43 0x50) |
/// | 1 | version, 1 |
/// | 2 + n | topic: u16 length, UTF-8 bytes |
/// | 4 | partition, i32 |
/// | 8 | tree size, u64 (number of leaves) |
/// | 32 | root hash (RFC 9162 MTH of the leaves) |
/// | 32 | previous checkpoint hash: SHA-256 of the previous checkpoint's ``encoded`` bytes, zeroes for the first |
/// | 32 | covered offsets hash: SHA-256 of the offsets (i64 each) of the leaves this checkpoint adds |
/// | 8 | timestamp, i64 milliseconds since the epoch |
/// | 8 | key ID (``KeyID``) of the signing key |
///
/// The covered-offsets hash signs which offset each new leaf belongs to: leaves commit to
/// their offsets only while the record survives, and truncation is judged by offsets.
///
/// The Ed25519 signature is over exactly these bytes. Version 1 also fixes the leaf
/// encoding (``LeafHasher``); a change to either gets a new version.
public struct Checkpoint: Hashable, Sendable {
    public static let magic: [UInt8] = Array("CLCP".utf8)
    public static let currentVersion: UInt8 = 1

    public var topic: String
    public var partition: Int32
    public var treeSize: UInt64
    public var rootHash: AuditDigest
    public var previousCheckpointHash: AuditDigest
    /// ``offsetsHash(of:)`` of the ``AuditRecord/entries`` this checkpoint adds.
    public var coveredOffsetsHash: AuditDigest
    public var timestampMs: Int64
    public var keyID: KeyID

    public init(topic: String, partition: Int32, treeSize: UInt64, rootHash: AuditDigest, previousCheckpointHash: AuditDigest, coveredOffsetsHash: AuditDigest, timestampMs: Int64, keyID: KeyID) {
        self.topic = topic
        self.partition = partition
        self.treeSize = treeSize
        self.rootHash = rootHash
        self.previousCheckpointHash = previousCheckpointHash
        self.coveredOffsetsHash = coveredOffsetsHash
        self.timestampMs = timestampMs
        self.keyID = keyID
    }

    /// The canonical bytes (see the type's documentation): what is signed and hashed.
    public var encoded: [UInt8] {
        let topicBytes = Array(topic.utf8)
        var bytes = Self.magic
        bytes.reserveCapacity(4 + 1 + 2 + topicBytes.count + 4 + 8 + 32 + 32 + 32 + 8 + 8)
        bytes.append(Self.currentVersion)
        bytes.appendBigEndian(UInt16(clamping: topicBytes.count))
        bytes.append(contentsOf: topicBytes.prefix(Int(UInt16.max)))
        bytes.appendBigEndian(partition)
        bytes.appendBigEndian(treeSize)
        bytes.append(contentsOf: rootHash.bytes)
        bytes.append(contentsOf: previousCheckpointHash.bytes)
        bytes.append(contentsOf: coveredOffsetsHash.bytes)
        bytes.appendBigEndian(timestampMs)
        bytes.appendBigEndian(keyID.rawValue)
        return bytes
    }

    /// Decodes ``encoded`` bytes, strictly: right magic and version, valid UTF-8, nothing left over.
    ///
    /// - Throws: ``AuditChainError/malformed(_:)``.
    public init(decoding bytes: some Collection<UInt8>) throws {
        var buffer = ByteBuffer(bytes: bytes)
        guard buffer.readBytes(length: 4) == Self.magic else { throw AuditChainError.malformed("checkpoint: bad magic") }
        guard buffer.readInteger(as: UInt8.self) == Self.currentVersion else { throw AuditChainError.malformed("checkpoint: unknown version") }
        guard let topicLength = buffer.readInteger(endianness: .big, as: UInt16.self),
              let topicBytes = buffer.readBytes(length: Int(topicLength)),
              let topic = String(validating: topicBytes, as: UTF8.self),
              let partition = buffer.readInteger(endianness: .big, as: Int32.self),
              let treeSize = buffer.readInteger(endianness: .big, as: UInt64.self),
              let root = buffer.readBytes(length: 32).flatMap({ AuditDigest(bytes: $0) }),
              let previous = buffer.readBytes(length: 32).flatMap({ AuditDigest(bytes: $0) }),
              let offsets = buffer.readBytes(length: 32).flatMap({ AuditDigest(bytes: $0) }),
              let timestamp = buffer.readInteger(endianness: .big, as: Int64.self),
              let keyID = buffer.readInteger(endianness: .big, as: UInt64.self),
              buffer.readableBytes == 0 else {
            throw AuditChainError.malformed("checkpoint: truncated or trailing bytes")
        }
        self.init(topic: topic, partition: partition, treeSize: treeSize, rootHash: root, previousCheckpointHash: previous, coveredOffsetsHash: offsets, timestampMs: timestamp, keyID: KeyID(rawValue: keyID))
    }

    /// SHA-256 of the offsets of `entries`, each as an i64 big-endian.
    public static func offsetsHash(of entries: some Sequence<AuditRecord.Entry>) -> AuditDigest {
        // Hashed through a 4 KiB stack buffer: the broker does this for every checkpoint of
        // 10,000 entries, and growing an array of 80 KB byte by byte showed in its profile.
        var hasher = SHA256Context()
        withUnsafeTemporaryAllocation(byteCount: 4_096, alignment: 8) { buffer in
            var filled = 0
            for entry in entries {
                buffer.storeBytes(of: entry.offset.bigEndian, toByteOffset: filled, as: Int64.self)
                filled += 8
                if filled == buffer.count {
                    hasher.update(UnsafeRawBufferPointer(buffer))
                    filled = 0
                }
            }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[..<filled]))
        }
        return hasher.finalize()
    }

    /// SHA-256 of ``encoded``: the ``previousCheckpointHash`` of the next checkpoint.
    public var hash: AuditDigest { AuditDigest.sha256(encoded) }

    /// Signs ``encoded`` with `key`. The checkpoint's ``keyID`` should be `key`'s
    /// (``PartitionChainer`` sets it); verification fails otherwise.
    public func sign(with key: SigningKey) throws -> SignedCheckpoint {
        SignedCheckpoint(checkpoint: self, signature: try key.signature(for: encoded))
    }
}
