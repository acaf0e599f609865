import Foundation
import Testing
@testable import Sagas

/// Every transition of the pure saga state machine, with a fixed clock and seeded randomness.
@Suite struct SagaStateTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)
    var random = SeededRandom(seed: 7)

    /// validate (no compensation) → reserve → charge → notify (no compensation).
    let definition = SagaDefinition(
        name: "test",
        steps: [
            SagaStepDefinition(name: "validate", participant: "p", action: "Validate", retry: SagaRetryPolicy(maxAttempts: 2), attemptTimeout: .seconds(1), deadline: .seconds(10)),
            SagaStepDefinition(name: "reserve", participant: "p", action: "Reserve", compensation: "Release", retry: SagaRetryPolicy(maxAttempts: 3), attemptTimeout: .seconds(1), deadline: .seconds(10)),
            SagaStepDefinition(name: "charge", participant: "q", action: "Charge", compensation: "Refund", retry: SagaRetryPolicy(maxAttempts: 3), attemptTimeout: .seconds(1), deadline: .seconds(10)),
            SagaStepDefinition(name: "notify", participant: "q", action: "Notify", retry: SagaRetryPolicy(maxAttempts: 2), attemptTimeout: .seconds(1), deadline: .seconds(10)),
        ],
        deadline: .seconds(60),
        compensationRetry: SagaRetryPolicy(maxAttempts: 1, initialBackoff: .milliseconds(100), maxBackoff: .seconds(1), jitter: 0))

    func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    /// Replies to the one command of `transition` with `outcome`.
    func reply(_ transition: SagaTransition, _ outcome: SagaReply.Outcome, reason: String? = nil, data: [String: String] = [:]) throws -> SagaReply {
        let command = try #require(transition.commands.only)
        return SagaReply(to: command, outcome: outcome, reason: reason, data: data)
    }

    /// Runs the saga forward until step `index` is in flight and returns the transition that sent it.
    mutating func runUntil(step index: Int, state: inout SagaState) throws -> SagaTransition {
        var (started, transition) = SagaState.start(id: "saga-1", definition: definition, input: ["amount": "100"], now: at(0))
        for i in 0..<index {
            transition = started.handle(try reply(transition, .succeeded, data: ["s\(i)": "done"]), definition: definition, now: at(Double(i) + 0.5), random: &random)
        }
        state = started
        return transition
    }

    @Test func startSendsTheFirstActionWithAnAttemptIndependentKey() throws {
        let (state, transition) = SagaState.start(id: "saga-1", definition: definition, input: ["amount": "100"], now: t0)
        #expect(state.status == .running)
        #expect(state.version == 1)
        #expect(transition.events == [.started, .commandSent(step: "validate", kind: .action, attempt: 1)])
        let command = try #require(transition.commands.only)
        #expect(command.idempotencyKey == "saga-1/validate/action")
        #expect(command.name == "Validate")
        #expect(command.participant == "p")
        #expect(command.payload == ["amount": "100"])
    }

    @Test mutating func allStepsSucceedingCompletesTheSaga() throws {
        var (state, transition) = SagaState.start(id: "saga-1", definition: definition, input: [:], now: t0)
        var sent: [String] = []
        for i in 0..<4 {
            sent.append(try #require(transition.commands.only).idempotencyKey)
            transition = state.handle(try reply(transition, .succeeded, data: ["from-\(i)": "x"]), definition: definition, now: at(Double(i + 1)), random: &random)
        }
        #expect(state.status == .completed)
        #expect(state.finishedAt == at(4))
        #expect(state.pending == nil)
        #expect(transition.events == [.stepSucceeded(step: "notify"), .completed])
        #expect(transition.commands.isEmpty)
        #expect(sent == ["saga-1/validate/action", "saga-1/reserve/action", "saga-1/charge/action", "saga-1/notify/action"])
        #expect(state.context == ["from-0": "x", "from-1": "x", "from-2": "x", "from-3": "x"])
        #expect(state.version == 5)
    }

    @Test mutating func replyDataReachesLaterCommands() throws {
        var state = SagaState.start(id: "s", definition: definition, input: ["a": "1"], now: t0).0
        let transition = try runUntil(step: 2, state: &state)
        #expect(try #require(transition.commands.only).payload == ["amount": "100", "s0": "done", "s1": "done"])
    }

    @Test mutating func staleAndForeignRepliesChangeNothing() throws {
        var state = SagaState.start(id: "s", definition: definition, input: [:], now: t0).0
        let sent = try runUntil(step: 1, state: &state)
        let before = state
        var command = try #require(sent.commands.only)
        // A repeated reply for the previous step.
        var old = command
        old.step = "validate"
        old.idempotencyKey = "saga-1/validate/action"
        #expect(state.handle(SagaReply(to: old, outcome: .succeeded), definition: definition, now: at(2), random: &random).isEmpty)
        // A late reply to an earlier attempt of the same key.
        command.attempt = 0
        #expect(state.handle(SagaReply(to: command, outcome: .rejected), definition: definition, now: at(2), random: &random).isEmpty)
        // A reply about the compensation of a step that is running forward.
        command.attempt = 1
        command.kind = .compensation
        #expect(state.handle(SagaReply(to: command, outcome: .succeeded), definition: definition, now: at(2), random: &random).isEmpty)
        #expect(state == before)
    }

    @Test mutating func transientFailureRetriesTheSameKeyAfterBackoff() throws {
        var state = SagaState.start(id: "s", definition: definition, input: [:], now: t0).0
        let sent = try runUntil(step: 1, state: &state)
        let failed = state.handle(try reply(sent, .transientFailure, reason: "busy"), definition: definition, now: at(2), random: &random)
        guard case .attemptFailed(step: "reserve", kind: .action, attempt: 1, reason: "busy", let retryAt)? = failed.events.only else {
            Issue.record("expected one attemptFailed event, got \(failed.events)")
            return
        }
        #expect(failed.commands.isEmpty)
        // Backoff 50 ms with up to half of it taken off by jitter.
        #expect(retryAt > at(2) && retryAt <= at(2.05))
        #expect(state.pending?.retryAt == retryAt)
        #expect(state.nextWakeUp(definition: definition) == retryAt)
        // Nothing is due before the backoff ends.
        #expect(state.tick(definition: definition, now: retryAt.addingTimeInterval(-0.001), random: &random).isEmpty)
        let resent = state.tick(definition: definition, now: retryAt, random: &random)
        let command = try #require(resent.commands.only)
        #expect(command.idempotencyKey == "saga-1/reserve/action")
        #expect(command.attempt == 2)
        // The second attempt's success moves on.
        let next = state.handle(SagaReply(to: command, outcome: .succeeded), definition: definition, now: at(3), random: &random)
        #expect(try #require(next.commands.only).step == "charge")
    }

    @Test func backoffGrowsExponentiallyWithBoundedJitterAndACap() {
        let policy = SagaRetryPolicy(maxAttempts: 10, initialBackoff: .milliseconds(100), multiplier: 2, maxBackoff: .seconds(1), jitter: 0.5)
        var random = SeededRandom(seed: 42)
        let bases: [Double] = [0.1, 0.2, 0.4, 0.8, 1.0, 1.0]
        var delays: [Double] = []
        for (index, base) in bases.enumerated() {
            let delay = policy.delay(afterAttempt: index + 1, using: &random).seconds
            #expect(delay <= base + 1e-9 && delay > base * 0.5 - 1e-9, "attempt \(index + 1): \(delay) not in (\(base / 2), \(base)]")
            delays.append(delay)
        }
        // Jitter actually varies the delay (not all at the top of their range).
        #expect(zip(delays, bases).contains { $0 < $1 - 1e-6 })
        // Same seed, same delays: randomness is injected, not global.
        var again = SeededRandom(seed: 42)
        #expect(bases.indices.map { policy.delay(afterAttempt: $0 + 1, using: &again).seconds } == delays)
        var none = SeededRandom(seed: 1)
        #expect(SagaRetryPolicy(initialBackoff: .milliseconds(100), jitter: 0).delay(afterAttempt: 3, using: &none) == .milliseconds(400))
    }

    @Test mutating func exhaustedAttemptsCompensateCompletedStepsInReverseOrder() throws {
        var state = SagaState.start(id: "s", definition: definition, input: [:], now: t0).0
        var sent = try runUntil(step: 3, state: &state)  // validate, reserve, charge done; notify in flight
        // notify allows 2 attempts.
        _ = state.handle(try reply(sent, .transientFailure), definition: definition, now: at(4), random: &random)
        sent = state.tick(definition: definition, now: at(5), random: &random)
        let failed = state.handle(try reply(sent, .transientFailure, reason: "down"), definition: definition, now: at(5.5), random: &random)
        #expect(state.status == .compensating)
        #expect(failed.events.first == .stepFailed(step: "notify", reason: "2 attempts failed, last: down"))
        // charge (step 2) is undone first, then reserve; validate has nothing to undo.
        let refund = try #require(failed.commands.only)
        #expect(refund.name == "Refund")
        #expect(refund.kind == .compensation)
        #expect(refund.idempotencyKey == "saga-1/charge/compensation")
        #expect(refund.compensates == "saga-1/charge/action")
        let release = state.handle(SagaReply(to: refund, outcome: .succeeded), definition: definition, now: at(6), random: &random)
        #expect(release.events.first == .compensationSucceeded(step: "charge"))
        #expect(try #require(release.commands.only).name == "Release")
        let done = state.handle(try reply(release, .succeeded), definition: definition, now: at(7), random: &random)
        #expect(done.events == [.compensationSucceeded(step: "reserve"), .compensated])
        #expect(state.status == .compensated)
        #expect(state.completedSteps.isEmpty)
        #expect(state.failureReason?.contains("notify failed after 2 attempts") == true)
    }

    @Test mutating func rejectionCompensatesWithoutRetrying() throws {
        var state = SagaState.start(id: "s", definition: definition, input: [:], now: t0).0
        let sent = try runUntil(step: 2, state: &state)
        let rejected = state.handle(try reply(sent, .rejected, reason: "insufficient funds"), definition: definition, now: at(3), random: &random)
        #expect(rejected.events.prefix(2) == [.stepFailed(step: "charge", reason: "insufficient funds"), .compensationStarted(reason: "charge rejected: insufficient funds")])
        // The rejected step itself is not undone (it was never applied); reserve is.
        #expect(try #require(rejected.commands.only).idempotencyKey == "saga-1/reserve/compensation")
    }

    @Test mutating func rejectionOfTheFirstStepEndsCompensatedAtOnce() throws {
        var (state, sent) = SagaState.start(id: "s", definition: definition, input: [:], now: t0)
        let rejected = state.handle(try reply(sent, .rejected, reason: "invalid"), definition: definition, now: at(1), random: &random)
        #expect(state.status == .compensated)
        #expect(rejected.commands.isEmpty)
        #expect(rejected.events.last == .compensated)
    }

    @Test mutating func aFailingCompensationIsRetriedUntilItSucceeds() throws {
        var state = SagaState.start(id: "s", definition: definition, input: [:], now: t0).0
        let sent = try runUntil(step: 2, state: &state)
        var transition = state.handle(try reply(sent, .rejected), definition: definition, now: at(3), random: &random)
        var now = at(3)
        // Far more failures than any step's maxAttempts: compensation never gives up.
        for attempt in 1...12 {
            let command = try #require(transition.commands.only)
            #expect(command.idempotencyKey == "saga-1/reserve/compensation")
            #expect(command.attempt == attempt)
            let failed = state.handle(SagaReply(to: command, outcome: .transientFailure, reason: "ledger locked"), definition: definition, now: now, random: &random)
            #expect(state.status == .compensating)
            let retryAt = try #require(state.pending?.retryAt)
            // The compensation policy: 100 ms doubling, capped at 1 s, no jitter.
            #expect(retryAt == now + min(.seconds(1), .milliseconds(100 * (1 << (attempt - 1)))))
            #expect(failed.events.only == .attemptFailed(step: "reserve", kind: .compensation, attempt: attempt, reason: "ledger locked", retryAt: retryAt))
            now = retryAt
            transition = state.tick(definition: definition, now: now, random: &random)
        }
        let done = state.handle(try reply(transition, .succeeded), definition: definition, now: now, random: &random)
        #expect(done.events == [.compensationSucceeded(step: "reserve"), .compensated])
        #expect(state.status == .compensated)
    }

    @Test mutating func aCompensationThatTimesOutIsSentAgain() throws {
        var state = SagaState.start(id: "s", definition: definition, input: [:], now: t0).0
        let sent = try runUntil(step: 2, state: &state)
        _ = state.handle(try reply(sent, .rejected), definition: definition, now: at(3), random: &random)
        // No reply within the attempt timeout (1 s): an attempt failure, then a resend.
        let timedOut = state.tick(definition: definition, now: at(4), random: &random)
        #expect(timedOut.events.count == 1)
        let resent = state.tick(definition: definition, now: at(4.1), random: &random)
        let command = try #require(resent.commands.only)
        #expect(command.kind == .compensation && command.attempt == 2)
    }

    @Test mutating func aRefusedCompensationStopsVisiblyAsFailed() throws {
        var state = SagaState.start(id: "s", definition: definition, input: [:], now: t0).0
        let sent = try runUntil(step: 2, state: &state)
        let compensation = state.handle(try reply(sent, .rejected), definition: definition, now: at(3), random: &random)
        let refused = state.handle(try reply(compensation, .rejected, reason: "account closed"), definition: definition, now: at(4), random: &random)
        #expect(state.status == .failed)
        #expect(state.status.isFinal)
        #expect(refused.events == [.failed(reason: "compensation of reserve refused: account closed")])
        #expect(state.failureReason == "compensation of reserve refused: account closed")
        #expect(state.tick(definition: definition, now: at(100), random: &random).isEmpty)
    }

    @Test mutating func aMissingReplyIsAFailedAttempt() throws {
        var state = SagaState.start(id: "s", definition: definition, input: [:], now: t0).0
        _ = try runUntil(step: 1, state: &state)  // reserve sent at 0.5, timeout 1 s
        #expect(state.nextWakeUp(definition: definition) == at(1.5))
        #expect(state.tick(definition: definition, now: at(1.4), random: &random).isEmpty)
        let timedOut = state.tick(definition: definition, now: at(1.5), random: &random)
        guard case .attemptFailed(step: "reserve", kind: .action, attempt: 1, reason: let reason, retryAt: _)? = timedOut.events.only else {
            Issue.record("expected attemptFailed, got \(timedOut.events)")
            return
        }
        #expect(reason.contains("no reply"))
        #expect(state.pending?.outcomeUnknown == true)
    }

    @Test mutating func aStepThatTimedOutForGoodIsCompensatedToo() throws {
        var state = SagaState.start(id: "s", definition: definition, input: [:], now: t0).0
        _ = try runUntil(step: 2, state: &state)  // charge sent at 1.5; 3 attempts, 1 s timeout each
        var now = 1.5
        var events: [SagaEvent] = []
        var commands: [SagaCommand] = []
        while state.status == .running, now < 20 {
            now += 0.25
            let transition = state.tick(definition: definition, now: at(now), random: &random)
            events += transition.events
            commands += transition.commands
        }
        #expect(state.status == .compensating)
        #expect(events.contains(.stepFailed(step: "charge", reason: "3 attempts failed, last: no reply within 1.0 seconds")))
        // charge's last attempt may have been applied: it is refunded before reserve is released.
        #expect(commands.map(\.idempotencyKey).suffix(1) == ["saga-1/charge/compensation"])
        #expect(commands.filter { $0.kind == .action }.map(\.attempt) == [2, 3])
    }

    @Test mutating func stepDeadlineCompensates() throws {
        var slow = definition
        slow.steps[1].deadline = .seconds(3)
        slow.steps[1].retry = SagaRetryPolicy(maxAttempts: 100, initialBackoff: .milliseconds(200), jitter: 0)
        var (state, sent) = SagaState.start(id: "s", definition: slow, input: [:], now: t0)
        sent = state.handle(try reply(sent, .succeeded), definition: slow, now: at(0), random: &random)
        var now = 0.0
        while state.status == .running, now < 10 {
            // Every attempt gets a transient failure at once; retries keep coming until the deadline.
            if let command = sent.commands.only {
                sent = state.handle(SagaReply(to: command, outcome: .transientFailure), definition: slow, now: at(now), random: &random)
            }
            now += 0.1
            let tick = state.tick(definition: slow, now: at(now), random: &random)
            if !tick.commands.isEmpty || !tick.events.isEmpty { sent = tick }
        }
        #expect(state.status == .compensated)
        #expect(state.failureReason == "reserve: step deadline exceeded")
        #expect(now >= 3 && now < 3.2)
    }

    @Test mutating func sagaDeadlineCompensatesAndUndoesTheStepInFlight() throws {
        var tight = definition
        tight.deadline = .seconds(2)
        var state = SagaState.start(id: "s", definition: tight, input: [:], now: t0).0
        var (fresh, sent) = SagaState.start(id: "saga-1", definition: tight, input: [:], now: at(0))
        sent = fresh.handle(try reply(sent, .succeeded), definition: tight, now: at(0.5), random: &random)
        sent = fresh.handle(try reply(sent, .succeeded), definition: tight, now: at(1.0), random: &random)  // charge in flight
        state = fresh
        #expect(state.nextWakeUp(definition: tight) == at(2))
        let expired = state.tick(definition: tight, now: at(2), random: &random)
        #expect(expired.events.prefix(2) == [.stepFailed(step: "charge", reason: "saga deadline exceeded"), .compensationStarted(reason: "charge: saga deadline exceeded")])
        // The charge in flight may land after all: refund it (fencing the key), then release.
        #expect(try #require(expired.commands.only).idempotencyKey == "saga-1/charge/compensation")
        #expect(state.status == .compensating)
        // Deadlines do not apply to compensation: it just continues.
        #expect(state.tick(definition: tight, now: at(2.5), random: &random).isEmpty)
    }

    @Test mutating func reviewPausesTheSagaUntilApproved() throws {
        var state = SagaState.start(id: "s", definition: definition, input: [:], now: t0).0
        let sent = try runUntil(step: 1, state: &state)
        let review = state.handle(try reply(sent, .reviewRequired, reason: "amount >= 50,000 SEK", data: ["score": "700"]), definition: definition, now: at(1), random: &random)
        #expect(review.events == [.reviewRequested(step: "reserve", reason: "amount >= 50,000 SEK")])
        #expect(state.status == .awaitingReview)
        #expect(state.reviewReason == "amount >= 50,000 SEK")
        // No timers while a person decides, however long it takes.
        #expect(state.nextWakeUp(definition: definition) == nil)
        #expect(state.tick(definition: definition, now: at(10_000), random: &random).isEmpty)
        let approved = state.resolveReview(approved: true, reviewer: "ana", definition: definition, now: at(10_000))
        #expect(approved.events.first == .reviewResolved(approved: true, reviewer: "ana"))
        let command = try #require(approved.commands.only)
        #expect(command.step == "charge")
        #expect(command.payload["score"] == "700")
        // The review time does not count against the saga deadline (60 s).
        #expect(state.tick(definition: definition, now: at(10_000.5), random: &random).isEmpty)
        #expect(state.status == .running)
    }

    @Test mutating func rejectedReviewCompensates() throws {
        var state = SagaState.start(id: "s", definition: definition, input: [:], now: t0).0
        let sent = try runUntil(step: 1, state: &state)
        _ = state.handle(try reply(sent, .reviewRequired), definition: definition, now: at(1), random: &random)
        let rejected = state.resolveReview(approved: false, reviewer: "bo", definition: definition, now: at(2))
        #expect(state.status == .compensating)
        #expect(try #require(rejected.commands.only).idempotencyKey == "saga-1/reserve/compensation")
        // Resolving twice does nothing.
        #expect(state.resolveReview(approved: true, reviewer: "bo", definition: definition, now: at(3)).isEmpty)
    }

    @Test mutating func aRestoredSagaResendsItsCommandInFlightWithAFreshTimeout() throws {
        var state = SagaState.start(id: "s", definition: definition, input: [:], now: t0).0
        let sent = try runUntil(step: 2, state: &state)  // charge sent at 1.5, reply due at 2.5
        let stored = try JSONEncoder().encode(state)
        var restored = try JSONDecoder().decode(SagaState.self, from: stored)
        #expect(restored == state)
        // Restarted at 10 s: the same command (key and attempt), answerable for another second.
        let resumed = restored.resume(definition: definition, now: at(10))
        #expect(resumed.commands == sent.commands)
        #expect(resumed.events == [.commandSent(step: "charge", kind: .action, attempt: 1)])
        #expect(restored.pending?.replyDeadline == at(11))
        #expect(restored.version == state.version + 1)
        // Its reply (to the same attempt) is accepted.
        let next = restored.handle(try reply(sent, .succeeded), definition: definition, now: at(10.5), random: &random)
        #expect(try #require(next.commands.only).step == "notify")
        // While waiting for a retry nothing is in flight: the timer resends it, not resume.
        var waiting = state
        _ = waiting.handle(try reply(sent, .transientFailure), definition: definition, now: at(2), random: &random)
        #expect(waiting.resume(definition: definition, now: at(10)).isEmpty)
        #expect(waiting.nextWakeUp(definition: definition) != nil)
    }

    @Test mutating func finishedSagasIgnoreEverything() throws {
        var (state, sent) = SagaState.start(id: "s", definition: definition, input: [:], now: t0)
        _ = state.handle(try reply(sent, .rejected), definition: definition, now: at(1), random: &random)
        let before = state
        #expect(state.handle(try reply(sent, .succeeded), definition: definition, now: at(2), random: &random).isEmpty)
        #expect(state.tick(definition: definition, now: at(100), random: &random).isEmpty)
        #expect(state.resume(definition: definition, now: at(100)).isEmpty)
        #expect(state == before)
    }
}

/// SplitMix64: a small deterministic generator for reproducible jitter.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Collection {
    /// The single element, or nil when there are none or several.
    var only: Element? { count == 1 ? first : nil }
}
