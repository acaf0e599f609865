import EventSourcing
import Foundation
import Kafka
import Testing

/// `append(to:expectedVersion:events:)` against eventd with the version check on: of
/// concurrent appends at one expected version exactly one wins, the others get `conflict`.
@Suite(.serialized) struct ExpectedVersionAppendTests {
    enum Outcome: Equatable { case appended, conflict(actual: Int64) }

    static func attempt(_ store: EventStore, _ aggregateID: String, expected: Int64, _ events: [AccountEvent]) async throws -> Outcome {
        do {
            try await store.append(to: aggregateID, expectedVersion: expected, events: events)
            return .appended
        } catch EventStoreError.conflict(let id, let expectedVersion, let actual) {
            #expect(id == aggregateID && expectedVersion == expected)
            return .conflict(actual: actual)
        }
    }

    @Test func twoConcurrentAppendsAtTheSameExpectedVersionGiveOneSuccessAndOneConflict() async throws {
        try await withEventd { eventd in
            let topic = uniqueTopic("accounts")
            try await eventd.createEventTopics(topic)
            // Two stores: two producers and connections, as two service instances would have.
            let first = try eventd.makeStore(topic, producer: "instance-1")
            let second = try eventd.makeStore(topic, producer: "instance-2")
            try await first.append(to: "acct-1", expectedVersion: 0, events: [AccountEvent.opened(owner: "Ada")])
            var version: Int64 = 1
            var balance: Int64 = 0
            for round in 1...20 {
                let expected = version
                async let a = Self.attempt(first, "acct-1", expected: expected, [.deposited(amountMinor: 100)])
                async let b = Self.attempt(second, "acct-1", expected: expected, [.deposited(amountMinor: 200), .deposited(amountMinor: 1)])
                let outcomes = try await [a, b]
                #expect(outcomes.filter { $0 == .appended }.count == 1, "round \(round): \(outcomes)")
                let firstWon = outcomes[0] == .appended
                let winnerEvents: Int64 = firstWon ? 1 : 2
                // The loser learns where the stream really is: past the expected version by the winner's events.
                #expect(outcomes.contains(.conflict(actual: version + winnerEvents)), "round \(round): \(outcomes)")
                version += winnerEvents
                balance += firstWon ? 100 : 201
            }
            // Only the winners' events are stored, all of them, in version order.
            let stream = try await first.readStream("acct-1")
            #expect(stream.map(\.version) == Array(1...version))
            let account = try await second.load(Account.self, id: "acct-1", useSnapshot: false)
            #expect(account.version == version)
            #expect(account.state.balanceMinor == balance)
            await first.shutdown()
            await second.shutdown()
        }
    }

    @Test func severalWritersManyRoundsExactlyOneWinnerEachRound() async throws {
        try await withEventd { eventd in
            let topic = uniqueTopic("accounts")
            try await eventd.createEventTopics(topic, partitions: 1)
            let stores = try (1...4).map { try eventd.makeStore(topic, producer: "writer-\($0)") }
            let rounds = 15
            var winners: [Int] = []
            for round in 0..<rounds {
                let outcomes = try await withThrowingTaskGroup(of: (Int, Outcome).self) { group in
                    for (index, store) in stores.enumerated() {
                        group.addTask {
                            (index, try await Self.attempt(store, "hot", expected: Int64(round), [.deposited(amountMinor: Int64(index + 1))]))
                        }
                    }
                    return try await group.reduce(into: [(Int, Outcome)]()) { $0.append($1) }
                }
                let won = outcomes.filter { $0.1 == .appended }.map(\.0)
                #expect(won.count == 1, "round \(round): \(outcomes)")
                #expect(outcomes.filter { $0.1 == .conflict(actual: Int64(round + 1)) }.count == stores.count - 1, "round \(round): \(outcomes)")
                winners += won
            }
            let stream = try await stores[0].readStream("hot")
            #expect(stream.map(\.version) == Array(1...Int64(rounds)))
            let deposits = try stream.map { try $0.decode(AccountEvent.self) }
            #expect(deposits == winners.map { AccountEvent.deposited(amountMinor: Int64($0 + 1)) })
            for store in stores { await store.shutdown() }
        }
    }

