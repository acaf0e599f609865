import Foundation
import Kafka

extension EventStore {
    /// Stores `aggregate`'s state in the snapshots topic, replacing (after compaction) the
    /// previous snapshot of that aggregate. The next ``load(_:id:useSnapshot:)`` starts from
    /// it and replays only the events after it.
    public func saveSnapshot<Aggregate: AggregateRoot & Codable>(_ aggregate: LoadedAggregate<Aggregate>) async throws {
        let topic = configuration.snapshotsTopic
        let partition = try await partition(of: aggregate.id, in: topic)
        let record = SnapshotRecord(aggregateID: aggregate.id, version: aggregate.version, lastEventOffset: aggregate.lastEventOffset, state: aggregate.state)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        // No aggregate-version header: snapshots are not stream events.
        _ = try await producer.send(
            topic: topic, partition: partition, key: Array(aggregate.id.utf8), value: Array(try encoder.encode(record)),
            headers: [KafkaHeader(key: EventEnvelope.HeaderName.aggregateID, value: Array(aggregate.id.utf8)),
                      KafkaHeader(key: "snapshot-version", value: Array(String(aggregate.version).utf8))])
    }

    /// Where a rebuild from the latest snapshot starts (a `LoadedAggregate<Aggregate>`), nil
    /// without a snapshot. Typed `Any` so ``load(_:id:useSnapshot:)`` can call it with the
    /// aggregate type opened from an existential.
    func snapshotStart<Aggregate: AggregateRoot & Codable>(_ type: Aggregate.Type, id: String) async throws -> Any? {
        guard let snapshot = try await latestSnapshot(Aggregate.self, id: id) else { return nil }
        return LoadedAggregate(
            id: id, state: snapshot.state, version: snapshot.version, snapshotVersion: snapshot.version,
            eventsReplayed: 0, lastEventOffset: snapshot.lastEventOffset)
    }

    func latestSnapshot<State: Codable>(_ type: State.Type, id: String) async throws -> SnapshotRecord<State>? {
        let topic = configuration.snapshotsTopic
        let partition = try await partition(of: id, in: topic)
        let key = Array(id.utf8)
        var latest: [UInt8]?
        try await reader.read(topic: topic, partition: partition) { message in
            guard message.key == key else { return }
            latest = message.value  // a tombstone (nil) deletes the snapshot
        }
        guard let latest else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(SnapshotRecord<State>.self, from: Data(latest))
    }
}
