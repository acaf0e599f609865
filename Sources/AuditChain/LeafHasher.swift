import KafkaProtocol
import NIOCore

/// Computes the leaf hash of each record of one partition.
///
/// The encoding (documented in full in the module's "Leaf hash" article) is
///
/// ```
/// leaf = SHA-256(0x00 || u16 topicLength || topic UTF-8 || i32 partition || i64 offset
///                || i64 timestamp || keyDigest || valueDigest || headersDigest)
/// nullable digest = SHA-256(0x00) for null, SHA-256(0x01 || bytes) otherwise
/// headersDigest   = SHA-256(u32 count || per header: u32 keyLength || key UTF-8
///                           || i32 valueLength (-1 for null) || value)
/// ```
///
/// all integers big-endian. The leading 0x00 is RFC 9162's leaf prefix: the result is used
/// as-is as a leaf of ``MerkleLog``, never hashed again.
///
/// One hasher serves a whole partition: it keeps the constant prefix (topic and partition)
/// in a reusable buffer and overwrites only the per-record fields, and it hashes keys,
/// values and headers straight from the record's `ByteBuffer` memory; hashing keeps its
/// state inline (``SHA256Context``), so a record costs no heap allocation. Not thread-safe;
/// use one per partition (or per task).
public struct LeafHasher: Sendable {
    public let topic: String
    public let partition: Int32

    /// The leaf preimage: 0x00, topic, partition (fixed), then offset, timestamp and three
    /// digests, rewritten for every record.
    private var preimage: [UInt8]
    /// A second preimage, for the other record of a pair (``forEachLeaf(of:baseOffset:maxDecompressedSize:_:)``).
    private var pairedPreimage: [UInt8]
    /// Index in `preimage` where the per-record fields start.
    private let recordFieldsStart: Int

    /// SHA-256(0x00): the digest of a null key or value.
    static let nullDigest = AuditDigest.sha256([0x00])
    /// SHA-256 of the canonical encoding of zero headers (a u32 count of 0).
    static let noHeadersDigest = AuditDigest.sha256([0, 0, 0, 0])

    /// - Precondition: `topic` is at most 65535 UTF-8 bytes (Kafka allows 249).
    public init(topic: String, partition: Int32) {
        let topicBytes = Array(topic.utf8)
        precondition(topicBytes.count <= Int(UInt16.max), "topic name longer than 65535 bytes")
        self.topic = topic
        self.partition = partition
        var preimage: [UInt8] = [0x00]
        preimage.appendBigEndian(UInt16(topicBytes.count))
        preimage.append(contentsOf: topicBytes)
        preimage.appendBigEndian(partition)
        recordFieldsStart = preimage.count
        // offset, timestamp, three digests
        preimage.append(contentsOf: repeatElement(0, count: 8 + 8 + 3 * AuditDigest.byteCount))
        self.preimage = preimage
        pairedPreimage = preimage
    }

    /// The leaf hash of a record parsed from a RecordBatch (see ``KafkaProtocol/Record``).
    /// The caller makes sure the record belongs to this hasher's topic and partition.
    public mutating func leafHash(of record: Record) -> AuditDigest {
        leafHash(
            offset: record.offset,
            timestamp: record.timestamp,
            keyDigest: Self.digest(ofNullable: record.key),
            valueDigest: Self.digest(ofNullable: record.value),
            headersDigest: Self.digest(of: record.headers)
        )
    }

    /// The leaf hash of a record read in place from its batch (the broker's hot path:
    /// no reference counting or allocation per record).
    public mutating func leafHash(of record: RecordView) -> AuditDigest {
        leafHash(
            offset: record.offset,
            timestamp: record.timestamp,
            keyDigest: Self.digest(ofNullable: record.key),
            valueDigest: Self.digest(ofNullable: record.value),
            headersDigest: Self.digest(ofHeaders: record.headerCount, encoded: record.headers)
        )
    }

    /// The leaf hash of owned record fields. `input.topic` and `input.partition` must be
    /// this hasher's.
    public mutating func leafHash(of input: LeafInput) -> AuditDigest {
        precondition(input.topic == topic && input.partition == partition, "leaf input of another partition")
        return leafHash(
            offset: input.offset,
            timestamp: input.timestamp,
            keyDigest: input.key.map { Self.digest(ofPresent: $0) } ?? Self.nullDigest,
            valueDigest: input.value.map { Self.digest(ofPresent: $0) } ?? Self.nullDigest,
            headersDigest: Self.digest(of: input.headers)
        )
    }

