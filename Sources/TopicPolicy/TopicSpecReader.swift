import Foundation
import Yams

/// Turns one `topics:` entry into a ``TopicSpec``, reporting every problem in it
/// through a ``NodeReader``.
struct TopicSpecReader {
    let reader: NodeReader
    /// The file's defaults, with the nodes that set them so a conflict can point there.
    let defaults: TopicDefaults
    /// When set, schema paths are checked to exist relative to this directory.
    let baseDirectory: URL?

    static let topicKeys: Set<String> = [
        "partitions", "replication_factor", "min_insync_replicas", "cleanup_policy",
        "retention", "retention_floor", "retention_bytes", "segment", "segment_bytes",
        "compression", "max_message_bytes", "delete_retention", "min_compaction_lag",
        "immutable", "audit", "schema", "configs", "event_store",
    ]
    static let schemaKeys: Set<String> = ["value", "key", "compatibility", "key_required"]

    /// Kafka declares `max.message.bytes` and `segment.bytes` as INT configs.
    static let int32Max = Int64(Int32.max)
    /// CreateTopics carries the replication factor as an INT16.
    static let int16Max = Int64(Int16.max)
    /// Kafka's lower bound for `segment.bytes`: a segment must hold a batch header.
    static let minSegmentBytes: Int64 = 14

