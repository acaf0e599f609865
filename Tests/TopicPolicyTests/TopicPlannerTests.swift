import Testing
@testable import TopicPolicy

/// A cluster topic whose configs are exactly what `spec` declares (as eventd would
/// report them after creating it), so tests change only what they are about.
private func matching(_ spec: TopicSpec, policy: Bool = false) -> ClusterTopicState {
    ClusterTopicState(
        name: spec.name, partitions: spec.partitions, replicationFactor: spec.replicationFactor,
        configs: TopicPlanner.desiredConfigs(spec, policy: policy))
}

private func file(_ topics: TopicSpec...) -> TopicsFile {
    TopicsFile(fileName: "topics.yaml", defaults: .singleNode, topics: topics)
}

@Suite struct TopicPlannerTests {
    let orders = TopicSpec(name: "orders", partitions: 6, retentionMs: 220_752_000_000, compression: .snappy)
    let ledger = TopicSpec(
        name: "ledger", partitions: 3, cleanupPolicy: [.compact, .delete], immutable: true, audit: true,
        retentionFloorMs: 86_400_000)

    @Test func emptyClusterCreatesEveryDeclaredTopicInFileOrder() {
        let plan = TopicPlanner.plan(file: file(orders, ledger), cluster: ClusterState(topics: []))
        #expect(plan.outcome == .changesPending)
        #expect(plan.actions.map(\.topic) == ["orders", "ledger"])
        guard case .create(_, let partitions, let rf, let configs) = plan.actions[0] else {
            Issue.record("expected create, got \(plan.actions[0])")
            return
        }
        #expect(partitions == 6 && rf == 1)
        #expect(configs == orders.kafkaConfigs)
    }

    @Test func matchingClusterIsUpToDate() {
        let cluster = ClusterState(topics: [matching(orders), matching(ledger)])
        let plan = TopicPlanner.plan(file: file(orders, ledger), cluster: cluster)
        #expect(plan == TopicPlan())
        #expect(plan.outcome == .upToDate)
    }