    /// Assembles the preimage from already-computed field digests and hashes it.
    public mutating func leafHash(offset: Int64, timestamp: Int64, keyDigest: AuditDigest, valueDigest: AuditDigest, headersDigest: AuditDigest) -> AuditDigest {
        let fields = PreimageFields(offset: offset, timestamp: timestamp, keyDigest: keyDigest, valueDigest: valueDigest, headersDigest: headersDigest)
        let start = recordFieldsStart
        return preimage.withUnsafeMutableBytes { buffer in
            fields.store(into: buffer, at: start)
            return AuditDigest.sha256(bufferPointer: UnsafeRawBufferPointer(buffer))
        }
    }

    // MARK: - Two records at a time

    /// Calls `body` with the offset and leaf hash of every record of `batch`, in order.
    ///
    /// The leaves are those of ``leafHash(of:)-(RecordView)``, but records are hashed in pairs
    /// (``SHA256Pair``): the broker's chaining and offline verification go through here.
    ///
    /// - Parameter baseOffset: the offset of the first record, when it differs from the
    ///   header's (the log assigns offsets after the batch was received).
    /// - Throws: what the record walk throws for records that do not parse (after `body` got
    ///   every record before the bad one), or whatever `body` throws.
    public mutating func forEachLeaf(
        of batch: RecordBatch, baseOffset: Int64? = nil, maxDecompressedSize: Int,
        _ body: (_ offset: Int64, _ leafHash: AuditDigest) throws -> Void
    ) throws {
        // Records come in even-sized chunks, so only the batch's last record can lack a partner.
        try batch.forEachRecordViewChunk(baseOffset: baseOffset, maxDecompressedSize: maxDecompressedSize, chunkSize: Self.chunkSize) { records in
            var index = records.startIndex
            while index + 1 < records.endIndex {
                let (firstLeaf, secondLeaf) = leafHashes(of: records[index], records[index + 1])
                try body(records[index].offset, firstLeaf)
                try body(records[index + 1].offset, secondLeaf)
                index += 2
            }
            if index < records.endIndex {
                try body(records[index].offset, leafHash(of: records[index]))
            }
        }
    }

    /// Records per chunk of ``forEachLeaf(of:baseOffset:maxDecompressedSize:_:)``: even, and
    /// small enough for the views to stay on the stack.
    static let chunkSize = 64

    /// The offsets and leaf hashes of every record of `batch`, in order, hashed in pairs as by
    /// ``forEachLeaf(of:baseOffset:maxDecompressedSize:_:)``: what
    /// ``PartitionChainer/append(leaves:checkpointEvery:timestampMs:signingKey:)`` takes.
    ///
    /// - Throws: what the record walk throws for a record that does not parse.
    public mutating func leaves(of batch: RecordBatch, baseOffset: Int64? = nil, maxDecompressedSize: Int) throws -> [AuditRecord.Entry] {
        var leaves: [AuditRecord.Entry] = []
        try appendLeaves(of: batch, baseOffset: baseOffset, maxDecompressedSize: maxDecompressedSize, to: &leaves)
        return leaves
    }

    /// As ``leaves(of:baseOffset:maxDecompressedSize:)``, appending to `leaves`: when a record
    /// does not parse, `leaves` still gets those before it (the broker chains them).
    public mutating func appendLeaves(
        of batch: RecordBatch, baseOffset: Int64? = nil, maxDecompressedSize: Int, to leaves: inout [AuditRecord.Entry]
    ) throws {
        // The header's count comes from the client: a hint, bounded, never trusted.
        leaves.reserveCapacity(leaves.count + min(max(Int(batch.header.recordCount), 0), 1 << 16))
        try forEachLeaf(of: batch, baseOffset: baseOffset, maxDecompressedSize: maxDecompressedSize) { offset, leaf in
            leaves.append(AuditRecord.Entry(offset: offset, leafHash: leaf))
        }
    }

    /// The leaf hashes of two records, equal to two ``leafHash(of:)-(RecordView)`` calls.
    mutating func leafHashes(of first: RecordView, _ second: RecordView) -> (AuditDigest, AuditDigest) {
        let (firstKey, secondKey) = Self.digests(ofNullable: first.key, second.key)
        let (firstValue, secondValue) = Self.digests(ofNullable: first.value, second.value)
        let firstFields = PreimageFields(
            offset: first.offset, timestamp: first.timestamp, keyDigest: firstKey, valueDigest: firstValue,
            headersDigest: Self.digest(ofHeaders: first.headerCount, encoded: first.headers))
        let secondFields = PreimageFields(
            offset: second.offset, timestamp: second.timestamp, keyDigest: secondKey, valueDigest: secondValue,
            headersDigest: Self.digest(ofHeaders: second.headerCount, encoded: second.headers))
        let start = recordFieldsStart
        return preimage.withUnsafeMutableBytes { firstBuffer in
            pairedPreimage.withUnsafeMutableBytes { secondBuffer in
                firstFields.store(into: firstBuffer, at: start)
                secondFields.store(into: secondBuffer, at: start)
                return SHA256Pair.hash(
                    SHA256Pair.Message(prefix: nil, body: UnsafeRawBufferPointer(firstBuffer)),
                    SHA256Pair.Message(prefix: nil, body: UnsafeRawBufferPointer(secondBuffer)))
            }
        }
    }

