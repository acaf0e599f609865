import KafkaProtocol
import LogStore
import NIOCore

extension RequestDispatcher {
    /// Fetch with long-polling: when fewer than `minBytes` are available the request is
    /// parked until an append to one of its partitions or `maxWaitMs`, then read again.
    /// Fetch sessions (KIP-227) are not kept: session id 0 tells the client to send full requests.
    func fetch(_ request: FetchRequest, version: Int16, eventLoop: any EventLoop) throws -> EventLoopFuture<any KafkaMessage> {
        let first = readFetch(request, version: version, allocator: ByteBufferAllocator())
        if first.bytes >= Int(request.minBytes) || request.maxWaitMs <= 0 || first.hasError {
            return eventLoop.makeSucceededFuture(first.response)
        }
        let promise = eventLoop.makePromise(of: (any KafkaMessage).self)
        let keys = request.topics.flatMap { topic in
            topic.partitions.map { FetchWaiters.Key(topic: topic.topic, partition: $0.partition) }
        }
        let dispatcher = self
        core.waiters.wait(on: keys, timeout: .milliseconds(Int64(request.maxWaitMs)), eventLoop: eventLoop) {
            eventLoop.execute {
                promise.succeed(dispatcher.readFetch(request, version: version, allocator: ByteBufferAllocator()).response)
            }
        }
        return promise.futureResult
    }

    private func readFetch(_ request: FetchRequest, version: Int16, allocator: ByteBufferAllocator) -> (response: FetchResponse, bytes: Int, hasError: Bool) {
        var remaining = request.maxBytes > 0 ? Int(request.maxBytes) : Int(Int32.max)
        var total = 0
        var hasError = false
        var topics: [FetchResponse.FetchableTopicResponse] = []
        topics.reserveCapacity(request.topics.count)
        for topic in request.topics {
            var partitions: [FetchResponse.PartitionData] = []
            partitions.reserveCapacity(topic.partitions.count)
            for partition in topic.partitions {
                typealias Data = FetchResponse.PartitionData
                guard let log = core.partitionLog(topic: topic.topic, partition: partition.partition) else {
                    hasError = true
                    partitions.append(Data(partitionIndex: partition.partition, errorCode: KafkaErrorCode.unknownTopicOrPartition.rawValue, highWatermark: -1, records: nil))
                    continue
                }
                let highWatermark = log.logEndOffset
                var data = Data(
                    partitionIndex: partition.partition, errorCode: 0, highWatermark: highWatermark,
                    lastStableOffset: highWatermark, logStartOffset: log.logStartOffset,
                    abortedTransactions: version >= 4 ? [] : nil, preferredReadReplica: -1, records: nil)
                do {
                    // The first partition may exceed the limits by one batch (Kafka's rule), so
                    // a batch larger than max.bytes never blocks a consumer.
                    let limit = min(Int(partition.partitionMaxBytes), remaining)
                    if limit > 0 || total == 0 {
                        let records = try log.read(from: partition.fetchOffset, maxBytes: max(limit, 1), allocator: allocator)
                        total += records.readableBytes
                        core.metrics.fetched(bytes: records.readableBytes)
                        remaining -= records.readableBytes
                        data.records = records
                    } else {
                        data.records = allocator.buffer(capacity: 0)
                    }
                } catch LogReadError.offsetOutOfRange {
                    hasError = true
                    data.errorCode = KafkaErrorCode.offsetOutOfRange.rawValue
                    data.records = allocator.buffer(capacity: 0)
                } catch LogStoreError.closed {
                    // Shutting down: a parked fetch woke after the logs closed.
                    hasError = true
                    data.errorCode = KafkaErrorCode.notLeaderOrFollower.rawValue
                } catch {
                    hasError = true
                    core.logger.error("read of \(topic.topic)-\(partition.partition) failed: \(error)")
                    data.errorCode = KafkaErrorCode.kafkaStorageError.rawValue
                }
                partitions.append(data)
            }
            topics.append(FetchResponse.FetchableTopicResponse(topic: topic.topic, partitions: partitions))
        }
        return (FetchResponse(throttleTimeMs: 0, errorCode: 0, sessionId: 0, responses: topics), total, hasError)
    }
}