    /// Reads the topic, or returns `nil` when anything in it was reported.
    func read(name: String, nameNode: Node, value: Node) -> TopicSpec? {
        let errorsBefore = reader.errors.count
        let context = "in topic '\(name)'"
        guard let mapping = reader.mapping(value, what: "topic '\(name)'", context: "under 'topics'") else {
            return nil
        }
        let entries = reader.entries(of: mapping, allowed: Self.topicKeys, context: context)
        let byKey = Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0) })

        var spec = TopicSpec(
            name: name,
            partitions: 1,
            replicationFactor: defaults.replicationFactor,
            minInsyncReplicas: defaults.minInsyncReplicas
        )

        if let entry = byKey["partitions"] {
            spec.partitions = reader.int(entry, in: 1...Self.int32Max, context: context).map { Int($0) } ?? 1
        } else {
            reader.report("missing required key 'partitions' \(context)", at: nameNode)
        }
        if let entry = byKey["replication_factor"],
           let value = reader.int(entry, in: 1...Self.int16Max, context: context) {
            spec.replicationFactor = Int(value)
        }
        if let entry = byKey["min_insync_replicas"],
           let value = reader.int(entry, in: 1...Self.int32Max, context: context) {
            spec.minInsyncReplicas = Int(value)
        }
        // With fewer replicas than min.insync.replicas every acks=all produce fails
        // with NOT_ENOUGH_REPLICAS, so the combination can never be what was meant.
        // A conflict that comes purely from `defaults` is reported there, once.
        if spec.minInsyncReplicas > spec.replicationFactor,
           let at = byKey["min_insync_replicas"] ?? byKey["replication_factor"] {
            reader.report(
                "min_insync_replicas \(spec.minInsyncReplicas) exceeds replication_factor \(spec.replicationFactor) \(context)",
                at: at.value)
        }

        if let entry = byKey["cleanup_policy"], let policy = cleanupPolicy(entry, context: context) {
            spec.cleanupPolicy = policy
        }
        // Tracks whether the retention that applies is known; when the declared one
        // is unreadable the floor check would only add a misleading second error.
        var retentionKnown = true
        if let entry = byKey["retention"] {
            if let value = reader.duration(entry, allowInfinite: true, context: context) {
                spec.retentionMs = value
            } else {
                retentionKnown = false
            }
        }
        if let entry = byKey["retention_floor"] {
            spec.retentionFloorMs = reader.duration(entry, context: context)
        }
        if let entry = byKey["retention_bytes"] {
            spec.retentionBytes = reader.size(entry, in: 0...Int64.max, allowInfinite: true, context: context)
        }
        if let entry = byKey["segment"] {
            // Kafka requires segment.ms >= 1; 0 would roll a segment on every append.
            spec.segmentMs = reader.duration(entry, minimum: 1, context: context)
        }
        if let entry = byKey["segment_bytes"] {
            spec.segmentBytes = reader.size(entry, in: Self.minSegmentBytes...Self.int32Max, context: context)
        }
        if let entry = byKey["compression"],
           let value = reader.choice(entry, of: CompressionType.self, problem: "bad compression", context: context) {
            spec.compression = value
        }
        if let entry = byKey["max_message_bytes"] {
            spec.maxMessageBytes = reader.size(entry, in: 0...Self.int32Max, context: context)
        }
        if let entry = byKey["delete_retention"] {
            spec.deleteRetentionMs = reader.duration(entry, context: context)
        }
        if let entry = byKey["min_compaction_lag"] {
            spec.minCompactionLagMs = reader.duration(entry, context: context)
        }
        if let entry = byKey["immutable"], let value = reader.bool(entry, context: context) {
            spec.immutable = value
        }
        if let entry = byKey["audit"], let value = reader.bool(entry, context: context) {
            spec.audit = value
        }
        if let entry = byKey["event_store"], let value = reader.bool(entry, context: context) {
            spec.eventStore = value
        }
        if let entry = byKey["configs"] {
            spec.extraConfigs = extraConfigs(entry, topic: name)
        }

        if retentionKnown {
            checkRetentionFloor(spec, byKey: byKey, context: context)
        }

        if let entry = byKey["schema"] {
            spec.schema = schema(entry, topic: name, compacted: spec.isCompacted)
        }

        return reader.errors.count == errorsBefore ? spec : nil
    }

    // MARK: Parts

    /// `delete`, `compact`, `[compact, delete]`, or Kafka's own `compact,delete`.
    private func cleanupPolicy(_ entry: NodeReader.Entry, context: String) -> [CleanupPolicy]? {
        var items: [(text: String, node: Node)] = []
        if let sequence = entry.value.sequence {
            for node in sequence {
                guard let text = node.scalar?.string else {
                    reader.report("bad cleanup policy: list items must be single values \(context)", at: node)
                    return nil
                }
                items.append((text, node))
            }
        } else if let text = reader.text(entry, context: context) {
            items = text.split(separator: ",").map { (String($0).trimmingCharacters(in: .whitespaces), entry.value) }
        } else {
            return nil
        }
        guard !items.isEmpty else {
            reader.report("bad cleanup policy: empty list \(context) (use delete, compact or [compact, delete])", at: entry.value)
            return nil
        }
        var policies: Set<CleanupPolicy> = []
        for item in items {
            guard let policy = CleanupPolicy(rawValue: item.text) else {
                reader.report("bad cleanup policy '\(item.text)' \(context) (use delete, compact or [compact, delete])", at: item.node)
                return nil
            }
            guard policies.insert(policy).inserted else {
                reader.report("bad cleanup policy: '\(item.text)' listed twice \(context)", at: item.node)
                return nil
            }
        }
        return policies.sorted()
    }

    /// The `schema:` section.
    private func schema(_ entry: NodeReader.Entry, topic: String, compacted: Bool) -> SchemaSpec? {
        let context = "in schema of topic '\(topic)'"
        guard let mapping = reader.mapping(entry.value, what: "'schema'", context: "in topic '\(topic)'") else {
            return nil
        }
        let entries = reader.entries(of: mapping, allowed: Self.schemaKeys, context: context)
        let byKey = Dictionary(uniqueKeysWithValues: entries.map { ($0.key, $0) })
        var spec = SchemaSpec(value: "")
        var valid = true

        if let entry = byKey["value"], let path = schemaPath(entry, context: context) {
            spec.value = path
        } else {
            if byKey["value"] == nil {
                reader.report("missing required key 'value' \(context)", at: entry.keyNode)
            }
            valid = false
        }
        if let entry = byKey["key"] {
            spec.key = schemaPath(entry, context: context)
            valid = valid && spec.key != nil
        }
        if let entry = byKey["compatibility"] {
            if let level = reader.choice(entry, of: CompatibilityLevel.self, problem: "bad compatibility level",
                                         ignoringCase: true, context: context) {
                spec.compatibility = level
            } else {
                valid = false
            }
        }
        if let entry = byKey["key_required"] {
            if let required = reader.bool(entry, context: context) {
                spec.keyRequired = required
                // Compaction keeps the latest record per key; a keyless record on a
                // compacted topic is rejected by the broker (INVALID_RECORD), so a
                // topic that demands keys must say what they look like.
                if required, compacted, byKey["key"] == nil {
                    reader.report(
                        "compacted topic '\(topic)' has key_required: true but its schema declares no 'key'",
                        at: entry.value)
                    valid = false
                }
            } else {
                valid = false
            }
        }
        return valid ? spec : nil
    }

    /// A schema file path; checked to exist when the file was loaded from disk.
    private func schemaPath(_ entry: NodeReader.Entry, context: String) -> String? {
        guard let path = reader.text(entry, context: context) else { return nil }
        guard !path.isEmpty else {
            reader.report("'\(entry.key)' must be a schema file path \(context)", at: entry.value)
            return nil
        }
        if let baseDirectory {
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : baseDirectory.appendingPathComponent(path)
            if !FileManager.default.fileExists(atPath: url.path) {
                reader.report("schema file '\(path)' not found \(context)", at: entry.value)
                return nil
            }
        }
        return path
    }

    /// The `configs:` escape hatch: raw Kafka topic configs.
    private func extraConfigs(_ entry: NodeReader.Entry, topic: String) -> [String: String] {
        let context = "in configs of topic '\(topic)'"
        guard let mapping = reader.mapping(entry.value, what: "'configs'", context: "in topic '\(topic)'") else {
            return [:]
        }
        var configs: [String: String] = [:]
        for item in reader.entries(of: mapping, allowed: nil, context: context) {
            guard item.key.unicodeScalars.allSatisfy(Self.isConfigNameScalar), !item.key.isEmpty else {
                reader.report("invalid Kafka config name '\(item.key)' \(context)", at: item.keyNode)
                continue
            }
            if let typedKey = KafkaConfigKey.typedKeys[item.key] {
                reader.report("'\(item.key)' must be set with '\(typedKey)', not in configs, in topic '\(topic)'", at: item.keyNode)
                continue
            }
            if let value = reader.text(item, context: context) {
                configs[item.key] = value
            }
        }
        return configs
    }

    /// Retention may never be set below the declared floor; infinite retention is above any floor.
    private func checkRetentionFloor(_ spec: TopicSpec, byKey: [String: NodeReader.Entry], context: String) {
        guard let floor = spec.retentionFloorMs, spec.retentionMs != -1, spec.retentionMs < floor,
              let floorEntry = byKey["retention_floor"] else { return }
        let floorText = floorEntry.value.scalar?.string ?? String(floor)
        if let retention = byKey["retention"] {
            let retentionText = retention.value.scalar?.string ?? String(spec.retentionMs)
            reader.report(
                "retention \(retentionText) (\(spec.retentionMs) ms) is below retention_floor \(floorText) (\(floor) ms) \(context)",
                at: retention.value)
        } else {
            // No retention declared means Kafka's 7-day default, which is what would
            // actually be applied, so the floor check still has to hold.
            reader.report(
                "default retention of 7d (\(spec.retentionMs) ms) is below retention_floor \(floorText) (\(floor) ms) \(context); declare 'retention'",
                at: floorEntry.value)
        }
    }

    private static func isConfigNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-": return true
        default: return false
        }
    }
}
