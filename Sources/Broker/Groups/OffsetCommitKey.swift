/// The key of a committed offset in the compacted `__consumer_offsets` topic: one entry
/// per (group, topic, partition), so compaction keeps only the latest commit.
///
/// Binary layout (big-endian), version 1:
/// ```
/// u8  version = 1
/// u16 length, UTF-8 bytes   group id
/// u16 length, UTF-8 bytes   topic
/// i32                       partition
/// ```
struct OffsetCommitKey: Sendable, Hashable {
    static let currentVersion: UInt8 = 1

    var groupId: String
    var topic: String
    var partition: Int32

    init(groupId: String, topic: String, partition: Int32) {
        self.groupId = groupId
        self.topic = topic
        self.partition = partition
    }

    var topicPartition: GroupTopicPartition { GroupTopicPartition(topic: topic, partition: partition) }

    func encode() -> [UInt8] {
        var writer = OffsetRecordWriter()
        writer.write(Self.currentVersion)
        writer.writeShortString(groupId)
        writer.writeShortString(topic)
        writer.write(partition)
        return writer.bytes
    }

    init(decoding bytes: some Collection<UInt8>) throws(OffsetRecordDecodingError) {
        var reader = OffsetRecordReader(bytes)
        let version: UInt8 = try reader.readUInt8()
        guard version == Self.currentVersion else { throw .unsupportedVersion(version) }
        groupId = try reader.readShortString()
        topic = try reader.readShortString()
        partition = try reader.readInt32()
        try reader.expectEnd()
    }
}