    /// Two nullable digests; a pair hash when both are present.
    static func digests(ofNullable first: UnsafeRawBufferPointer?, _ second: UnsafeRawBufferPointer?) -> (AuditDigest, AuditDigest) {
        guard let first, let second else { return (digest(ofNullable: first), digest(ofNullable: second)) }
        return SHA256Pair.hash(SHA256Pair.Message(prefix: 0x01, body: first), SHA256Pair.Message(prefix: 0x01, body: second))
    }

    /// The per-record part of a preimage.
    private struct PreimageFields {
        var offset: Int64
        var timestamp: Int64
        var keyDigest: AuditDigest
        var valueDigest: AuditDigest
        var headersDigest: AuditDigest

        func store(into buffer: UnsafeMutableRawBufferPointer, at start: Int) {
            buffer.storeBytes(of: offset.bigEndian, toByteOffset: start, as: Int64.self)
            buffer.storeBytes(of: timestamp.bigEndian, toByteOffset: start + 8, as: Int64.self)
            // A digest's memory is its 32 bytes in order, so it is stored as a value: inline
            // stores instead of a memmove call per digest.
            buffer.storeBytes(of: keyDigest, toByteOffset: start + 16, as: AuditDigest.self)
            buffer.storeBytes(of: valueDigest, toByteOffset: start + 16 + AuditDigest.byteCount, as: AuditDigest.self)
            buffer.storeBytes(of: headersDigest, toByteOffset: start + 16 + 2 * AuditDigest.byteCount, as: AuditDigest.self)
        }
    }

    // MARK: - Field digests

    /// SHA-256(0x00) for nil, SHA-256(0x01 || bytes) otherwise; hashed in place, no copy.
    static func digest(ofNullable bytes: ByteBuffer?) -> AuditDigest {
        guard let bytes else { return nullDigest }
        return bytes.withUnsafeReadableBytes { digest(ofNullable: $0) }
    }

    static func digest(ofNullable bytes: UnsafeRawBufferPointer?) -> AuditDigest {
        guard let bytes else { return nullDigest }
        return SHA256Pair.single(SHA256Pair.Message(prefix: 0x01, body: bytes))
    }

    static func digest(ofPresent bytes: [UInt8]) -> AuditDigest {
        bytes.withUnsafeBytes { digest(ofNullable: $0) }
    }

    /// The canonical headers digest, read from the record's own header bytes (zigzag
    /// varints on the wire, re-encoded here as fixed-width integers so that the digest does
    /// not depend on how a client happened to encode its varints).
    static func digest(of headers: RecordHeaders) -> AuditDigest {
        guard headers.count > 0 else { return noHeadersDigest }
        return headers.bytes.withUnsafeReadableBytes { digest(ofHeaders: headers.count, encoded: $0) }
    }

    /// As ``digest(of:)-(RecordHeaders)``, from the encoded headers in place.
    static func digest(ofHeaders count: Int, encoded: UnsafeRawBufferPointer) -> AuditDigest {
        guard count > 0 else { return noHeadersDigest }
        var hasher = SHA256Context()
        hasher.update(bigEndian: UInt32(count))
        // The record parser validated this layout; should it not hold, iteration stops early
        // and yields a digest no honest record has.
        RecordHeaders.forEachHeader(count: count, encoded: encoded) { key, value in
            hasher.update(bigEndian: UInt32(key.count))
            hasher.update(key)
            if let value {
                hasher.update(bigEndian: Int32(value.count))
                hasher.update(value)
            } else {
                hasher.update(bigEndian: Int32(-1))
            }
        }
        return hasher.finalize()
    }

    static func digest(of headers: [LeafInput.Header]) -> AuditDigest {
        guard !headers.isEmpty else { return noHeadersDigest }
        var hasher = SHA256Context()
        hasher.update(bigEndian: UInt32(headers.count))
        for header in headers {
            let key = Array(header.key.utf8)
            hasher.update(bigEndian: UInt32(key.count))
            key.withUnsafeBytes { hasher.update($0) }
            if let value = header.value {
                hasher.update(bigEndian: Int32(value.count))
                value.withUnsafeBytes { hasher.update($0) }
            } else {
                hasher.update(bigEndian: Int32(-1))
            }
        }
        return hasher.finalize()
    }
}

extension Array where Element == UInt8 {
    mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }
}
