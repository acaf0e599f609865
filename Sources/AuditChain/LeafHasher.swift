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
        let start = recordFieldsStart
        return preimage.withUnsafeMutableBytes { buffer in
            buffer.storeBytes(of: offset.bigEndian, toByteOffset: start, as: Int64.self)
            buffer.storeBytes(of: timestamp.bigEndian, toByteOffset: start + 8, as: Int64.self)
            // Three explicit stores rather than a loop over an array literal, which would allocate.
            func store(_ digest: AuditDigest, at position: Int) {
                digest.withUnsafeBytes { bytes in
                    UnsafeMutableRawBufferPointer(rebasing: buffer[position..<position + AuditDigest.byteCount]).copyMemory(from: bytes)
                }
            }
            store(keyDigest, at: start + 16)
            store(valueDigest, at: start + 16 + AuditDigest.byteCount)
            store(headersDigest, at: start + 16 + 2 * AuditDigest.byteCount)
            return AuditDigest.sha256(bufferPointer: UnsafeRawBufferPointer(buffer))
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
        var hasher = SHA256Context()
        hasher.update(byte: 0x01)
        hasher.update(bytes)
        return hasher.finalize()
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
