import Foundation
import TopicPolicy

extension BrokerCore {
    static let sagaStateTopic = "saga-state"

    /// Creates internal topics and the topics declared in the topics file that do not exist yet.
    /// Existing topics are left as they are: reconciling them is `eventctl topics apply`'s job.
    func bootstrapTopics() throws {
        defer {
            // The catalogue is the source of truth for configs; logs created by older
            // versions may hold stale copies of them.
            for topic in topics.all {
                do {
                    try applyLogConfigs(topic)
                } catch {
                    logger.error("cannot apply the configs of \(topic.name): \(error)")
                }
            }
        }
        // DESIGN.md's internal topics include `saga-state`; unlike `__audit` it stays a
        // client topic (not isInternal), because saga orchestrators are clients that write it.
        if topics[Self.sagaStateTopic] == nil {
            try createTopic(name: Self.sagaStateTopic, partitions: 3, configs: ["cleanup.policy": "compact"])
        }
        guard let path = configuration.topicsFile else { return }
        let file = try TopicsFile.load(path: path)
        for spec in file.topics {
            let declared = spec.kafkaConfigs.merging(PolicyConfigKey.configs(for: spec)) { _, policy in policy }
            guard var existing = topics[spec.name] else {
                try createTopic(name: spec.name, partitions: Int32(spec.partitions), configs: declared)
                continue
            }
            // Other configs of an existing topic are `eventctl topics apply`'s to change, but
            // policy only ever tightens: a file that drops `immutable` does not unlock a topic.
            var tightened = TopicPolicyGuard.strictest(declared, existing.configs)
            // Schema validation follows the declaration (the registry holds the schema itself).
            for name in [PolicyConfigKey.valueSchemaValidation, PolicyConfigKey.keySchemaValidation] {
                tightened[name] = declared[name]
            }
            if tightened != existing.configs {
                existing.configs = tightened
                try topics.put(existing)
                logger.info("tightened topic policy from the topics file", metadata: ["topic": "\(spec.name)"])
            }
        }
        logger.info("topics file loaded", metadata: ["file": "\(path)", "topics": "\(file.topics.count)"])
    }
}
