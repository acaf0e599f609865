import KafkaProtocol

extension RequestDispatcher {
    func createTopics(_ request: CreateTopicsRequest, version: Int16, actor: String) throws -> CreateTopicsResponse {
        let results = request.topics.map { topic -> CreateTopicsResponse.CreatableTopicResult in
            var result = CreateTopicsResponse.CreatableTopicResult(name: topic.name)
            var configs: [String: String] = [:]
            for config in topic.configs {
                if let value = config.value { configs[config.name] = value }
            }
            do throws(TopicAdminError) {
                if topic.replicationFactor > 1 {
                    throw TopicAdminError(.invalidReplicationFactor, "replication factor \(topic.replicationFactor) exceeds the 1 available broker")
                }
                if !topic.assignments.isEmpty, topic.assignments.contains(where: { $0.brokerIds != [core.configuration.nodeID] }) {
                    throw TopicAdminError(.invalidReplicaAssignment, "replicas can only be assigned to broker \(core.configuration.nodeID)")
                }
                let partitions = topic.numPartitions == -1 ? max(Int32(topic.assignments.count), 1) : topic.numPartitions
                if request.validateOnly {
                    if core.topics[topic.name] != nil { throw TopicAdminError(.topicAlreadyExists, "topic '\(topic.name)' already exists") }
                    if let problem = TopicMetadata.validateName(topic.name) { throw TopicAdminError(.invalidTopicException, problem) }
                    if let problem = TopicConfigs.validate(configs) { throw TopicAdminError(.invalidConfig, problem) }
                    result.numPartitions = partitions
                    result.replicationFactor = 1
                    return result
                }
                let created = try core.createTopic(name: topic.name, partitions: partitions, configs: configs)
                result.topicId = created.uuid
                result.numPartitions = created.partitionCount
                result.replicationFactor = 1
                if version >= 5 {
                    result.configs = describedConfigs(created.configs).map {
                        CreateTopicsResponse.CreatableTopicConfigs(
                            name: $0.name, value: $0.value, readOnly: false, configSource: $0.source, isSensitive: false)
                    }
                }
                core.recordAdminChange("CreateTopics partitions=\(created.partitionCount) configs=\(configs)", topic: topic.name, actor: actor, error: nil)
            } catch {
                result.errorCode = error.code.rawValue
                result.errorMessage = error.message
                if !request.validateOnly {
                    core.recordAdminChange("CreateTopics", topic: topic.name, actor: actor, error: error)
                }
            }
            return result
        }
        return CreateTopicsResponse(throttleTimeMs: 0, topics: results)
    }

    func deleteTopics(_ request: DeleteTopicsRequest, version: Int16, actor: String) throws -> DeleteTopicsResponse {
        let responses = request.topicNames.map { name -> DeleteTopicsResponse.DeletableTopicResult in
            var result = DeleteTopicsResponse.DeletableTopicResult(name: name, errorCode: 0)
            do throws(TopicAdminError) {
                try core.deleteTopic(name: name)
                core.recordAdminChange("DeleteTopics", topic: name, actor: actor, error: nil)
            } catch {
                result.errorCode = error.code.rawValue
                result.errorMessage = error.message
                core.recordAdminChange("DeleteTopics", topic: name, actor: actor, error: error)
            }
            return result
        }
        return DeleteTopicsResponse(throttleTimeMs: 0, responses: responses)
    }

    func createPartitions(_ request: CreatePartitionsRequest, actor: String) throws -> CreatePartitionsResponse {
        let results = request.topics.map { topic -> CreatePartitionsResponse.CreatePartitionsTopicResult in
            var result = CreatePartitionsResponse.CreatePartitionsTopicResult(name: topic.name, errorCode: 0)
            do throws(TopicAdminError) {
                guard let current = core.topics[topic.name] else {
                    throw TopicAdminError(.unknownTopicOrPartition, "topic '\(topic.name)' does not exist")
                }
                if topic.count <= current.partitionCount {
                    throw TopicAdminError(.invalidPartitions, "topic '\(topic.name)' has \(current.partitionCount) partitions; the count can only grow")
                }
                if !request.validateOnly {
                    try core.addPartitions(name: topic.name, totalCount: topic.count)
                    core.recordAdminChange("CreatePartitions count=\(topic.count)", topic: topic.name, actor: actor, error: nil)
                }
            } catch {
                result.errorCode = error.code.rawValue
                result.errorMessage = error.message
                if !request.validateOnly {
                    core.recordAdminChange("CreatePartitions count=\(topic.count)", topic: topic.name, actor: actor, error: error)
                }
            }
            return result
        }
        return CreatePartitionsResponse(throttleTimeMs: 0, results: results)
    }

    /// DeleteRecords moves the log start offset; -1 means "up to the high watermark".
    func deleteRecords(_ request: DeleteRecordsRequest, actor: String) throws -> DeleteRecordsResponse {
        let topics = request.topics.map { topic in
            DeleteRecordsResponse.DeleteRecordsTopicResult(
                name: topic.name,
                partitions: topic.partitions.map { partition in
                    typealias Result = DeleteRecordsResponse.DeleteRecordsPartitionResult
                    guard let log = core.partitionLog(topic: topic.name, partition: partition.partitionIndex) else {
                        return Result(partitionIndex: partition.partitionIndex, lowWatermark: -1, errorCode: KafkaErrorCode.unknownTopicOrPartition.rawValue)
                    }
                    let operation = "DeleteRecords partition=\(partition.partitionIndex) before=\(partition.offset)"
                    if let metadata = core.topics[topic.name], TopicPolicyGuard.isImmutable(metadata.configs) {
                        core.recordAdminChange(operation, topic: topic.name, actor: actor, error: TopicAdminError(.policyViolation, "topic is immutable"))
                        return Result(partitionIndex: partition.partitionIndex, lowWatermark: -1, errorCode: KafkaErrorCode.policyViolation.rawValue)
                    }
                    let target = partition.offset == -1 ? log.logEndOffset : partition.offset
                    guard target >= 0, target <= log.logEndOffset else {
                        return Result(partitionIndex: partition.partitionIndex, lowWatermark: -1, errorCode: KafkaErrorCode.offsetOutOfRange.rawValue)
                    }
                    do {
                        let low = try log.deleteRecords(before: target)
                        core.recordAdminChange(operation, topic: topic.name, actor: actor, error: nil)
                        return Result(partitionIndex: partition.partitionIndex, lowWatermark: low, errorCode: 0)
                    } catch {
                        core.logger.error("DeleteRecords on \(topic.name)-\(partition.partitionIndex) failed: \(error)")
                        return Result(partitionIndex: partition.partitionIndex, lowWatermark: -1, errorCode: KafkaErrorCode.kafkaStorageError.rawValue)
                    }
                })
        }
        return DeleteRecordsResponse(throttleTimeMs: 0, topics: topics)
    }
}
