/// The fields of one record that its leaf hash covers, as owned bytes.
///
/// The broker hashes ``KafkaProtocol/Record`` views directly (``LeafHasher/leafHash(of:)-(Record)``);
/// this type is for everything that does not have a RecordBatch at hand: the companion
/// chainer fed by librdkafka, inclusion-proof files, and tests.
public struct LeafInput: Sendable, Hashable, Codable {
    /// One record header: a UTF-8 key and an optional value (nil is distinct from empty).
    public struct Header: Sendable, Hashable, Codable {
        public var key: String
        public var value: [UInt8]?

        public init(key: String, value: [UInt8]?) {
            self.key = key
            self.value = value
        }
    }

    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// Milliseconds since the epoch, as consumers see it (the batch's `maxTimestamp` for
    /// LogAppendTime topics).
    public var timestamp: Int64
    /// nil for a null key (distinct from an empty one).
    public var key: [UInt8]?
    /// nil for a null value, a tombstone (distinct from an empty one).
    public var value: [UInt8]?
    public var headers: [Header]

    public init(topic: String, partition: Int32, offset: Int64, timestamp: Int64, key: [UInt8]?, value: [UInt8]?, headers: [Header] = []) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
        self.key = key
        self.value = value
        self.headers = headers
    }

    /// The record's leaf hash; see ``LeafHasher`` for the encoding.
    public var leafHash: AuditDigest {
        var hasher = LeafHasher(topic: topic, partition: partition)
        return hasher.leafHash(of: self)
    }
}
