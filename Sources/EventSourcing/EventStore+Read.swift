import Kafka

extension EventStore {
    /// The events of `aggregateID`'s stream with version ≥ `version`, in order.
    ///
    /// - Throws: ``EventStoreError/corruptStream(aggregateID:reason:)`` when versions skip,
    ///   ``EventStoreError/unknownTopic(_:)``, ``KafkaError``.
    public func readStream(_ aggregateID: String, fromVersion version: Int64 = 1) async throws -> [RecordedEvent] {
        try await readStream(aggregateID, afterOffset: nil, afterVersion: 0).filter { $0.version >= version }
    }

    /// The stream's events after `afterVersion`, reading the partition from `afterOffset + 1`
    /// (where a snapshot says it stopped) or from its start.
    func readStream(_ aggregateID: String, afterOffset: Int64?, afterVersion: Int64) async throws -> [RecordedEvent] {
        let topic = configuration.eventsTopic
        let partition = try await partition(of: aggregateID, in: topic)
        let key = Array(aggregateID.utf8)
        var events: [RecordedEvent] = []
        var last = afterVersion
        try await reader.read(topic: topic, partition: partition, from: afterOffset.map { $0 + 1 }) { message in
            guard message.key == key, let envelope = try? EventEnvelope(headers: message.headers),
                  envelope.aggregateID == aggregateID else { return }
            let version = envelope.aggregateVersion
            // A version seen already can only come from a broker without the version check,
            // where two racing writers both stored it: the first stored wins, as for readers
            // of that partition everywhere.
            guard version > last else { return }
            guard version == last + 1 else {
                throw EventStoreError.corruptStream(aggregateID: aggregateID, reason: "version \(version) follows version \(last) at offset \(message.offset)")
            }
            last = version
            events.append(RecordedEvent(envelope: envelope, payload: message.value ?? [], topic: topic, partition: partition, offset: message.offset))
        }
        return events
    }

    /// The aggregate rebuilt from its stream: from its latest snapshot and the events after
    /// it when the aggregate is `Codable`, a snapshot exists and `useSnapshot` is true;
    /// otherwise by replaying every event.
    public func load<Aggregate: AggregateRoot>(_ type: Aggregate.Type, id: String, useSnapshot: Bool = true) async throws -> LoadedAggregate<Aggregate> {
        var start = LoadedAggregate(id: id, state: Aggregate(id: id), version: 0, snapshotVersion: nil, eventsReplayed: 0, lastEventOffset: -1)
        if useSnapshot, let codable = type as? any (AggregateRoot & Codable).Type,
           let snapshot = try await snapshotStart(codable, id: id) as? LoadedAggregate<Aggregate> {
            start = snapshot
        }
        return try await replay(onto: start)
    }

    /// Applies the stream's events after `loaded.version` (read from after `loaded.lastEventOffset`).
    func replay<Aggregate: AggregateRoot>(onto loaded: LoadedAggregate<Aggregate>) async throws -> LoadedAggregate<Aggregate> {
        var loaded = loaded
        let events = try await readStream(loaded.id, afterOffset: loaded.lastEventOffset >= 0 ? loaded.lastEventOffset : nil, afterVersion: loaded.version)
        for recorded in events {
            loaded.state.apply(try recorded.decode(Aggregate.Event.self, with: codec))
            loaded.version = recorded.version
            loaded.lastEventOffset = recorded.offset
            loaded.eventsReplayed += 1
        }
        return loaded
    }
}
