import KafkaProtocol

extension RequestDispatcher {
    /// ListOffsets: -2 earliest, -1 latest, -3 the record with the largest timestamp,
    /// otherwise the first offset whose timestamp is at or after the one asked for
    /// (-1 when there is none).
    func listOffsets(_ request: ListOffsetsRequest, version: Int16) throws -> ListOffsetsResponse {
        let topics = request.topics.map { topic in
            ListOffsetsResponse.ListOffsetsTopicResponse(
                name: topic.name,
                partitions: topic.partitions.map { partition in
                    listOffset(topic: topic.name, partition: partition.partitionIndex, timestamp: partition.timestamp, version: version)
                })
        }
        return ListOffsetsResponse(throttleTimeMs: 0, topics: topics)
    }

    private func listOffset(topic: String, partition: Int32, timestamp: Int64, version: Int16) -> ListOffsetsResponse.ListOffsetsPartitionResponse {
        typealias Response = ListOffsetsResponse.ListOffsetsPartitionResponse
        guard let log = core.partitionLog(topic: topic, partition: partition) else {
            return Response(partitionIndex: partition, errorCode: KafkaErrorCode.unknownTopicOrPartition.rawValue)
        }
        let found: (offset: Int64, timestamp: Int64)
        switch timestamp {
        case -2:
            found = (log.logStartOffset, -1)
        case -1:
            found = (log.logEndOffset, -1)
        case -3:
            found = (try? log.maxTimestampEntry()) ?? (log.logEndOffset, -1)
        default:
            // No record that new: Kafka answers -1 (unknown), which clients read as "the end".
            found = (try? log.offset(forTimestamp: timestamp)) ?? (-1, -1)
        }
        var response = Response(
            partitionIndex: partition, errorCode: KafkaErrorCode.none.rawValue,
            timestamp: found.timestamp, offset: found.offset, leaderEpoch: 0)
        if version == 0 {
            response.oldStyleOffsets = [found.offset]
        }
        return response
    }
}
