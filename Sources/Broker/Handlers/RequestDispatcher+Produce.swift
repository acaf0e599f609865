import Foundation
import KafkaProtocol
import LogStore
import NIOCore

extension RequestDispatcher {
    /// Produce: validates each partition's batches (structure and CRC), appends them as
    /// received, and with acks=all answers only after group commit has fsynced them.
    func produce(_ request: ProduceRequest, version: Int16, eventLoop: any EventLoop) throws -> RequestOutcome {
        guard request.acks == 0 || request.acks == 1 || request.acks == -1 else {
            return .response(eventLoop.makeSucceededFuture(rejectAll(request, .invalidRequiredAcks, "acks must be 0, 1 or -1")))
        }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        var durable: [EventLoopFuture<Void>] = []
        var topics: [ProduceResponse.TopicProduceResponse] = []
        topics.reserveCapacity(request.topicData.count)
        for topic in request.topicData {
            var partitions: [ProduceResponse.PartitionProduceResponse] = []
            partitions.reserveCapacity(topic.partitionData.count)
            for partition in topic.partitionData {
                let (response, log, lastOffset) = appendPartition(topic: topic.name, partition: partition.index, records: partition.records, now: now)
                if request.acks == -1, let log, let lastOffset {
                    durable.append(core.whenDurable(log, upTo: lastOffset, eventLoop: eventLoop))
                }
                partitions.append(response)
            }
            topics.append(ProduceResponse.TopicProduceResponse(name: topic.name, partitionResponses: partitions))
        }
        if request.acks == 0 {
            return .noResponse
        }
        let response = ProduceResponse(responses: topics, throttleTimeMs: 0)
        if durable.isEmpty {
            return .response(eventLoop.makeSucceededFuture(response))
        }
        // A failed fsync means nothing in this request can be promised durable.
        let future = EventLoopFuture.whenAllComplete(durable, on: eventLoop).map { results -> any KafkaMessage in
            guard results.contains(where: { if case .failure = $0 { true } else { false } }) else { return response }
            var failed = response
            for t in failed.responses.indices {
                for p in failed.responses[t].partitionResponses.indices where failed.responses[t].partitionResponses[p].errorCode == 0 {
                    failed.responses[t].partitionResponses[p].errorCode = KafkaErrorCode.kafkaStorageError.rawValue
                    failed.responses[t].partitionResponses[p].errorMessage = "fsync failed"
                }
            }
            return failed
        }
        return .response(future)
    }

    private func rejectAll(_ request: ProduceRequest, _ code: KafkaErrorCode, _ message: String) -> ProduceResponse {
        ProduceResponse(
            responses: request.topicData.map { topic in
                ProduceResponse.TopicProduceResponse(
                    name: topic.name,
                    partitionResponses: topic.partitionData.map {
                        ProduceResponse.PartitionProduceResponse(index: $0.index, errorCode: code.rawValue, baseOffset: -1, errorMessage: message)
                    })
            },
            throttleTimeMs: 0)
    }

    private func appendPartition(
        topic: String, partition: Int32, records: ByteBuffer?, now: Int64
    ) -> (ProduceResponse.PartitionProduceResponse, PartitionLog?, Int64?) {
        func failure(_ code: KafkaErrorCode, _ message: String? = nil) -> (ProduceResponse.PartitionProduceResponse, PartitionLog?, Int64?) {
            core.metrics.rejected(code)
            return (ProduceResponse.PartitionProduceResponse(index: partition, errorCode: code.rawValue, baseOffset: -1, errorMessage: message), nil, nil)
        }
        guard let metadata = core.topics[topic], let log = core.partitionLog(topic: topic, partition: partition) else {
            return failure(.unknownTopicOrPartition)
        }
        if metadata.isInternal {
            return failure(.invalidTopicException, "internal topic \(topic) cannot be written by clients")
        }
        guard let records, records.readableBytes > 0 else {
            return failure(.corruptMessage, "empty records")
        }
        let maxMessageBytes = TopicConfigs.effective(metadata.configs, "max.message.bytes").flatMap(Int.init) ?? 1_048_588
        let headers: [RecordBatchHeader]
        do {
            headers = try RecordBatch.validateBatches(records)
        } catch {
            core.logger.info("rejected produce to \(topic)-\(partition): \(error)")
            return failure(error.kafkaErrorCode, "\(error)")
        }
        // Produce v3+ carries exactly one batch per partition, and only the broker writes control batches.
        guard headers.count == 1, let header = headers.first else {
            return failure(.invalidRecord, "expected exactly one record batch, got \(headers.count)")
        }
        if header.isControl {
            return failure(.invalidRecord, "clients cannot write control batches")
        }
        if header.totalSize > maxMessageBytes {
            return failure(.messageTooLarge, "a batch is larger than max.message.bytes (\(maxMessageBytes))")
        }
        if let problem = SchemaValidation.problem(topic: topic, configs: metadata.configs, batches: records, store: core.schemaStore) {
            return failure(.invalidRecord, problem)
        }
        do {
            let audited = TopicPolicyGuard.isAudited(metadata.configs)
            let enforced = ExpectedVersionGuard.isEnforced(metadata.configs)
            let result = try core.expectedVersions.append(records, to: log, enforced: enforced) {
                try core.auditor.append(records, to: log, audited: audited, now: now)
            }
            core.waiters.notify(FetchWaiters.Key(topic: topic, partition: partition))
            core.metrics.produced(bytes: records.readableBytes)
            let response = ProduceResponse.PartitionProduceResponse(
                index: partition, errorCode: 0, baseOffset: result.baseOffset,
                logAppendTimeMs: -1, logStartOffset: log.logStartOffset)
            return (response, log, result.lastOffset)
        } catch let error as LogAppendError {
            return failure(error.kafkaErrorCode, "\(error)")
        } catch let error as ExpectedVersionConflict {
            return failure(.invalidRecord, error.description)
        } catch {
            core.logger.error("append to \(topic)-\(partition) failed: \(error)")
            return failure(.kafkaStorageError, "\(error)")
        }
    }
}
