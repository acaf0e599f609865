import EventSourcing
import Foundation
import Testing

/// A projection that records every event id it applied, so double application and skipped
/// events are both visible; it can be told to crash before applying its n-th event.
struct LedgerProjection: Projection {
    struct State: Codable, Sendable, Equatable {
        var balances: [String: Int64] = [:]
        var applied: [String] = []
    }

    struct Crash: Error {}

    let name = "ledger"
    let crashBefore: Int?
    let seen = SeenCounter()

    func initialState() -> State { State() }

    func apply(_ event: RecordedEvent, to state: inout State) throws {
        if let crashBefore, seen.increment() == crashBefore { throw Crash() }
        switch try event.decode(AccountEvent.self) {
        case .opened: break
        case .deposited(let amount): state.balances[event.envelope.aggregateID, default: 0] += amount
        case .withdrawn(let amount): state.balances[event.envelope.aggregateID, default: 0] -= amount
        }
        state.applied.append(event.envelope.eventID)
    }
}

final class SeenCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() -> Int { lock.withLock { count += 1; return count } }
}

@Suite(.serialized) struct ProjectionRestartTests {
    @Test func aRestartedProjectionNeitherSkipsNorDoubleApplies() async throws {
        try await withEventd { eventd in
            let topic = uniqueTopic("accounts")
            try await eventd.createEventTopics(topic, partitions: 2)
            let store = try eventd.makeStore(topic)
            var eventIDs: [String] = []
            var expected: [String: Int64] = [:]
            for account in 0..<6 {
                let id = "acct-\(account)"
                let events = [NewEvent(AccountEvent.opened(owner: id))] + (1...4).map { NewEvent(AccountEvent.deposited(amountMinor: Int64(account * 10 + $0))) }
                try await store.append(to: id, expectedVersion: 0, events: events)
                eventIDs += events.map(\.eventID)
                expected[id] = (1...4).reduce(0) { $0 + Int64(account * 10 + $1) }
            }
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("projections-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let checkpoints = try FileProjectionStore(directory: directory)

            // Crashes at its 13th event: 10 are checkpointed, 2 more applied but not saved.
            let crashing = ProjectionRunner(
                projection: LedgerProjection(crashBefore: 13), store: checkpoints,
                bootstrapServers: eventd.bootstrapServers, topic: topic, checkpointEvery: 5, logger: quietLogger)
            await #expect(throws: LedgerProjection.Crash.self) { _ = try await crashing.catchUp() }
            let saved = try crashing.currentState()
            #expect(saved.applied.count == 10)

            // A new process (new runner) resumes from the checkpoint.
            let restarted = ProjectionRunner(
                projection: LedgerProjection(crashBefore: nil), store: checkpoints,
                bootstrapServers: eventd.bootstrapServers, topic: topic, checkpointEvery: 5, logger: quietLogger)
            let state = try await restarted.catchUp()
            #expect(state.applied.count == eventIDs.count)
            #expect(Set(state.applied) == Set(eventIDs))
            #expect(state.balances == expected)

            // Events appended later are applied once more each; catching up again adds nothing.
            try await store.append(to: "acct-0", expectedVersion: 5, events: [AccountEvent.withdrawn(amountMinor: 3)])
            let later = try await restarted.catchUp()
            #expect(later.applied.count == eventIDs.count + 1)
            #expect(later.balances["acct-0"] == expected["acct-0"]! - 3)
            #expect(try await restarted.catchUp() == later)
            await store.shutdown()
        }
    }
}
