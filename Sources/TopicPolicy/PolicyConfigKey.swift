/// Names of the `compliancelog.*` topic configs through which `eventd` exposes a
/// topic's compliance policy in DescribeConfigs and accepts it in
/// CreateTopics/AlterConfigs.
///
/// Stock Kafka rejects unknown config names, so the reconciler manages these
/// only on clusters that report them (see ``ClusterState/supportsPolicyConfigs``).
public enum PolicyConfigKey {
    /// `true` when the topic may never be deleted or lose data sooner.
    public static let immutable = "compliancelog.immutable"
    /// `true` when records get hash-chained audit leaves.
    public static let audit = "compliancelog.audit"
    /// The lowest `retention.ms` the topic may ever have; `-1` for none.
    public static let retentionFloorMs = "compliancelog.retention.floor.ms"

    /// `true` when the broker checks every record value against the topic's registered schema.
    public static let valueSchemaValidation = "compliancelog.value.schema.validation"
    /// `true` when the broker also checks every record key (a key schema is declared).
    public static let keySchemaValidation = "compliancelog.key.schema.validation"
    /// `true` when the broker enforces expected-version appends: a record with headers
    /// `aggregate-id` and `aggregate-version` must be that aggregate's next version.
    public static let expectedVersion = "compliancelog.expected.version"

    /// Every policy config name.
    public static let all: [String] = [immutable, audit, retentionFloorMs, valueSchemaValidation, keySchemaValidation, expectedVersion]

    /// The policy configs that stand for `spec`'s `immutable`, `audit`,
    /// `retention_floor`, `schema` and `event_store`, with `false`/`-1` for undeclared ones, so a plan
    /// can compare them against the cluster's values like any other config.
    public static func configs(for spec: TopicSpec) -> [String: String] {
        [
            immutable: String(spec.immutable),
            audit: String(spec.audit),
            retentionFloorMs: String(spec.retentionFloorMs ?? -1),
            valueSchemaValidation: String(spec.schema != nil),
            keySchemaValidation: String(spec.schema?.key != nil),
            expectedVersion: String(spec.eventStore),
        ]
    }
}
