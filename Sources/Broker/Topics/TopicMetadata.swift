import KafkaProtocol

/// What the broker knows about one topic: its id, partition count and topic-level configs.
struct TopicMetadata: Codable, Sendable, Equatable {
    var name: String
    var topicID: String
    var partitionCount: Int32
    /// Topic-level overrides in Apache Kafka's config names (`retention.ms`, `cleanup.policy`, ...).
    var configs: [String: String]
    var isInternal: Bool

    var uuid: KafkaUUID {
        let hex = topicID.replacingOccurrences(of: "-", with: "")
        guard hex.count == 32, let hi = UInt64(hex.prefix(16), radix: 16), let lo = UInt64(hex.suffix(16), radix: 16) else {
            return .zero
        }
        return KafkaUUID(high: hi, low: lo)
    }
}

extension TopicMetadata {
    /// Kafka's topic name rules: 1-249 characters of `[a-zA-Z0-9._-]`, and not `.` or `..`.
    static func validateName(_ name: String) -> String? {
        if name.isEmpty { return "topic name is empty" }
        if name.count > 249 { return "topic name is longer than 249 characters" }
        if name == "." || name == ".." { return "topic name cannot be '.' or '..'" }
        let legal = name.utf8.allSatisfy { c in
            (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x2E || c == 0x5F || c == 0x2D
        }
        return legal ? nil : "topic name '\(name)' contains characters other than ASCII alphanumerics, '.', '_' and '-'"
    }

    static func isInternalName(_ name: String) -> Bool {
        name.hasPrefix("__")
    }
}
