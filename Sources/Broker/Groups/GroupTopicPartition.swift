/// A topic partition as the group coordinator's offset store names it.
struct GroupTopicPartition: Sendable, Hashable, Comparable, CustomStringConvertible {
    var topic: String
    var partition: Int32

    init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    static func < (lhs: GroupTopicPartition, rhs: GroupTopicPartition) -> Bool {
        (lhs.topic, lhs.partition) < (rhs.topic, rhs.partition)
    }

    var description: String { "\(topic)-\(partition)" }
}
