import Foundation
import Testing
@testable import Kafka

extension KafkaTests {
    @Suite struct ProduceConsume {
        @Test(arguments: ClusterKind.allCases)
        func sendThenReadEveryFieldBack(_ kind: ClusterKind) async throws {
            try await withCluster(kind) { cluster in
                let topic = uniqueName("round-trip")
                try await cluster.createTopic(topic, partitions: 3)
                let producer = try KafkaProducer(configuration: producerConfiguration(cluster), logger: quietLogger)
                let created = Date(timeIntervalSince1970: 1_700_000_000.123)
                var reports: [DeliveryReport] = []
                for index in 0..<30 {
                    reports.append(try await producer.send(
                        topic: topic,
                        partition: Int32(index % 3),
                        key: index == 0 ? nil : bytes("key-\(index)"),
                        value: index == 1 ? nil : index == 2 ? [] : bytes("value-\(index)"),
                        headers: [KafkaHeader(key: "trace", value: bytes("t\(index)")), KafkaHeader(key: "null", value: nil)],
                        timestamp: created
                    ))
                }
                await producer.shutdown()
                for (index, report) in reports.enumerated() {
                    #expect(report.topic == topic)
                    #expect(report.partition == Int32(index % 3))
                    #expect(report.offset == Int64(index / 3))
                }

                let consumer = try KafkaConsumer(configuration: .init(bootstrapServers: cluster.bootstrapServers), logger: quietLogger)
                try consumer.assign((0..<3).map { KafkaTopicPartition(topic: topic, partition: $0) }, from: .beginning)
                var received: [KafkaConsumerMessage] = []
                for try await message in consumer.messages {
                    received.append(message)
                    if received.count == 30 { break }
                }
                await consumer.close()
                received.sort { ($0.offset, $0.partition) < ($1.offset, $1.partition) }
                for (index, message) in received.enumerated() {
                    #expect(message.topic == topic)
                    #expect(message.partition == Int32(index % 3))
                    #expect(message.offset == Int64(index / 3))
                    #expect(message.key == (index == 0 ? nil : bytes("key-\(index)")))
                    #expect(message.value == (index == 1 ? nil : index == 2 ? [] : bytes("value-\(index)")))
                    #expect(message.headers == [KafkaHeader(key: "trace", value: bytes("t\(index)")), KafkaHeader(key: "null", value: nil)])
                    #expect(message.timestamp == created)
                }
            }
        }

        @Test(arguments: ClusterKind.allCases)
        func enqueueDeliversBatchedReports(_ kind: ClusterKind) async throws {
            try await withCluster(kind) { cluster in
                let topic = uniqueName("enqueue")
                try await cluster.createTopic(topic, partitions: 2)
                let producer = try KafkaProducer(configuration: producerConfiguration(cluster), logger: quietLogger)
                var ids: Set<UInt64> = []
                for index in 0..<2_000 {
                    ids.insert(try producer.enqueue(topic: topic, key: bytes("k\(index)"), value: bytes("v\(index)")))
                }
                var delivered: Set<UInt64> = []
                var batches = 0
                for await batch in producer.deliveryReports {
                    batches += 1
                    for result in batch {
                        let report = try result.result.get()
                        #expect(report.topic == topic)
                        delivered.insert(result.messageID)
                    }
                    if delivered.count == ids.count { break }
                }
                #expect(delivered == ids)
                print("enqueue [\(kind)]: 2000 reports in \(batches) batches")
                await producer.shutdown()
            }
        }

        @Test(arguments: ClusterKind.allCases)
        func seekPauseAndResume(_ kind: ClusterKind) async throws {
            try await withCluster(kind) { cluster in
                let topic = uniqueName("seek")
                try await cluster.createTopic(topic, partitions: 1)
                let producer = try KafkaProducer(configuration: producerConfiguration(cluster), logger: quietLogger)
                for index in 0..<10 {
                    _ = try await producer.send(topic: topic, partition: 0, value: bytes("\(index)"))
                }
                await producer.shutdown()

                let partition = KafkaTopicPartition(topic: topic, partition: 0)
                let consumer = try KafkaConsumer(configuration: .init(bootstrapServers: cluster.bootstrapServers), logger: quietLogger)
                try consumer.assign([partition], from: .exact(5))
                var iterator = consumer.messages.makeAsyncIterator()
                #expect(try await iterator.next()?.offset == 5)
                #expect(try await iterator.next()?.offset == 6)
                try await consumer.seek(topic: topic, partition: 0, to: .exact(2))
                #expect(try await iterator.next()?.offset == 2)
                try consumer.pause([partition])
                try consumer.resume([partition])
                #expect(try await iterator.next()?.offset == 3)
                try await consumer.seek(topic: topic, partition: 0, to: .beginning)
                #expect(try await iterator.next()?.offset == 0)
                await consumer.close()
                #expect(try await iterator.next() == nil)
            }
        }
    }
}

func producerConfiguration(_ cluster: TestCluster) -> KafkaProducerConfiguration {
    var configuration = KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers)
    configuration.linger = .zero
    return configuration
}