    @Test func aStaleAppendIsAConflictNamingAggregateExpectedAndActual() async throws {
        try await withEventd { eventd in
            let topic = uniqueTopic("accounts")
            try await eventd.createEventTopics(topic)
            let store = try eventd.makeStore(topic)
            try await store.append(to: "acct-9", expectedVersion: 0, events: [AccountEvent.opened(owner: "Bo"), .deposited(amountMinor: 5)])
            await #expect(throws: EventStoreError.conflict(aggregateID: "acct-9", expected: 1, actual: 2)) {
                try await store.append(to: "acct-9", expectedVersion: 1, events: [AccountEvent.withdrawn(amountMinor: 5)])
            }
            await #expect(throws: EventStoreError.conflict(aggregateID: "acct-9", expected: 3, actual: 2)) {
                try await store.append(to: "acct-9", expectedVersion: 3, events: [AccountEvent.withdrawn(amountMinor: 5)])
            }
            #expect(try await store.readStream("acct-9").count == 2)
            await store.shutdown()
        }
    }

    /// A retry with the same event ids — after a timeout, a crash, a lost answer — is
    /// answered with the versions stored the first time, not a conflict, and stores nothing.
    @Test func retryingAnAppendWhoseEventsAreStoredSucceedsWithTheSameVersions() async throws {
        try await withEventd { eventd in
            let topic = uniqueTopic("accounts")
            try await eventd.createEventTopics(topic)
            let store = try eventd.makeStore(topic)
            try await store.append(to: "acct-2", expectedVersion: 0, events: [AccountEvent.opened(owner: "Cy")])
            let events = [NewEvent(AccountEvent.deposited(amountMinor: 10)), NewEvent(AccountEvent.deposited(amountMinor: 20))]
            let first = try await store.append(to: "acct-2", expectedVersion: 1, events: events)
            #expect(first.versions == [2, 3] && !first.wasAlreadyStored)
            let retry = try await store.append(to: "acct-2", expectedVersion: 1, events: events)
            #expect(retry.versions == [2, 3] && retry.wasAlreadyStored)
            #expect(retry.offsets == first.offsets && retry.partition == first.partition)
            // From another instance too (the retry of a process that crashed after sending).
            let other = try eventd.makeStore(topic, producer: "other")
            let again = try await other.append(to: "acct-2", expectedVersion: 1, events: events)
            #expect(again.versions == [2, 3] && again.wasAlreadyStored)
            #expect(try await store.readStream("acct-2").map(\.version) == [1, 2, 3])
            // New events at that stale version are still a conflict.
            await #expect(throws: EventStoreError.conflict(aggregateID: "acct-2", expected: 1, actual: 3)) {
                try await store.append(to: "acct-2", expectedVersion: 1, events: [AccountEvent.deposited(amountMinor: 30)])
            }
            await store.shutdown()
            await other.shutdown()
        }
    }

    /// A retry of an append of which only the first events were stored (a process died
    /// half-way, or its batch was split) stores the rest behind them.
    @Test func retryingAPartlyStoredAppendStoresTheRest() async throws {
        try await withEventd { eventd in
            let topic = uniqueTopic("accounts")
            try await eventd.createEventTopics(topic)
            let store = try eventd.makeStore(topic)
            try await store.append(to: "acct-5", expectedVersion: 0, events: [AccountEvent.opened(owner: "Flo")])
            let events = [NewEvent(AccountEvent.deposited(amountMinor: 1)), NewEvent(AccountEvent.deposited(amountMinor: 2)),
                          NewEvent(AccountEvent.deposited(amountMinor: 3))]
            try await store.append(to: "acct-5", expectedVersion: 1, events: [events[0]])
            let other = try eventd.makeStore(topic, producer: "other")
            let retry = try await other.append(to: "acct-5", expectedVersion: 1, events: events)
            #expect(retry.versions == [2, 3, 4] && !retry.wasAlreadyStored)
            let stream = try await store.readStream("acct-5")
            #expect(stream.map(\.version) == [1, 2, 3, 4])
            #expect(stream.dropFirst().map(\.envelope.eventID) == events.map(\.eventID))
            await store.shutdown()
            await other.shutdown()
        }
    }

    /// Without the broker's check the store still refuses a stale append and recognises a
    /// retry, because it reads the stream first (racing appends are not caught: see README).
    @Test func withoutTheBrokerCheckStaleAppendsAndRetriesAreStillHandled() async throws {
        try await withEventd { eventd in
            let topic = uniqueTopic("plain")
            try await eventd.createEventTopics(topic, enforced: false)
            let store = try eventd.makeStore(topic)
            let opened = [NewEvent(AccountEvent.opened(owner: "Di"))]
            try await store.append(to: "acct-3", expectedVersion: 0, events: opened)
            #expect(try await store.append(to: "acct-3", expectedVersion: 0, events: opened).wasAlreadyStored)
            await #expect(throws: EventStoreError.conflict(aggregateID: "acct-3", expected: 0, actual: 1)) {
                try await store.append(to: "acct-3", expectedVersion: 0, events: [AccountEvent.opened(owner: "Eve")])
            }
            await store.shutdown()
        }
    }
}
