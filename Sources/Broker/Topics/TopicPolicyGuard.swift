import TopicPolicy

/// The compliance policy a topic carries in its configs, and the rule that it can only be
/// tightened through the Kafka admin API.
///
/// The policy travels as topic configs (`compliancelog.*`) so DescribeConfigs shows it and
/// the reconciler can compare it like any other config. Stock Kafka clusters do not know these
/// names; `eventctl topics` leaves them out there.
enum TopicPolicyGuard {
    static let immutable = PolicyConfigKey.immutable
    static let audit = PolicyConfigKey.audit
    static let retentionFloorMs = PolicyConfigKey.retentionFloorMs

    static let defaults: [String: String] = [immutable: "false", audit: "false", retentionFloorMs: "-1"]

    static func isImmutable(_ configs: [String: String]) -> Bool { configs[immutable] == "true" }
    static func isAudited(_ configs: [String: String]) -> Bool { configs[audit] == "true" }

    /// Why changing a topic's configs from `current` to `proposed` is refused, or nil when it is allowed.
    ///
    /// Immutable topics may never lose data sooner than they would today: no shorter
    /// retention (time or size), no compaction added, no audit or immutability removed.
    /// Any topic: retention may not go under its declared floor, and the floor only rises.
    static func violation(current: [String: String], proposed: [String: String]) -> String? {
        let oldFloor = number(current, retentionFloorMs) ?? -1
        let newFloor = number(proposed, retentionFloorMs) ?? -1
        if oldFloor > 0, newFloor < oldFloor {
            return "the retention floor of \(oldFloor) ms cannot be lowered"
        }
        let newRetention = effectiveRetention(proposed)
        if newFloor > 0, newRetention != nil, newRetention! < newFloor {
            return "retention.ms \(newRetention!) is under the topic's retention floor of \(newFloor) ms"
        }
        guard isImmutable(current) else { return nil }
        if !isImmutable(proposed) {
            return "the topic is immutable; immutability cannot be turned off"
        }
        if isAudited(current), !isAudited(proposed) {
            return "the topic is immutable; its audit chain cannot be turned off"
        }
        if shorter(effectiveRetention(proposed), than: effectiveRetention(current)) {
            return "the topic is immutable; retention.ms cannot be shortened"
        }
        if shorter(effectiveRetentionBytes(proposed), than: effectiveRetentionBytes(current)) {
            return "the topic is immutable; retention.bytes cannot be lowered"
        }
        if policies(proposed).contains("compact"), !policies(current).contains("compact") {
            return "the topic is immutable; compaction cannot be added to it"
        }
        return nil
    }

    /// Policy of the union of two config maps: every flag that either sets, the higher floor.
    static func strictest(_ a: [String: String], _ b: [String: String]) -> [String: String] {
        var merged = b
        if isImmutable(a) { merged[immutable] = "true" }
        if isAudited(a) { merged[audit] = "true" }
        if let floor = number(a, retentionFloorMs), floor > (number(b, retentionFloorMs) ?? -1) {
            merged[retentionFloorMs] = String(floor)
        }
        return merged
    }

    private static func number(_ configs: [String: String], _ name: String) -> Int64? {
        configs[name].flatMap { Int64($0) }
    }

    /// nil means "forever" (-1).
    private static func effectiveRetention(_ configs: [String: String]) -> Int64? {
        let value = Int64(TopicConfigs.effective(configs, "retention.ms") ?? "-1") ?? -1
        return value < 0 ? nil : value
    }

    private static func effectiveRetentionBytes(_ configs: [String: String]) -> Int64? {
        let value = Int64(TopicConfigs.effective(configs, "retention.bytes") ?? "-1") ?? -1
        return value < 0 ? nil : value
    }

    /// Whether `new` keeps data for less than `old`, nil being forever.
    private static func shorter(_ new: Int64?, than old: Int64?) -> Bool {
        switch (new, old) {
        case (nil, _): false
        case (.some, nil): true
        case (.some(let n), .some(let o)): n < o
        }
    }

    private static func policies(_ configs: [String: String]) -> Set<String> {
        Set((TopicConfigs.effective(configs, "cleanup.policy") ?? "delete").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        })
    }
}

import Foundation
