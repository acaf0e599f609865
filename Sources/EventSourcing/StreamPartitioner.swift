/// Which partition holds an aggregate's stream: FNV-1a (32 bit) of the UTF-8 aggregate id,
/// modulo the partition count. Fixed here rather than left to librdkafka's partitioner so
/// that reading a stream knows where to look, whatever the producer's settings.
enum StreamPartitioner {
    static func partition(of aggregateID: String, partitionCount: Int32) -> Int32 {
        var hash: UInt32 = 2_166_136_261
        for byte in aggregateID.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        return Int32(hash % UInt32(max(partitionCount, 1)))
    }
}
