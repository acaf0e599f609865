import Foundation

/// Compares declared topics with a cluster snapshot and plans the difference.
///
/// Pure: no I/O, so every rule is unit-tested without a cluster. The rules:
/// - A declared topic the cluster lacks is created with every declared config.
/// - Declared configs are compared by value with the cluster's effective value
///   (a declared value equal to the cluster default is no change); configs the
///   file does not declare are left alone and reported as notices.
/// - Partitions can only grow; a decrease is refused. A replication factor
///   change needs a reassignment, which the reconciler does not do: refused.
/// - `compliancelog.*` policy configs are managed only when the cluster supports
///   them, and weakening a policy the cluster enforces is refused before the
///   broker is asked.
/// - Undeclared topics are reported; with `allowDelete` they are deleted unless
///   immutable (refused). Internal topics (`__*`, `_schemas`) are ignored.
public enum TopicPlanner {
    /// Plans the changes that make `cluster` match `file`.
    ///
    /// - Parameters:
    ///   - file: The declared topics.
    ///   - cluster: What the cluster has now.
    ///   - allowDelete: Whether undeclared topics are to be deleted.
    public static func plan(file: TopicsFile, cluster: ClusterState, allowDelete: Bool = false) -> TopicPlan {
        var plan = TopicPlan()
        for spec in file.topics where !ClusterState.isInternal(spec.name) {
            let desired = desiredConfigs(spec, policy: cluster.supportsPolicyConfigs)
            guard let current = cluster.topic(named: spec.name) else {
                planCreation(spec, desired: desired, cluster: cluster, into: &plan)
                continue
            }
            planUpdate(spec, desired: desired, current: current, cluster: cluster, into: &plan)
        }
        let declared = Set(file.topics.map(\.name))
        let undeclared = cluster.topics
            .filter { !declared.contains($0.name) && !ClusterState.isInternal($0.name) }
            .sorted { $0.name < $1.name }
        for topic in undeclared {
            if !allowDelete {
                plan.notices.append(.undeclaredTopic(name: topic.name, immutable: topic.isImmutable))
            } else if topic.isImmutable {
                plan.refusals.append(PlanRefusal(
                    topic: topic.name, reason: .immutableDeletion,
                    message: "is immutable and can never be deleted; declare it in the topics file"))
            } else {
                plan.actions.append(.deleteUndeclared(topic: topic.name))
            }
        }
        return plan
    }

    /// The configs a declared topic should have on this cluster, normalized for comparison.
    static func desiredConfigs(_ spec: TopicSpec, policy: Bool) -> [String: String] {
        var configs = spec.kafkaConfigs
        if policy {
            configs.merge(PolicyConfigKey.configs(for: spec)) { _, policy in policy }
        }
        return configs.reduce(into: [:]) { result, entry in
            result[entry.key] = normalized(entry.value, for: entry.key)
        }
    }

    private static func planCreation(
        _ spec: TopicSpec, desired: [String: String], cluster: ClusterState, into plan: inout TopicPlan
    ) {
        if let brokers = cluster.brokerCount, spec.replicationFactor > brokers {
            plan.refusals.append(PlanRefusal(
                topic: spec.name, reason: .replicationFactorExceedsBrokers,
                message: "replication factor \(spec.replicationFactor) exceeds the cluster's \(brokers) broker(s)"))
            return
        }
        // Policy configs at their defaults are left out, as the broker itself does:
        // the created topic then reads back as declared without extra overrides.
        let configs = desired.filter { name, value in
            !(PolicyConfigKey.all.contains(name) && (value == "false" || value == "-1"))
        }
        plan.actions.append(.create(
            topic: spec.name, partitions: spec.partitions, replicationFactor: spec.replicationFactor, configs: configs))
    }

