import KafkaProtocol

extension RequestDispatcher {
    /// Metadata: this single broker leads every partition. Unknown topics are reported,
    /// never created (auto-create is off).
    func metadata(_ request: MetadataRequest, version: Int16) throws -> MetadataResponse {
        let broker = MetadataResponse.MetadataResponseBroker(
            nodeId: core.configuration.nodeID, host: core.advertisedHost, port: core.advertisedPort, rack: nil)
        let requested: [TopicMetadata?]
        var unknownNames: [String] = []
        if let wanted = request.topics {
            requested = wanted.map { entry in
                guard let name = entry.name else { return nil }
                if let topic = core.topics[name] { return topic }
                unknownNames.append(name)
                return nil
            }
        } else {
            requested = core.topics.all.map { Optional($0) }
        }
        var topics = requested.compactMap { $0 }.map { topic in
            MetadataResponse.MetadataResponseTopic(
                errorCode: KafkaErrorCode.none.rawValue,
                name: topic.name,
                topicId: topic.uuid,
                isInternal: topic.isInternal,
                partitions: (0..<topic.partitionCount).map { partition in
                    MetadataResponse.MetadataResponsePartition(
                        errorCode: KafkaErrorCode.none.rawValue,
                        partitionIndex: partition,
                        leaderId: core.configuration.nodeID,
                        leaderEpoch: 0,
                        replicaNodes: [core.configuration.nodeID],
                        isrNodes: [core.configuration.nodeID],
                        offlineReplicas: [])
                })
        }
        for name in unknownNames {
            let invalid = TopicMetadata.validateName(name) != nil
            topics.append(MetadataResponse.MetadataResponseTopic(
                errorCode: (invalid ? KafkaErrorCode.invalidTopicException : .unknownTopicOrPartition).rawValue,
                name: name, topicId: .zero, isInternal: false, partitions: []))
        }
        return MetadataResponse(
            throttleTimeMs: 0,
            brokers: [broker],
            clusterId: core.configuration.clusterID,
            controllerId: core.configuration.nodeID,
            topics: topics)
    }
}
