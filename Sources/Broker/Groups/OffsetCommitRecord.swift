/// A committed offset as stored in the compacted `__consumer_offsets` topic.
///
/// The key is ``OffsetCommitKey`` (group, topic, partition). Value layout (big-endian),
/// version 1:
/// ```
/// u8  version = 1
/// i64                       offset
/// i32                       leader epoch (-1 = none)
/// i32 length, UTF-8 bytes   metadata
/// i64                       commit timestamp, ms since the Unix epoch
/// ```
/// A deleted offset is a tombstone: the key with a null value (see ``OffsetLogEntry``).
/// New fields go into a new version; decoders keep reading every older one.
struct OffsetCommitRecord: Sendable, Equatable {
    static let currentValueVersion: UInt8 = 1

    var groupId: String
    var topic: String
    var partition: Int32
    var offset: Int64
    var leaderEpoch: Int32
    var metadata: String
    var commitTimestamp: Int64

    init(
        groupId: String, topic: String, partition: Int32,
        offset: Int64, leaderEpoch: Int32 = -1, metadata: String = "", commitTimestamp: Int64
    ) {
        self.groupId = groupId
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.leaderEpoch = leaderEpoch
        self.metadata = metadata
        self.commitTimestamp = commitTimestamp
    }

    var key: OffsetCommitKey { OffsetCommitKey(groupId: groupId, topic: topic, partition: partition) }

    var committedOffset: CommittedOffset {
        CommittedOffset(offset: offset, leaderEpoch: leaderEpoch, metadata: metadata, commitTimestamp: commitTimestamp)
    }

    func encodeKey() -> [UInt8] { key.encode() }

    func encodeValue() -> [UInt8] {
        var writer = OffsetRecordWriter()
        writer.write(Self.currentValueVersion)
        writer.write(offset)
        writer.write(leaderEpoch)
        writer.writeLongString(metadata)
        writer.write(commitTimestamp)
        return writer.bytes
    }

    /// Decodes a record from the key and (non-null) value read back from the log.
    init(key keyBytes: some Collection<UInt8>, value valueBytes: some Collection<UInt8>) throws(OffsetRecordDecodingError) {
        let key = try OffsetCommitKey(decoding: keyBytes)
        var reader = OffsetRecordReader(valueBytes)
        let version: UInt8 = try reader.readUInt8()
        guard version == Self.currentValueVersion else { throw .unsupportedVersion(version) }
        groupId = key.groupId
        topic = key.topic
        partition = key.partition
        offset = try reader.readInt64()
        leaderEpoch = try reader.readInt32()
        metadata = try reader.readLongString()
        commitTimestamp = try reader.readInt64()
        try reader.expectEnd()
    }
}