    @Test func changedConfigIsPlannedWithOldAndNewValue() {
        var current = matching(orders)
        current.configs["retention.ms"] = "604800000"
        let plan = TopicPlanner.plan(file: file(orders), cluster: ClusterState(topics: [current]))
        #expect(plan.actions == [.alterConfigs(topic: "orders", changes: [
            ConfigChange(name: "retention.ms", oldValue: "604800000", newValue: "220752000000"),
        ])])
    }

    @Test func declaredValueEqualToClusterDefaultIsNoChange() {
        // min.insync.replicas=1 and cleanup.policy=delete are declared but are the
        // cluster's defaults: DescribeConfigs reports them without a topic override.
        var current = matching(orders)
        current.overriddenConfigs = ["retention.ms", "compression.type"]
        let plan = TopicPlanner.plan(file: file(orders), cluster: ClusterState(topics: [current]))
        #expect(plan.outcome == .upToDate)
    }

    @Test func configMissingFromClusterIsPlannedAsUnset() {
        var current = matching(orders)
        current.configs["compression.type"] = nil
        let plan = TopicPlanner.plan(file: file(orders), cluster: ClusterState(topics: [current]))
        #expect(plan.actions == [.alterConfigs(topic: "orders", changes: [
            ConfigChange(name: "compression.type", oldValue: nil, newValue: "snappy"),
        ])])
    }

    @Test func cleanupPolicyOrderAndUncompressedSpellingAreNotChanges() {
        let spec = TopicSpec(name: "t", partitions: 1, cleanupPolicy: [.compact, .delete], compression: .none)
        var current = matching(spec)
        current.configs["cleanup.policy"] = "delete, compact"
        current.configs["compression.type"] = "uncompressed"
        #expect(TopicPlanner.plan(file: file(spec), cluster: ClusterState(topics: [current])).outcome == .upToDate)
        // Creation spells it the way stock Kafka accepts.
        let create = TopicPlanner.plan(file: file(spec), cluster: ClusterState(topics: []))
        guard case .create(_, _, _, let configs) = create.actions.first else {
            Issue.record("expected create")
            return
        }
        #expect(configs["compression.type"] == "uncompressed")
    }

    @Test func partitionIncreaseIsPlanned() {
        var current = matching(orders)
        current.partitions = 4
        let plan = TopicPlanner.plan(file: file(orders), cluster: ClusterState(topics: [current]))
        #expect(plan.actions == [.addPartitions(topic: "orders", from: 4, to: 6)])
    }

    @Test func configChangeComesBeforePartitionIncreaseOfTheSameTopic() {
        var current = matching(orders)
        current.partitions = 2
        current.configs["compression.type"] = "gzip"
        let plan = TopicPlanner.plan(file: file(orders), cluster: ClusterState(topics: [current]))
        #expect(plan.actions.count == 2)
        guard case .alterConfigs = plan.actions[0], case .addPartitions = plan.actions[1] else {
            Issue.record("unexpected order \(plan.actions)")
            return
        }
    }

    @Test func partitionDecreaseIsRefused() {
        var current = matching(orders)
        current.partitions = 12
        let plan = TopicPlanner.plan(file: file(orders), cluster: ClusterState(topics: [current]))
        #expect(plan.outcome == .refused)
        #expect(plan.actions.isEmpty)
        #expect(plan.refusals.map(\.reason) == [.partitionDecrease])
        #expect(plan.refusals[0].message.contains("12 → 6"))
    }

    @Test func replicationFactorChangeIsRefused() {
        var current = matching(orders)
        current.replicationFactor = 3
        let plan = TopicPlanner.plan(file: file(orders), cluster: ClusterState(topics: [current]))
        #expect(plan.refusals.map(\.reason) == [.replicationFactorChange])
        #expect(plan.refusals[0].message.contains("3 → 1"))
    }

    @Test func creationWithMoreReplicasThanBrokersIsRefused() {
        var spec = orders
        spec.replicationFactor = 3
        let plan = TopicPlanner.plan(file: file(spec), cluster: ClusterState(topics: [], brokerCount: 1))
        #expect(plan.actions.isEmpty)
        #expect(plan.refusals.map(\.reason) == [.replicationFactorExceedsBrokers])
        // Unknown broker count: let the cluster decide.
        #expect(TopicPlanner.plan(file: file(spec), cluster: ClusterState(topics: [])).outcome == .changesPending)
    }

    @Test func undeclaredTopicIsReportedNotDeleted() {
        let stray = ClusterTopicState(name: "scratch", partitions: 1, replicationFactor: 1)
        let plan = TopicPlanner.plan(file: file(orders), cluster: ClusterState(topics: [matching(orders), stray]))
        #expect(plan.outcome == .upToDate)
        #expect(plan.notices == [.undeclaredTopic(name: "scratch", immutable: false)])
    }

    @Test func allowDeleteDeletesUndeclaredOrdinaryTopicsLast() {
        let stray = ClusterTopicState(name: "scratch", partitions: 1, replicationFactor: 1)
        let plan = TopicPlanner.plan(file: file(orders), cluster: ClusterState(topics: [stray]), allowDelete: true)
        #expect(plan.actions.map(\.topic) == ["orders", "scratch"])
        #expect(plan.actions.last == .deleteUndeclared(topic: "scratch"))
    }

    @Test func allowDeleteRefusesImmutableTopic() {
        let vault = ClusterTopicState(
            name: "vault", partitions: 1, replicationFactor: 1, configs: [PolicyConfigKey.immutable: "true"])
        let plan = TopicPlanner.plan(
            file: file(), cluster: ClusterState(topics: [vault], supportsPolicyConfigs: true), allowDelete: true)
        #expect(plan.actions.isEmpty)
        #expect(plan.refusals.map(\.reason) == [.immutableDeletion])
        let withoutDelete = TopicPlanner.plan(file: file(), cluster: ClusterState(topics: [vault], supportsPolicyConfigs: true))
        #expect(withoutDelete.notices == [.undeclaredTopic(name: "vault", immutable: true)])
        #expect(withoutDelete.outcome == .upToDate)
    }

    @Test func internalTopicsAreIgnored() {
        let internals = ["__consumer_offsets", "__audit", "_schemas"].map {
            ClusterTopicState(name: $0, partitions: 50, replicationFactor: 1)
        }
        let plan = TopicPlanner.plan(file: file(), cluster: ClusterState(topics: internals), allowDelete: true)
        #expect(plan == TopicPlan())
        #expect(ClusterState.isInternal("_schemas_backup") == false)
    }

    @Test func undeclaredOverrideIsANoticeOnly() {
        var current = matching(orders)
        current.configs["segment.bytes"] = "1000"
        current.overriddenConfigs.insert("segment.bytes")
        let plan = TopicPlanner.plan(file: file(orders), cluster: ClusterState(topics: [current]))
        #expect(plan.outcome == .upToDate)
        #expect(plan.notices == [.unmanagedConfig(topic: "orders", name: "segment.bytes", value: "1000")])
    }

    // MARK: Policy configs

    @Test func policyConfigsAreLeftOutOnStockKafka() {
        let plan = TopicPlanner.plan(file: file(ledger), cluster: ClusterState(topics: []))
        guard case .create(_, _, _, let configs) = plan.actions.first else {
            Issue.record("expected create")
            return
        }
        #expect(configs.keys.allSatisfy { !$0.hasPrefix("compliancelog.") })
        // And an existing topic without them is up to date.
        #expect(TopicPlanner.plan(file: file(ledger), cluster: ClusterState(topics: [matching(ledger)])).outcome == .upToDate)
    }

    @Test func policyConfigsAreCreatedOnEventd() {
        let plan = TopicPlanner.plan(file: file(ledger, orders), cluster: ClusterState(topics: [], supportsPolicyConfigs: true))
        guard case .create(_, _, _, let ledgerConfigs) = plan.actions[0],
              case .create(_, _, _, let ordersConfigs) = plan.actions[1] else {
            Issue.record("expected two creates")
            return
        }
        #expect(ledgerConfigs[PolicyConfigKey.immutable] == "true")
        #expect(ledgerConfigs[PolicyConfigKey.audit] == "true")
        #expect(ledgerConfigs[PolicyConfigKey.retentionFloorMs] == "86400000")
        // Defaults (false, -1) are not sent, as the broker does not store them either.
        #expect(ordersConfigs.keys.allSatisfy { !$0.hasPrefix("compliancelog.") })
    }

    @Test func policyDefaultsReportedByEventdAreNoChange() {
        var current = matching(orders)
        current.configs.merge(["compliancelog.immutable": "false", "compliancelog.audit": "false",
                               "compliancelog.retention.floor.ms": "-1",
                               "compliancelog.value.schema.validation": "false",
                               "compliancelog.key.schema.validation": "false",
                               "compliancelog.expected.version": "false"]) { a, _ in a }
        let cluster = ClusterState(topics: [current], supportsPolicyConfigs: true)
        #expect(TopicPlanner.plan(file: file(orders), cluster: cluster).outcome == .upToDate)
    }

    @Test func tighteningPolicyIsPlanned() {
        var spec = orders
        spec.audit = true
        var current = matching(orders, policy: true)
        current.configs[PolicyConfigKey.audit] = "false"
        let plan = TopicPlanner.plan(file: file(spec), cluster: ClusterState(topics: [current], supportsPolicyConfigs: true))
        #expect(plan.actions == [.alterConfigs(topic: "orders", changes: [
            ConfigChange(name: PolicyConfigKey.audit, oldValue: "false", newValue: "true"),
        ])])
    }

    @Test func weakeningAnImmutableTopicIsRefused() {
        let current = matching(ledger, policy: true)
        let cluster = ClusterState(topics: [current], supportsPolicyConfigs: true)
        var notImmutable = ledger
        notImmutable.immutable = false
        var notAudited = ledger
        notAudited.audit = false
        var shorter = ledger
        shorter.retentionMs = 2 * 86_400_000
        var lowerFloor = ledger
        lowerFloor.retentionFloorMs = nil
        for (spec, fragment) in [(notImmutable, "immutability"), (notAudited, "audit"),
                                 (shorter, "retention.ms"), (lowerFloor, "retention floor")] {
            let plan = TopicPlanner.plan(file: file(spec), cluster: cluster)
            #expect(plan.refusals.map(\.reason) == [.policyWeakening], "\(fragment)")
            #expect(plan.refusals.first?.message.contains(fragment) == true, "\(plan.refusals)")
            #expect(plan.actions.isEmpty)
        }
        var longer = ledger
        longer.retentionMs = -1
        #expect(TopicPlanner.plan(file: file(longer), cluster: cluster).outcome == .changesPending)
    }

    @Test func addingCompactionToAnImmutableTopicIsRefused() {
        let spec = TopicSpec(name: "log", partitions: 1, immutable: true)
        var compacted = spec
        compacted.cleanupPolicy = [.compact]
        let cluster = ClusterState(topics: [matching(spec, policy: true)], supportsPolicyConfigs: true)
        let plan = TopicPlanner.plan(file: file(compacted), cluster: cluster)
        #expect(plan.refusals.first?.message.contains("compaction") == true)
    }

    @Test func refusalsWinOverPendingChanges() {
        var current = matching(orders)
        current.partitions = 12
        let plan = TopicPlanner.plan(file: file(orders, ledger), cluster: ClusterState(topics: [current]))
        #expect(!plan.actions.isEmpty)
        #expect(plan.outcome == .refused)
    }

    @Test func plansFromAParsedFile() throws {
        let parsed = try TopicsFile.parse(yaml: """
            topics:
              payments:
                partitions: 12
                cleanup_policy: [compact, delete]
                retention: 7y
                immutable: true
            """, fileName: "topics.yaml")
        let current = ClusterTopicState(
            name: "payments", partitions: 12, replicationFactor: 1,
            configs: ["cleanup.policy": "compact,delete", "retention.ms": "604800000", "compression.type": "producer",
                      "min.insync.replicas": "1", "compliancelog.immutable": "true"],
            overriddenConfigs: ["cleanup.policy", "compliancelog.immutable"])
        let plan = TopicPlanner.plan(file: parsed, cluster: ClusterState(topics: [current], supportsPolicyConfigs: true))
        // Lengthening retention of an immutable topic is allowed.
        #expect(plan.actions == [.alterConfigs(topic: "payments", changes: [
            ConfigChange(name: "compliancelog.audit", oldValue: nil, newValue: "false"),
            ConfigChange(name: "compliancelog.expected.version", oldValue: nil, newValue: "false"),
            ConfigChange(name: "compliancelog.key.schema.validation", oldValue: nil, newValue: "false"),
            ConfigChange(name: "compliancelog.retention.floor.ms", oldValue: nil, newValue: "-1"),
            ConfigChange(name: "compliancelog.value.schema.validation", oldValue: nil, newValue: "false"),
            ConfigChange(name: "retention.ms", oldValue: "604800000", newValue: "220752000000"),
        ])])
    }
}
