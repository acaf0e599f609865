import Foundation
import Testing
@testable import LogStore

@Suite struct LogConfigTests {
    @Test func mapsKafkaTopicConfigs() throws {
        let config = try LogConfig(topicConfigs: [
            "cleanup.policy": "compact,delete", "retention.ms": "220752000000", "retention.bytes": "-1",
            "segment.ms": "604800000", "segment.bytes": "1048576", "delete.retention.ms": "1000",
            "min.compaction.lag.ms": "60000", "max.message.bytes": "10485760", "index.interval.bytes": "1024",
            "compression.type": "snappy",
        ])
        #expect(config.cleanupPolicy == .compactDelete)
        #expect(config.retentionMs == 220_752_000_000)
        #expect(config.retentionBytes == nil)
        #expect(config.segmentMs == 604_800_000 && config.segmentBytes == 1_048_576)
        #expect(config.deleteRetentionMs == 1_000 && config.minCompactionLagMs == 60_000)
        #expect(config.maxMessageBytes == 10_485_760 && config.indexIntervalBytes == 1_024)
        #expect(config.overrides == ["compression.type": "snappy"])
    }

    @Test func missingConfigsTakeKafkaDefaults() throws {
        let config = try LogConfig(topicConfigs: [:])
        #expect(config.cleanupPolicy == .delete)
        #expect(config.retentionMs == 604_800_000)
        #expect(config.retentionBytes == nil)
        #expect(config.deleteRetentionMs == 86_400_000 && config.minCompactionLagMs == 0)
        #expect(try LogConfig(topicConfigs: ["retention.ms": "-1"]).retentionMs == nil)
        #expect(try LogConfig(topicConfigs: ["cleanup.policy": "compact"]).cleanupPolicy == .compact)
        #expect(try LogConfig(topicConfigs: ["cleanup.policy": "delete, compact"]).cleanupPolicy == .compactDelete)
    }

    @Test func rejectsBadValues() {
        #expect(throws: LogStoreError.self) { try LogConfig(topicConfigs: ["cleanup.policy": "shred"]) }
        #expect(throws: LogStoreError.self) { try LogConfig(topicConfigs: ["retention.ms": "7y"]) }
        #expect(throws: LogStoreError.self) { try LogConfig(topicConfigs: ["segment.bytes": "10"]) }
        #expect(throws: LogStoreError.self) { try LogConfig(topicConfigs: ["delete.retention.ms": "-5"]) }
    }

    @Test func oldConfigFilesStillDecode() throws {
        let json = #"{"segmentBytes": 2000, "segmentMs": 5, "retentionMs": 10}"#
        let config = try JSONDecoder().decode(LogConfig.self, from: Data(json.utf8))
        #expect(config.cleanupPolicy == .delete && config.deleteRetentionMs == 86_400_000 && config.minCompactionLagMs == 0)
        let full = LogConfig(cleanupPolicy: .compact, deleteRetentionMs: 5, minCompactionLagMs: 7)
        #expect(try JSONDecoder().decode(LogConfig.self, from: JSONEncoder().encode(full)) == full)
    }
}
