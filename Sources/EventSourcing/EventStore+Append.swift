import Foundation
import Kafka

extension EventStore {
    /// Appends `events` to `aggregateID`'s stream if the stream is at `expectedVersion`
    /// (0: the stream has no events yet).
    ///
    /// All events go to the broker as one batch and are stored all or none. A retry of an
    /// append whose events (by ``NewEvent/eventID``) are stored already returns their
    /// versions with ``AppendResult/wasAlreadyStored`` set.
    ///
    /// - Throws: ``EventStoreError/conflict(aggregateID:expected:actual:)`` when the stream
    ///   is at another version; ``KafkaError`` when the broker could not be reached or
    ///   refused the events for another reason.
    @discardableResult
    public func append<Event: DomainEvent>(to aggregateID: String, expectedVersion: Int64, events: [NewEvent<Event>]) async throws -> AppendResult {
        guard !events.isEmpty else { throw EventStoreError.invalidAppend("no events") }
        guard expectedVersion >= 0 else { throw EventStoreError.invalidAppend("expected version \(expectedVersion) is negative") }
        let topic = configuration.eventsTopic
        let facts = try await facts(of: topic)
        let partition = StreamPartitioner.partition(of: aggregateID, partitionCount: facts.partitionCount)
        let records = try events.enumerated().map { index, new in
            let encoded = try codec.encode(new.event)
            let envelope = EventEnvelope(
                eventID: new.eventID, eventType: new.event.eventType,
                schemaSubject: encoded.schemaSubject, schemaVersion: encoded.schemaVersion,
                aggregateID: aggregateID, aggregateVersion: expectedVersion + Int64(index) + 1,
                correlationID: new.correlationID, causationID: new.causationID,
                occurredAt: new.occurredAt, producer: configuration.producerName)
            return (envelope: envelope, payload: encoded.payload)
        }
        let envelopes = records.map(\.envelope)
        // Ties this append's records together for the broker (see EventEnvelope.HeaderName.appendID).
        var appendID = UUID().uuidString.lowercased()
        var firstVersion = expectedVersion + 1
        var pending = records[...]
        var offsets: [Int64] = []
        if !facts.enforcesVersions {
            // Weaker: catches a stale writer, not two racing ones (no broker check to rely on).
            switch try await resolve(aggregateID: aggregateID, expectedVersion: expectedVersion, envelopes: envelopes) {
            case .stored(let result): return result
            case .partlyStored(let count, let storedOffsets):
                pending = records[count...]
                offsets = storedOffsets
                firstVersion = expectedVersion + Int64(count) + 1
            }
        }
        var attempts = 0
        while true {
            attempts += 1
            let results = try await produce(
                pending, topic: topic, partition: partition, key: Array(aggregateID.utf8), appendID: appendID, firstVersion: firstVersion)
            let stored = results.prefix { if case .success = $0 { true } else { false } }
            offsets += stored.compactMap { try? $0.get().offset }
            if stored.count == results.count {
                return AppendResult(
                    aggregateID: aggregateID, versions: envelopes.map(\.aggregateVersion),
                    partition: partition, offsets: offsets, wasAlreadyStored: false)
            }
            guard case .failure(let failure) = results[stored.count] else { preconditionFailure("prefix ended at a success") }
            logger.debug("append refused, re-reading the stream", metadata: ["aggregate": "\(aggregateID)", "error": "\(failure)"])
            switch try await resolve(aggregateID: aggregateID, expectedVersion: expectedVersion, envelopes: envelopes) {
            case .stored(let result):
                return result
            case .partlyStored(let count, let storedOffsets):
                // Not a conflict: the batch was refused for another append's sake (appends
                // share batches) or for a passing broker problem. Send what is missing.
                if attempts >= configuration.maxAppendAttempts { throw failure }
                pending = records[count...]
                offsets = storedOffsets
                // The stored part is verified ours, so the rest goes as an append of its own
                // (a continuation of an append whose id the broker no longer sees as the head
                // — e.g. a retry by another process — would be refused as orphaned).
                appendID = UUID().uuidString.lowercased()
                firstVersion = expectedVersion + Int64(count) + 1
            }
        }
    }

    /// ``append(to:expectedVersion:events:)`` for events with fresh ids.
    @discardableResult
    public func append<Event: DomainEvent>(
        to aggregateID: String, expectedVersion: Int64, events: [Event], correlationID: String? = nil, causationID: String? = nil
    ) async throws -> AppendResult {
        try await append(
            to: aggregateID, expectedVersion: expectedVersion,
            events: events.map { NewEvent($0, correlationID: correlationID, causationID: causationID) })
    }

    private enum Resolution {
        /// Every event is stored: the append is done.
        case stored(AppendResult)
        /// The first `count` events are stored (at `offsets`), right after the expected version.
        case partlyStored(count: Int, offsets: [Int64])
    }

    /// Decides an append from the stream as stored.
    ///
    /// - Throws: ``EventStoreError/conflict(aggregateID:expected:actual:)`` when events of
    ///   others follow the expected version.
    private func resolve(aggregateID: String, expectedVersion: Int64, envelopes: [EventEnvelope]) async throws -> Resolution {
        let stream = try await readStream(aggregateID)
        let byID = Dictionary(stream.map { ($0.envelope.eventID, $0) }) { first, _ in first }
        let found = envelopes.compactMap { byID[$0.eventID] }
        if found.count == envelopes.count {
            return .stored(AppendResult(
                aggregateID: aggregateID, versions: found.map(\.version), partition: found[0].partition,
                offsets: found.map(\.offset), wasAlreadyStored: true))
        }
        let after = stream.drop { $0.version <= expectedVersion }
        let ours = after.prefix(envelopes.count).enumerated().prefix { $1.envelope.eventID == envelopes[$0].eventID }.map(\.element)
        let actual = stream.last?.version ?? 0
        guard actual == expectedVersion + Int64(ours.count) else {
            throw EventStoreError.conflict(aggregateID: aggregateID, expected: expectedVersion, actual: actual)
        }
        return .partlyStored(count: ours.count, offsets: ours.map(\.offset))
    }

    /// Enqueues the records back to back (so librdkafka sends them in one batch) and waits for each report.
    private func produce(
        _ records: ArraySlice<(envelope: EventEnvelope, payload: [UInt8])>, topic: String, partition: Int32, key: [UInt8],
        appendID: String, firstVersion: Int64
    ) async throws -> [Result<DeliveryReport, KafkaError>] {
        var ids: [UInt64] = []
        ids.reserveCapacity(records.count)
        let appendHeaders = [
            KafkaHeader(key: EventEnvelope.HeaderName.appendID, value: Array(appendID.utf8)),
            KafkaHeader(key: EventEnvelope.HeaderName.appendFirstVersion, value: Array(String(firstVersion).utf8)),
        ]
        for record in records {
            while true {
                do {
                    ids.append(try producer.enqueue(topic: topic, partition: partition, key: key, value: record.payload, headers: record.envelope.headers + appendHeaders))
                    break
                } catch let error as KafkaError where error.code == KafkaError.queueFull.code {
                    try await Task.sleep(for: .milliseconds(5))
                }
            }
        }
        var results: [Result<DeliveryReport, KafkaError>] = []
        for id in ids { results.append(await deliveries.result(for: id)) }
        return results
    }
}
