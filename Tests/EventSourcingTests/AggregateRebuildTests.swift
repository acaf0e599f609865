import EventSourcing
import Foundation
import Testing

@Suite(.serialized) struct AggregateRebuildTests {
    @Test func anAggregateIsRebuiltByReplayingItsEvents() async throws {
        try await withEventd { eventd in
            let topic = uniqueTopic("accounts")
            try await eventd.createEventTopics(topic)
            let store = try eventd.makeStore(topic)
            try await store.append(to: "acct-1", expectedVersion: 0, events: [AccountEvent.opened(owner: "Ada"), .deposited(amountMinor: 1_000)])
            try await store.append(to: "acct-2", expectedVersion: 0, events: [AccountEvent.opened(owner: "Bo")])
            try await store.append(to: "acct-1", expectedVersion: 2, events: [AccountEvent.withdrawn(amountMinor: 250)])
            let loaded = try await store.load(Account.self, id: "acct-1")
            #expect(loaded.version == 3 && loaded.snapshotVersion == nil && loaded.eventsReplayed == 3)
            var expected = Account(id: "acct-1")
            expected.owner = "Ada"
            expected.balanceMinor = 750
            expected.transactions = 2
            #expect(loaded.state == expected)
            let empty = try await store.load(Account.self, id: "nobody")
            #expect(empty.version == 0 && empty.state == Account(id: "nobody"))
            await store.shutdown()
        }
    }

    @Test func anAggregateIsRebuiltFromItsSnapshotPlusLaterEvents() async throws {
        try await withEventd { eventd in
            let topic = uniqueTopic("accounts")
            try await eventd.createEventTopics(topic)
            let store = try eventd.makeStore(topic)
            var version: Int64 = 0
            func deposit(_ amount: Int64) async throws {
                version = try await store.append(to: "acct-1", expectedVersion: version, events: [AccountEvent.deposited(amountMinor: amount)]).nextExpectedVersion
            }
            version = try await store.append(to: "acct-1", expectedVersion: 0, events: [AccountEvent.opened(owner: "Ada")]).nextExpectedVersion
            for amount in Int64(1)...10 { try await deposit(amount) }
            try await store.saveSnapshot(try await store.load(Account.self, id: "acct-1"))
            for amount in Int64(11)...14 { try await deposit(amount) }
            // An older snapshot first, then the newer one: the latest per aggregate counts.
            let older = try await store.load(Account.self, id: "acct-1", useSnapshot: false)
            try await store.saveSnapshot(older)
            for amount in Int64(15)...17 { try await deposit(amount) }

            let fromSnapshot = try await store.load(Account.self, id: "acct-1")
            let fromEvents = try await store.load(Account.self, id: "acct-1", useSnapshot: false)
            #expect(fromSnapshot.snapshotVersion == 15)
            #expect(fromSnapshot.eventsReplayed == 3)
            #expect(fromEvents.eventsReplayed == 18)
            #expect(fromSnapshot.version == 18 && fromEvents.version == 18)
            #expect(fromSnapshot.state == fromEvents.state)
            #expect(fromSnapshot.state.balanceMinor == (1...17).reduce(0, +))
            await store.shutdown()
        }
    }
}
