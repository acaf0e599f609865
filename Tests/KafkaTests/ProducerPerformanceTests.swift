
import Foundation
import Testing
@testable import Kafka

extension KafkaTests {
    @Suite struct ProducerPerformance {
        /// A producer whose queue is full waits, keeps memory bounded, and completes once the
        /// broker accepts messages. The broker is held back by producing to a topic that does
        /// not exist yet (auto-create is off): librdkafka keeps those messages queued.
        @Test func fullQueueWaitsWithBoundedMemoryThenCompletes() async throws {
            try await withCluster(.eventd) { cluster in
                let queueBound = 100
                let senders = 200
                let perSender = 1_000
                let total = senders * perSender
                let topic = uniqueName("backpressure")
                var configuration = KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers)
                configuration.maxQueuedMessages = queueBound
                configuration.additionalProperties["topic.metadata.propagation.max.ms"] = "60000"
                let producer = try KafkaProducer(configuration: configuration, logger: quietLogger)
                let value = [UInt8](repeating: 0x42, count: 256)
                let baseline = residentBytes()

                let sampler = Task {
                    var peakQueue = 0
                    var peakResident = 0
                    while !Task.isCancelled {
                        peakQueue = max(peakQueue, producer.queuedInLibrdkafka)
                        peakResident = max(peakResident, residentBytes())
                        try? await Task.sleep(for: .milliseconds(5))
                    }
                    return (peakQueue, peakResident)
                }
                let sending = Task {
                    try await withThrowingTaskGroup(of: [Int64].self) { group in
                        for sender in 0..<senders {
                            group.addTask {
                                var offsets: [Int64] = []
                                offsets.reserveCapacity(perSender)
                                for index in 0..<perSender {
                                    let report = try await producer.send(topic: topic, partition: Int32(sender % 3), key: bytes("\(sender)-\(index)"), value: value)
                                    offsets.append(Int64(report.partition) << 40 | report.offset)
                                }
                                return offsets
                            }
                        }
                        var all: Set<Int64> = []
                        for try await offsets in group { all.formUnion(offsets) }
                        return all
                    }
                }

                // Held: the queue fills to its bound and the senders wait.
                try await Task.sleep(for: .seconds(2))
                #expect(producer.tracker.pendingCount == queueBound)
                #expect(producer.tracker.backpressureWaits > 0)
                print("backpressure: held at \(producer.tracker.pendingCount) queued messages, \(producer.tracker.backpressureWaits) waits so far")

                let start = ContinuousClock.now
                try await cluster.createTopic(topic, partitions: 3)
                let delivered = try await sending.value
                let elapsed = ContinuousClock.now - start
                sampler.cancel()
                let (peakQueue, peakResident) = await sampler.value
                await producer.shutdown()

                #expect(delivered.count == total)
                // Messages librdkafka held never exceeded the bound. (rd_kafka_outq_len, sampled
                // as peakQueue, also counts delivery-report events and requests, so it is printed only.)
                #expect(producer.tracker.maxInLibrdkafkaObserved <= queueBound)
                let growth = max(0, peakResident - baseline)
                let payloadTotal = total * value.count
                // Unbounded buffering would hold most of the 48 MiB of payload at once.
                #expect(growth < payloadTotal / 2)
                print("backpressure: \(total) messages delivered in \(elapsed) after the topic appeared; peak messages in librdkafka \(producer.tracker.maxInLibrdkafkaObserved) (bound \(queueBound)); peak rd_kafka_outq_len \(peakQueue); \(producer.tracker.backpressureWaits) waits; RSS growth \(growth / 1_048_576) MiB (payload total \(payloadTotal / 1_048_576) MiB)")
            }
        }
    }
}

/// This process's resident set size, from /proc/self/statm.
func residentBytes() -> Int {
    guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = statm.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}
