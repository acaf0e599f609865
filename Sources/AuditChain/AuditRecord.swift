import NIOCore

/// One record of the `__audit` topic: a signed checkpoint of one partition and the leaves
/// it adds to that partition's Merkle log.
///
/// - Key: `"<topic>/<partition>"` in UTF-8 (``key(topic:partition:)``); Kafka topic names
///   cannot contain `/`.
/// - Value (``encodedValue``), version 1, integers big-endian:
///
/// | bytes | field |
/// |---|---|
/// | 4 | magic `CLAR` |
/// | 1 | version, 1 |
/// | 4 + n | checkpoint: u32 length, ``Checkpoint/encoded`` bytes |
/// | 64 | Ed25519 signature over those bytes |
/// | 8 | first leaf index, u64: the previous checkpoint's tree size |
/// | 4 | entry count, u32: must equal tree size − first leaf index |
/// | 40 × count | entries: i64 record offset, 32-byte leaf hash |
/// | 1 + 32 × m | the Merkle frontier after these leaves: u8 count m, hashes largest subtree first |
///
/// Entries carry offsets because leaf index and offset differ when a partition has offsets
/// without consumable records (transaction markers) or started before auditing. A leaf
/// commits to its offset, so a wrong offset here only makes the record fail to match. The
/// frontier is not trusted by verifiers; it lets the broker resume appending after a
/// restart from the last audit record alone (``PartitionChainer/init(resumingFrom:)``).
public struct AuditRecord: Hashable, Sendable {
    public static let magic: [UInt8] = Array("CLAR".utf8)
    public static let currentVersion: UInt8 = 1

    /// One covered record: its offset and leaf hash.
    public struct Entry: Hashable, Sendable {
        public var offset: Int64
        public var leafHash: AuditDigest

        public init(offset: Int64, leafHash: AuditDigest) {
            self.offset = offset
            self.leafHash = leafHash
        }
    }

    public var checkpoint: SignedCheckpoint
    /// Leaf index of the first entry: the tree size of the previous checkpoint.
    public var firstLeafIndex: UInt64
    public var entries: [Entry]
    /// The compact Merkle state at ``Checkpoint/treeSize`` (see ``MerkleLog/frontier``).
    public var frontier: [AuditDigest]

    public init(checkpoint: SignedCheckpoint, firstLeafIndex: UInt64, entries: [Entry], frontier: [AuditDigest]) {
        self.checkpoint = checkpoint
        self.firstLeafIndex = firstLeafIndex
        self.entries = entries
        self.frontier = frontier
    }

    /// The `__audit` record key of a partition.
    public static func key(topic: String, partition: Int32) -> String {
        "\(topic)/\(partition)"
    }

    /// This record's key.
    public var key: String { Self.key(topic: checkpoint.checkpoint.topic, partition: checkpoint.checkpoint.partition) }

    /// Splits an `__audit` key into topic and partition; nil when it is not one.
    public static func parseKey(_ key: String) -> (topic: String, partition: Int32)? {
        guard let slash = key.lastIndex(of: "/"), let partition = Int32(key[key.index(after: slash)...]), partition >= 0 else { return nil }
        return (String(key[..<slash]), partition)
    }

    /// The record value (see the type's documentation).
    public var encodedValue: ByteBuffer {
        let checkpointBytes = checkpoint.checkpoint.encoded
        var buffer = ByteBuffer()
        buffer.reserveCapacity(4 + 1 + 4 + checkpointBytes.count + 64 + 8 + 4 + entries.count * 40 + 1 + frontier.count * 32)
        buffer.writeBytes(Self.magic)
        buffer.writeInteger(Self.currentVersion)
        buffer.writeInteger(UInt32(checkpointBytes.count), endianness: .big)
        buffer.writeBytes(checkpointBytes)
        buffer.writeBytes(checkpoint.signature)
        buffer.writeInteger(firstLeafIndex, endianness: .big)
        buffer.writeInteger(UInt32(entries.count), endianness: .big)
        // One write of all entries with plain stores: a ByteBuffer write per field (two per
        // entry, each checking capacity and uniqueness) was most of the broker's cost of
        // storing a checkpoint of 10,000 entries.
        let entryBytes = entries.count * 40
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: entryBytes) { target in
            for (index, entry) in entries.enumerated() {
                target.storeBytes(of: entry.offset.bigEndian, toByteOffset: index * 40, as: Int64.self)
                // A digest's memory is its 32 bytes in order.
                target.storeBytes(of: entry.leafHash, toByteOffset: index * 40 + 8, as: AuditDigest.self)
            }
            return entryBytes
        }
        buffer.writeInteger(UInt8(frontier.count))
        for hash in frontier {
            hash.withUnsafeBytes { _ = buffer.writeBytes($0) }
        }
        return buffer
    }

    /// Decodes a record value, strictly (magic, version, lengths, nothing left over). It
    /// does not verify anything: that is ``ChainVerifier``'s job.
    ///
    /// - Throws: ``AuditChainError/malformed(_:)``.
    public init(decodingValue value: ByteBuffer) throws {
        var buffer = value
        guard buffer.readBytes(length: 4) == Self.magic else { throw AuditChainError.malformed("audit record: bad magic") }
        guard buffer.readInteger(as: UInt8.self) == Self.currentVersion else { throw AuditChainError.malformed("audit record: unknown version") }
        guard let checkpointLength = buffer.readInteger(endianness: .big, as: UInt32.self),
              let checkpointBytes = buffer.readBytes(length: Int(checkpointLength)),
              let signature = buffer.readBytes(length: SignedCheckpoint.signatureByteCount),
              let firstLeafIndex = buffer.readInteger(endianness: .big, as: UInt64.self),
              let entryCount = buffer.readInteger(endianness: .big, as: UInt32.self),
              Int(entryCount) <= buffer.readableBytes / 40 else {
            throw AuditChainError.malformed("audit record: truncated header")
        }
        let checkpoint = try Checkpoint(decoding: checkpointBytes)
        var entries: [Entry] = []
        entries.reserveCapacity(Int(entryCount))
        // Read in place: a checkpoint carries thousands of entries, and a verifier decodes
        // one per record of the partition.
        buffer.withUnsafeReadableBytes { bytes in
            for index in 0..<Int(entryCount) {
                let base = index * 40
                let offset = Int64(bigEndian: bytes.loadUnaligned(fromByteOffset: base, as: Int64.self))
                let leaf = AuditDigest(bytes: UnsafeRawBufferPointer(rebasing: bytes[base + 8..<base + 40]))!
                entries.append(Entry(offset: offset, leafHash: leaf))
            }
        }
        buffer.moveReaderIndex(forwardBy: Int(entryCount) * 40)
        guard let frontierCount = buffer.readInteger(as: UInt8.self), Int(frontierCount) * 32 == buffer.readableBytes else {
            throw AuditChainError.malformed("audit record: bad frontier")
        }
        var frontier: [AuditDigest] = []
        for _ in 0..<frontierCount {
            frontier.append(AuditDigest(bytes: buffer.readBytes(length: 32)!)!)
        }
        self.init(checkpoint: SignedCheckpoint(checkpoint: checkpoint, signature: signature), firstLeafIndex: firstLeafIndex, entries: entries, frontier: frontier)
    }
}
