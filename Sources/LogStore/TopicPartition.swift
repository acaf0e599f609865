/// A topic name and partition number; names a partition log and its directory `<topic>-<partition>`.
public struct TopicPartition: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32

    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    /// The partition directory's name, `<topic>-<partition>`.
    public var directoryName: String { "\(topic)-\(partition)" }

    public var description: String { directoryName }

    /// Parses a directory name. The partition follows the LAST '-', because topic names may
    /// themselves contain '-'. Returns nil for names that are not a legal topic and partition
    /// (for example directories being deleted, which end in `.deleted`).
    public init?(directoryName: String) {
        guard let dash = directoryName.lastIndex(of: "-") else { return nil }
        let topic = String(directoryName[..<dash])
        let digits = directoryName[directoryName.index(after: dash)...]
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let partition = Int32(digits), Self.isLegalTopicName(topic)
        else { return nil }
        self.init(topic: topic, partition: partition)
    }

    /// Kafka's rule: 1...249 characters of `[a-zA-Z0-9._-]`, and not "." or "..".
    public static func isLegalTopicName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 249, name != ".", name != ".." else { return false }
        return name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                return true
            default:
                return false
            }
        }
    }

    public static func < (lhs: TopicPartition, rhs: TopicPartition) -> Bool {
        (lhs.topic, lhs.partition) < (rhs.topic, rhs.partition)
    }
}
