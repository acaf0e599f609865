import Foundation

/// eventd's catalogue of topics, `topics.json` in its data directory, read for offline audits.
struct AuditTopicCatalogue {
    /// One topic as the broker persisted it.
    struct Topic: Decodable {
        var name: String
        var partitionCount: Int32
        /// Apache Kafka config names (`cleanup.policy`, `compliancelog.audit`, …).
        var configs: [String: String]
        var isInternal: Bool

        /// `compliancelog.audit=true`: the broker chains this topic's records.
        var isAudited: Bool { configs["compliancelog.audit"] == "true" }

        /// Whether compaction may remove records from the middle of the log
        /// (`cleanup.policy` contains `compact`; Kafka's default is `delete`).
        var isCompacted: Bool { Self.isCompacted(cleanupPolicy: configs["cleanup.policy"]) }

        static func isCompacted(cleanupPolicy: String?) -> Bool {
            (cleanupPolicy ?? "delete").split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == "compact" }
        }
    }

    var topics: [Topic]

    /// Reads `<dataDirectory>/topics.json`.
    static func load(dataDirectory: String) throws -> AuditTopicCatalogue {
        let path = (dataDirectory as NSString).appendingPathComponent("topics.json")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuditCommandError("cannot read \(path): is \(dataDirectory) an eventd data directory?")
        }
        return AuditTopicCatalogue(topics: try JSONDecoder().decode([Topic].self, from: data))
    }
}
