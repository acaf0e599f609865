import Foundation
import Testing
@testable import Kafka

extension KafkaTests {
    @Suite struct ConsumerGroups {
        @Test(arguments: ClusterKind.allCases)
        func manualCommitResumesTheGroup(_ kind: ClusterKind) async throws {
            try await withCluster(kind) { cluster in
                let topic = uniqueName("group")
                let group = uniqueName("ledger")
                try await cluster.createTopic(topic, partitions: 2)
                let producer = try KafkaProducer(configuration: producerConfiguration(cluster), logger: quietLogger)
                for index in 0..<10 {
                    _ = try await producer.send(topic: topic, partition: Int32(index % 2), value: bytes("\(index)"))
                }

                var configuration = KafkaConsumerConfiguration(bootstrapServers: cluster.bootstrapServers, groupID: group)
                configuration.commitStrategy = .manual
                configuration.sessionTimeout = .seconds(10)
                let first = try KafkaConsumer(configuration: configuration, logger: quietLogger)
                try first.subscribe(topics: [topic])
                var seen = 0
                for try await message in first.messages {
                    seen += 1
                    try await first.commit(message)
                    if seen == 10 { break }
                }
                #expect(try await first.committedOffset(topic: topic, partition: 0) == 5)
                #expect(try await first.committedOffset(topic: topic, partition: 1) == 5)
                // A commit of an explicit offset: skip one message of partition 1.
                try await first.commit(topic: topic, partition: 1, offset: 6)
                #expect(try await first.committedOffset(topic: topic, partition: 1) == 6)
                var events = first.rebalanceEvents.makeAsyncIterator()
                guard case .assigned(let assigned)? = await events.next() else {
                    Issue.record("the first rebalance event should assign partitions")
                    return
                }
                #expect(Set(assigned) == [KafkaTopicPartition(topic: topic, partition: 0), KafkaTopicPartition(topic: topic, partition: 1)])
                await first.close()
                // Closing left the group: the assignment was revoked.
                var revoked = false
                while let event = await events.next() {
                    if case .revoked = event { revoked = true }
                }
                #expect(revoked)

                // A new member resumes where the group committed.
                for index in 10..<14 {
                    _ = try await producer.send(topic: topic, partition: Int32(index % 2), value: bytes("\(index)"))
                }
                await producer.shutdown()
                let second = try KafkaConsumer(configuration: configuration, logger: quietLogger)
                try second.subscribe(topics: [topic])
                var rest: [String] = []
                for try await message in second.messages {
                    rest.append(String(decoding: message.value ?? [], as: UTF8.self))
                    if rest.count == 3 { break }
                }
                #expect(Set(rest) == ["10", "12", "13"])
                await second.close()
            }
        }

        @Test(arguments: ClusterKind.allCases)
        func automaticCommitStoresOnlyProcessedMessages(_ kind: ClusterKind) async throws {
            try await withCluster(kind) { cluster in
                let topic = uniqueName("auto")
                let group = uniqueName("auto-group")
                try await cluster.createTopic(topic, partitions: 1)
                let producer = try KafkaProducer(configuration: producerConfiguration(cluster), logger: quietLogger)
                for index in 0..<6 {
                    _ = try await producer.send(topic: topic, partition: 0, value: bytes("\(index)"))
                }
                await producer.shutdown()
                var configuration = KafkaConsumerConfiguration(bootstrapServers: cluster.bootstrapServers, groupID: group)
                configuration.commitStrategy = .automatic(interval: .milliseconds(100))
                configuration.sessionTimeout = .seconds(10)
                let consumer = try KafkaConsumer(configuration: configuration, logger: quietLogger)
                try consumer.subscribe(topics: [topic])
                var count = 0
                for try await _ in consumer.messages {
                    count += 1
                    // The loop stops inside message 3 (offset 2): it was never finished.
                    if count == 3 { break }
                }
                await consumer.close()

                let next = try KafkaConsumer(configuration: configuration, logger: quietLogger)
                try next.subscribe(topics: [topic])
                var iterator = next.messages.makeAsyncIterator()
                #expect(try await iterator.next()?.offset == 2)
                await next.close()
            }
        }
    }
}
