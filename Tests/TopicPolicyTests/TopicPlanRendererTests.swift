import Testing
@testable import TopicPolicy

@Suite struct TopicPlanRendererTests {
    @Test func rendersEveryKindOfLineInPlanOrderWithSummary() {
        let plan = TopicPlan(
            actions: [
                .create(topic: "orders", partitions: 6, replicationFactor: 1,
                        configs: ["retention.ms": "604800000", "cleanup.policy": "delete"]),
                .alterConfigs(topic: "payments", changes: [
                    ConfigChange(name: "retention.ms", oldValue: "604800000", newValue: "220752000000"),
                    ConfigChange(name: "segment.ms", oldValue: nil, newValue: "86400000"),
                ]),
                .addPartitions(topic: "payments", from: 6, to: 12),
                .deleteUndeclared(topic: "legacy"),
            ],
            refusals: [PlanRefusal(topic: "ledger", reason: .partitionDecrease, message: "cannot decrease partitions 12 → 6")],
            notices: [
                .undeclaredTopic(name: "scratch", immutable: false),
                .undeclaredTopic(name: "vault", immutable: true),
                .unmanagedConfig(topic: "orders", name: "segment.bytes", value: "1000"),
            ])
        #expect(TopicPlanRenderer.render(plan) == """
            + create orders: 6 partitions, replication factor 1
                cleanup.policy = delete
                retention.ms = 604800000
            ~ payments: retention.ms 604800000 → 220752000000
            ~ payments: segment.ms (unset) → 86400000
            ~ payments: partitions 6 → 12
            - delete legacy (not declared)
            ! refused: ledger: cannot decrease partitions 12 → 6
            ? undeclared topic scratch (not deleted; pass --allow-delete)
            ? undeclared topic vault (immutable; never deleted)
            ? orders: segment.bytes = 1000 is set on the cluster but not declared (left as is)

            Plan refused: 1 change cannot be made (1 to create, 1 to change, 1 to delete; nothing will be applied).

            """)
    }

    @Test func emptyPlanSaysNoChanges() {
        #expect(TopicPlanRenderer.render(TopicPlan()) == "No changes: the cluster matches the topics file.\n")
    }

    @Test func pendingSummaryCountsChangedTopicsOnce() {
        let plan = TopicPlan(actions: [
            .alterConfigs(topic: "a", changes: [ConfigChange(name: "x", oldValue: "1", newValue: "2")]),
            .addPartitions(topic: "a", from: 1, to: 2),
            .addPartitions(topic: "b", from: 1, to: 2),
        ])
        #expect(TopicPlanRenderer.summary(plan) == "Plan: 0 to create, 2 to change, 0 to delete.")
    }
}
