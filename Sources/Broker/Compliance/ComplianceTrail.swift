import Foundation
import KafkaProtocol
import LogStore
import Logging
import NIOCore

/// Appends ``ComplianceEvent``s to the `compliance-events` topic when it exists.
///
/// Events are keyed by their subject, so one topic's history stays in one partition and in
/// order. The append is durable before ``record(_:)`` returns: a change that happened is
/// never missing from the trail after a crash.
struct ComplianceTrail: Sendable {
    static let topic = "compliance-events"

    let topics: TopicStore
    let logs: LogManager
    let flusher: LogFlusher
    let auditor: BrokerAuditor
    let logger: Logger
    /// Schema id of `compliance-events-value` in the registry (set once the declared schema is registered).
    var schemaID: @Sendable () -> Int32 = { 0 }

    func record(_ event: ComplianceEvent) {
        guard let metadata = topics[Self.topic], metadata.partitionCount > 0 else { return }
        let partition = Int32(stableHash(event.subjectID) % UInt64(metadata.partitionCount))
        guard let log = logs.log(topic: Self.topic, partition: partition) else { return }
        var value = ByteBufferAllocator().buffer(capacity: 256)
        event.encode(schemaID: schemaID(), into: &value)
        var builder = RecordBatchBuilder()
        builder.append(key: ByteBuffer(string: event.subjectID), value: value, timestamp: event.occurredAt)
        do {
            let audited = TopicPolicyGuard.isAudited(metadata.configs)
            let result = try auditor.append(try builder.build(), to: log, audited: audited, now: event.occurredAt)
            let done = DispatchSemaphore(value: 0)
            flusher.awaitDurable(log, upTo: result.lastOffset) { error in
                if let error { logger.error("compliance event not durable: \(error)") }
                done.signal()
            }
            done.wait()
        } catch {
            logger.error("cannot write compliance event for \(event.subjectID): \(error)")
        }
    }

    /// FNV-1a: the same subject lands in the same partition on every broker start.
    private func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
