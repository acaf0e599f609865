import Testing
@testable import TopicPolicy

/// `event_store: true` in topics.yaml becomes the broker's expected-version switch.
@Suite struct EventStoreSpecTests {
    @Test func eventStoreKeyBecomesTheExpectedVersionConfig() throws {
        let parsed = try TopicsFile.parse(yaml: """
            topics:
              account-events:
                partitions: 6
                event_store: true
              orders:
                partitions: 1
            """, fileName: "topics.yaml")
        let specs = Dictionary(uniqueKeysWithValues: parsed.topics.map { ($0.name, $0) })
        #expect(specs["account-events"]?.eventStore == true)
        #expect(specs["orders"]?.eventStore == false)
        #expect(PolicyConfigKey.configs(for: try #require(specs["account-events"]))[PolicyConfigKey.expectedVersion] == "true")
        #expect(PolicyConfigKey.configs(for: try #require(specs["orders"]))[PolicyConfigKey.expectedVersion] == "false")
    }

    @Test func eventStoreMustBeABoolean() {
        #expect(throws: (any Error).self) {
            try TopicsFile.parse(yaml: """
                topics:
                  account-events:
                    partitions: 1
                    event_store: maybe
                """, fileName: "topics.yaml")
        }
    }
}
