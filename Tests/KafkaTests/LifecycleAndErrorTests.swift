import Foundation
import Testing
@testable import Kafka

extension KafkaTests {
    @Suite struct LifecycleAndErrors {
        @Test func producerCallsAfterShutdownThrow() async throws {
            try await withCluster(.eventd) { cluster in
                let producer = try KafkaProducer(configuration: producerConfiguration(cluster), logger: quietLogger)
                await producer.shutdown()
                await producer.shutdown()
                await #expect(throws: KafkaError.shutdown) { try await producer.send(topic: "t", value: []) }
                #expect(throws: KafkaError.shutdown) { try producer.enqueue(topic: "t", value: []) }
                await #expect(throws: KafkaError.shutdown) { try await producer.flush() }
                var reports = producer.deliveryReports.makeAsyncIterator()
                #expect(await reports.next() == nil)
            }
        }

        @Test func consumerCallsAfterCloseThrow() async throws {
            try await withCluster(.eventd) { cluster in
                let consumer = try KafkaConsumer(configuration: .init(bootstrapServers: cluster.bootstrapServers, groupID: "g"), logger: quietLogger)
                await consumer.close()
                await consumer.close()
                await #expect(throws: KafkaError.shutdown) { try await consumer.commit(topic: "t", partition: 0, offset: 1) }
                #expect(throws: KafkaError.shutdown) { try consumer.subscribe(topics: ["t"]) }
                #expect(throws: KafkaError.shutdown) { try consumer.pause([KafkaTopicPartition(topic: "t", partition: 0)]) }
                await #expect(throws: KafkaError.shutdown) { try await consumer.seek(topic: "t", partition: 0, to: .beginning) }
                var messages = consumer.messages.makeAsyncIterator()
                #expect(try await messages.next() == nil)
            }
        }

        @Test func closingEndsAWaitingIteration() async throws {
            try await withCluster(.eventd) { cluster in
                let topic = uniqueName("idle")
                try await cluster.createTopic(topic, partitions: 1)
                let consumer = try KafkaConsumer(configuration: .init(bootstrapServers: cluster.bootstrapServers), logger: quietLogger)
                try consumer.assign([KafkaTopicPartition(topic: topic, partition: 0)], from: .beginning)
                let iteration = Task {
                    var count = 0
                    for try await _ in consumer.messages { count += 1 }
                    return count
                }
                try await Task.sleep(for: .milliseconds(300))
                await consumer.close()
                #expect(try await iteration.value == 0)
            }
        }

        @Test func adminCallsAfterShutdownThrow() async throws {
            let admin = try KafkaAdmin(configuration: .init(bootstrapServers: ["127.0.0.1:1"]), logger: quietLogger)
            await admin.shutdown()
            await #expect(throws: KafkaError.shutdown) { _ = try await admin.metadata() }
            await #expect(throws: KafkaError.shutdown) { try await admin.createTopic("t") }
        }

        @Test func invalidPropertyIsAKafkaError() throws {
            var configuration = KafkaProducerConfiguration(bootstrapServers: ["127.0.0.1:1"])
            configuration.additionalProperties["no.such.property"] = "1"
            #expect {
                _ = try KafkaProducer(configuration: configuration, logger: quietLogger)
            } throws: { error in
                (error as? KafkaError)?.name == "_INVALID_ARG"
            }
        }

        @Test func unknownTopicFailsDeliveryWithItsCode() async throws {
            try await withCluster(.eventd) { cluster in
                var configuration = producerConfiguration(cluster)
                configuration.additionalProperties["topic.metadata.propagation.max.ms"] = "300"
                let producer = try KafkaProducer(configuration: configuration, logger: quietLogger)
                do {
                    _ = try await producer.send(topic: uniqueName("missing"), value: bytes("x"))
                    Issue.record("producing to a topic that does not exist should fail (auto-create is off)")
                } catch let error as KafkaError {
                    print("unknown topic: \(error)")
                    #expect(error.name.contains("UNKNOWN_TOPIC"))
                    #expect(!error.isFatal)
                }
                await producer.shutdown()
            }
        }

        @Test func errorClassification() {
            let error = KafkaError(code: 6)  // NOT_LEADER_FOR_PARTITION
            #expect(error.name == "NOT_LEADER_FOR_PARTITION")
            #expect(error.isRetriable)
            #expect(!error.isFatal)
            #expect(!KafkaError(code: 87).isRetriable)  // INVALID_RECORD
            #expect(KafkaError(code: -150).isFatal)  // _FATAL
            #expect(KafkaError.queueFull.isRetriable)
        }
    }
}
