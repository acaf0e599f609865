import EventSourcing
import Foundation
import Testing

@Suite(.serialized) struct BrokerRestartTests {
    /// The broker rebuilds each aggregate's last version from the log after a restart: a
    /// stale append is still refused, the right next version accepted.
    @Test func theVersionCheckSurvivesAnEventdRestart() async throws {
        let eventd = try await Eventd.start()
        let topic = uniqueTopic("accounts")
        try await eventd.createEventTopics(topic)
        let store = try eventd.makeStore(topic)
        try await store.append(to: "acct-1", expectedVersion: 0, events: [AccountEvent.opened(owner: "Ada"), .deposited(amountMinor: 7)])
        await store.shutdown()
        await eventd.stop()

        let restarted = try await Eventd.start(dataDirectory: eventd.dataDirectory)
        defer { restarted.removeData() }
        let again = try restarted.makeStore(topic)
        await #expect(throws: EventStoreError.conflict(aggregateID: "acct-1", expected: 1, actual: 2)) {
            try await again.append(to: "acct-1", expectedVersion: 1, events: [AccountEvent.deposited(amountMinor: 1)])
        }
        // Concurrent appends after the restart: still exactly one winner.
        let second = try restarted.makeStore(topic, producer: "second")
        async let a: Bool = { do { try await again.append(to: "acct-1", expectedVersion: 2, events: [AccountEvent.deposited(amountMinor: 1)]); return true } catch EventStoreError.conflict { return false } }()
        async let b: Bool = { do { try await second.append(to: "acct-1", expectedVersion: 2, events: [AccountEvent.deposited(amountMinor: 2)]); return true } catch EventStoreError.conflict { return false } }()
        let results = try await [a, b]
        #expect(results.filter { $0 }.count == 1)
        #expect(try await again.load(Account.self, id: "acct-1", useSnapshot: false).version == 3)
        await again.shutdown()
        await second.shutdown()
        await restarted.stop()
    }
}