    private static func planUpdate(
        _ spec: TopicSpec, desired: [String: String], current: ClusterTopicState,
        cluster: ClusterState, into plan: inout TopicPlan
    ) {
        let changes = desired.keys.sorted().compactMap { name -> ConfigChange? in
            let old = current.configs[name].map { normalized($0, for: name) }
            let new = desired[name]!
            return old == new ? nil : ConfigChange(name: name, oldValue: current.configs[name], newValue: new)
        }
        if !changes.isEmpty {
            if let weakening = policyWeakening(current: current, desired: desired, supported: cluster.supportsPolicyConfigs) {
                plan.refusals.append(PlanRefusal(topic: spec.name, reason: .policyWeakening, message: weakening))
            } else {
                plan.actions.append(.alterConfigs(topic: spec.name, changes: changes))
            }
        }
        if spec.partitions > current.partitions {
            plan.actions.append(.addPartitions(topic: spec.name, from: current.partitions, to: spec.partitions))
        } else if spec.partitions < current.partitions {
            plan.refusals.append(PlanRefusal(
                topic: spec.name, reason: .partitionDecrease,
                message: "cannot decrease partitions \(current.partitions) → \(spec.partitions): "
                    + "Kafka cannot remove partitions (recreate the topic under a new name to shrink it)"))
        }
        if spec.replicationFactor != current.replicationFactor {
            plan.refusals.append(PlanRefusal(
                topic: spec.name, reason: .replicationFactorChange,
                message: "cannot change replication factor \(current.replicationFactor) → \(spec.replicationFactor): "
                    + "that needs a partition reassignment (kafka-reassign-partitions), which eventctl does not do"))
        }
        let declaredNames = Set(desired.keys)
        for name in current.overriddenConfigs.sorted() where !declaredNames.contains(name) {
            // Policy configs are not "undeclared overrides" on clusters where we do not
            // manage them; on eventd they are always declared (false/-1 when absent).
            guard !PolicyConfigKey.all.contains(name), let value = current.configs[name] else { continue }
            plan.notices.append(.unmanagedConfig(topic: spec.name, name: name, value: value))
        }
    }

    /// Why moving `current` to `desired` weakens a policy the cluster enforces, or nil.
    ///
    /// Mirrors eventd's own guard so that `plan` refuses up front instead of `apply`
    /// failing half way with POLICY_VIOLATION.
    static func policyWeakening(current: ClusterTopicState, desired: [String: String], supported: Bool) -> String? {
        guard supported else { return nil }
        let oldFloor = Int64(current.configs[PolicyConfigKey.retentionFloorMs] ?? "-1") ?? -1
        let newFloor = Int64(desired[PolicyConfigKey.retentionFloorMs] ?? "-1") ?? -1
        if oldFloor > 0, newFloor < oldFloor {
            return "refuses to lower the retention floor \(oldFloor) → \(newFloor) ms: a floor only rises"
        }
        guard current.isImmutable else { return nil }
        if desired[PolicyConfigKey.immutable] != "true" {
            return "is immutable on the cluster; immutability cannot be turned off"
        }
        if current.configs[PolicyConfigKey.audit] == "true", desired[PolicyConfigKey.audit] != "true" {
            return "is immutable; its audit chain cannot be turned off"
        }
        if keepsLess(desired[KafkaConfigKey.retentionMs], than: current.configs[KafkaConfigKey.retentionMs]) {
            return "is immutable; retention.ms cannot be shortened "
                + "(\(current.configs[KafkaConfigKey.retentionMs] ?? "?") → \(desired[KafkaConfigKey.retentionMs] ?? "?"))"
        }
        if keepsLess(desired[KafkaConfigKey.retentionBytes], than: current.configs[KafkaConfigKey.retentionBytes]) {
            return "is immutable; retention.bytes cannot be lowered"
        }
        let compacts = { (value: String?) in value?.split(separator: ",").contains("compact") ?? false }
        if compacts(desired[KafkaConfigKey.cleanupPolicy]), !compacts(current.configs[KafkaConfigKey.cleanupPolicy]) {
            return "is immutable; compaction cannot be added to it"
        }
        return nil
    }

    /// Whether a retention value `new` keeps less than `old`; negative means forever,
    /// and an unknown value (`nil`) is never judged shorter.
    private static func keepsLess(_ new: String?, than old: String?) -> Bool {
        guard let new = new.flatMap({ Int64($0) }), let old = old.flatMap({ Int64($0) }) else { return false }
        if new < 0 { return false }
        return old < 0 || new < old
    }

    /// A config value in the form it is compared in.
    ///
    /// Clusters may list `cleanup.policy` in either order, and Kafka spells
    /// "no compression" `uncompressed` (stock Kafka rejects `none`), so both
    /// sides are brought to one form before comparing.
    static func normalized(_ value: String, for name: String) -> String {
        switch name {
        case KafkaConfigKey.cleanupPolicy:
            return value.split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
                .sorted()
                .joined(separator: ",")
        case KafkaConfigKey.compressionType:
            return value == CompressionType.none.rawValue ? "uncompressed" : value
        default:
            return value
        }
    }
}
