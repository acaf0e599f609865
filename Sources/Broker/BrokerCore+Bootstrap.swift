import Foundation
import TopicPolicy

extension BrokerCore {
    /// Creates internal topics and the topics declared in the topics file that do not exist yet.
    /// Existing topics are left as they are: reconciling them is `eventctl topics apply`'s job.
    func bootstrapTopics() throws {
        guard let path = configuration.topicsFile else { return }
        let file = try TopicsFile.load(path: path)
        for spec in file.topics where topics[spec.name] == nil {
            try createTopic(name: spec.name, partitions: Int32(spec.partitions), configs: spec.kafkaConfigs)
        }
        logger.info("topics file loaded", metadata: ["file": "\(path)", "topics": "\(file.topics.count)"])
    }
}
