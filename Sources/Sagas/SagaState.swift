import Foundation

/// One saga as a pure state machine: no I/O, no clock, no randomness of its own.
///
/// The orchestrator feeds it inputs — ``start(id:definition:input:now:)``, participant
/// replies (``handle(_:definition:now:random:)``), timers (``tick(definition:now:random:)``),
/// review decisions — and gets back a ``SagaTransition``: events to persist with the new
/// state, commands to send afterwards. Time and randomness come in as arguments, so every
/// transition can be tested without a broker or a real clock.
///
/// The whole state is what `saga-state` stores per saga id (a compacted topic keeps only
/// the latest record per key, so each record must be complete on its own).
public struct SagaState: Sendable, Hashable, Codable {
    public let id: String
    public let definitionName: String
    public private(set) var input: [String: String]
    /// Values replies added (authorization ids, risk decisions...).
    public private(set) var context: [String: String] = [:]
    public private(set) var status: SagaStatus
    /// Bumped by every transition; the saga-state record's aggregate version.
    public private(set) var version: Int64 = 0
    /// Indexes of the steps whose action succeeded and is not yet compensated, in order.
    public private(set) var completedSteps: [Int] = []
    public private(set) var pending: SagaPendingCommand?
    public private(set) var startedAt: Date
    public private(set) var updatedAt: Date
    public private(set) var finishedAt: Date?
    /// Why the saga is compensating, compensated or failed.
    public private(set) var failureReason: String?
    /// Why a review was asked for.
    public private(set) var reviewReason: String?
    /// Time spent awaiting review, which the saga deadline does not count.
    public private(set) var pausedSeconds: Double = 0
    private var pausedAt: Date?

    /// A new saga; the transition sends its first command.
    public static func start(id: String, definition: SagaDefinition, input: [String: String], now: Date) -> (SagaState, SagaTransition) {
        var state = SagaState(id: id, definitionName: definition.name, input: input, status: .running, startedAt: now, updatedAt: now)
        var transition = SagaTransition(events: [.started])
        state.send(step: 0, kind: .action, attempt: 1, firstSentAt: now, definition: definition, now: now, into: &transition)
        state.commit(&transition, now: now)
        return (state, transition)
    }

    /// Applies a participant's reply. A reply that is not for the command in flight (a
    /// repeat, a late answer to an earlier attempt) changes nothing.
    public mutating func handle(_ reply: SagaReply, definition: SagaDefinition, now: Date, random: inout some RandomNumberGenerator) -> SagaTransition {
        guard status.isInFlight, let pending, pending.sentAt != nil,
              reply.kind == pending.kind, reply.attempt == pending.attempt,
              reply.idempotencyKey == SagaCommand.idempotencyKey(sagaID: id, step: definition.steps[pending.step].name, kind: pending.kind)
        else { return SagaTransition() }
        let step = definition.steps[pending.step]
        var transition = SagaTransition()
        switch (pending.kind, reply.outcome) {
        case (.action, .succeeded):
            context.merge(reply.data) { _, new in new }
            completedSteps.append(pending.step)
            transition.events.append(.stepSucceeded(step: step.name))
            self.pending = nil
            advance(after: pending.step, definition: definition, now: now, into: &transition)
        case (.action, .reviewRequired):
            context.merge(reply.data) { _, new in new }
            completedSteps.append(pending.step)
            let reason = reply.reason ?? "manual review required"
            transition.events.append(.reviewRequested(step: step.name, reason: reason))
            self.pending = nil
            status = .awaitingReview
            reviewReason = reason
            pausedAt = now
        case (.action, .rejected):
            // A definite no: the participant recorded it and will never apply this key.
            context.merge(reply.data) { _, new in new }
            transition.events.append(.stepFailed(step: step.name, reason: reply.reason ?? "rejected"))
            self.pending = nil
            compensate(reason: "\(step.name) rejected: \(reply.reason ?? "no reason given")", definition: definition, now: now, into: &transition)
        case (.action, .transientFailure), (.compensation, .transientFailure):
            attemptFailed(reason: reply.reason ?? "transient failure", timedOut: false, definition: definition, now: now, random: &random, into: &transition)
        case (.compensation, .succeeded), (.compensation, .reviewRequired):
            completedSteps.removeAll { $0 == pending.step }
            transition.events.append(.compensationSucceeded(step: step.name))
            self.pending = nil
            compensateNext(definition: definition, now: now, into: &transition)
        case (.compensation, .rejected):
            // Retrying cannot help and giving up silently would leave money half-moved:
            // stop, visibly, for an operator.
            let reason = "compensation of \(step.name) refused: \(reply.reason ?? "no reason given")"
            transition.events.append(.failed(reason: reason))
            self.pending = nil
            status = .failed
            failureReason = reason
            finishedAt = now
        }
        commit(&transition, now: now)
        return transition
    }

    /// Fires what is due at `now`: a retry whose backoff ended, an attempt whose reply did
    /// not come in time, a step or saga deadline.
    public mutating func tick(definition: SagaDefinition, now: Date, random: inout some RandomNumberGenerator) -> SagaTransition {
        guard status.isInFlight, let pending else { return SagaTransition() }
        let step = definition.steps[pending.step]
        var transition = SagaTransition()
        if status == .running, pending.kind == .action {
            let sagaDeadline = startedAt + definition.deadline + .milliseconds(Int64(pausedSeconds * 1000))
            if now >= pending.firstSentAt + step.deadline || now >= sagaDeadline {
                let reason = now >= sagaDeadline ? "saga deadline exceeded" : "step deadline exceeded"
                transition.events.append(.stepFailed(step: step.name, reason: reason))
                // The last attempt may have been applied without its reply arriving: undo it too
                // (the participant treats undoing what it never did as done, and fences the key).
                if pending.sentAt != nil || pending.outcomeUnknown { completedSteps.append(pending.step) }
                self.pending = nil
                compensate(reason: "\(step.name): \(reason)", definition: definition, now: now, into: &transition)
                commit(&transition, now: now)
                return transition
            }
        }
        if let retryAt = pending.retryAt, now >= retryAt {
            send(step: pending.step, kind: pending.kind, attempt: pending.attempt, firstSentAt: pending.firstSentAt, definition: definition, now: now, into: &transition)
        } else if let replyDeadline = pending.replyDeadline, now >= replyDeadline {
            attemptFailed(reason: "no reply within \(step.attemptTimeout)", timedOut: true, definition: definition, now: now, random: &random, into: &transition)
        }
        commit(&transition, now: now)
        return transition
    }

    /// Records a person's decision on a saga awaiting review: continue, or compensate.
    public mutating func resolveReview(approved: Bool, reviewer: String, definition: SagaDefinition, now: Date) -> SagaTransition {
        guard status == .awaitingReview else { return SagaTransition() }
        var transition = SagaTransition(events: [.reviewResolved(approved: approved, reviewer: reviewer)])
        if let pausedAt { pausedSeconds += now.timeIntervalSince(pausedAt) }
        pausedAt = nil
        status = .running
        if approved {
            advance(after: completedSteps.last ?? -1, definition: definition, now: now, into: &transition)
        } else {
            compensate(reason: "rejected in manual review by \(reviewer)", definition: definition, now: now, into: &transition)
        }
        commit(&transition, now: now)
        return transition
    }

    /// After a restart: sends the command in flight again, with the same idempotency key
    /// and attempt (its reply may have been lost with the previous process), and gives it a
    /// fresh reply timeout — the downtime is not the participant's fault. The step and saga
    /// deadlines keep counting from when they started.
    public mutating func resume(definition: SagaDefinition, now: Date) -> SagaTransition {
        guard status.isInFlight, var pending, pending.sentAt != nil else { return SagaTransition() }
        pending.sentAt = now
        pending.replyDeadline = now + definition.steps[pending.step].attemptTimeout
        self.pending = pending
        var transition = SagaTransition(events: [.commandSent(step: definition.steps[pending.step].name, kind: pending.kind, attempt: pending.attempt)])
        transition.commands = [command(step: pending.step, kind: pending.kind, attempt: pending.attempt, definition: definition)]
        commit(&transition, now: now)
        return transition
    }

    /// When ``tick(definition:now:random:)`` next has something to do; nil when only a
    /// reply or a review can move the saga.
    public func nextWakeUp(definition: SagaDefinition) -> Date? {
        guard status.isInFlight, let pending else { return nil }
        var times = [pending.retryAt, pending.replyDeadline].compactMap { $0 }
        if status == .running, pending.kind == .action {
            times.append(pending.firstSentAt + definition.steps[pending.step].deadline)
            times.append(startedAt + definition.deadline + .milliseconds(Int64(pausedSeconds * 1000)))
        }
        return times.min()
    }

    // MARK: - Transitions

    private mutating func advance(after step: Int, definition: SagaDefinition, now: Date, into transition: inout SagaTransition) {
        let next = step + 1
        if next == definition.steps.count {
            status = .completed
            finishedAt = now
            transition.events.append(.completed)
        } else {
            send(step: next, kind: .action, attempt: 1, firstSentAt: now, definition: definition, now: now, into: &transition)
        }
    }

    private mutating func attemptFailed(reason: String, timedOut: Bool, definition: SagaDefinition, now: Date, random: inout some RandomNumberGenerator, into transition: inout SagaTransition) {
        guard var pending else { return }
        // A reply (even a failure) means the participant has seen every earlier attempt of
        // this key, in order, and applied none of them.
        pending.outcomeUnknown = timedOut
        let step = definition.steps[pending.step]
        let policy = pending.kind == .action ? step.retry : definition.compensationRetry
        if pending.kind == .action, pending.attempt >= policy.maxAttempts {
            transition.events.append(.stepFailed(step: step.name, reason: "\(pending.attempt) attempts failed, last: \(reason)"))
            // A timed-out last attempt may have been applied after all.
            if timedOut { completedSteps.append(pending.step) }
            self.pending = nil
            compensate(reason: "\(step.name) failed after \(pending.attempt) attempts: \(reason)", definition: definition, now: now, into: &transition)
            return
        }
        let retryAt = now + policy.delay(afterAttempt: pending.attempt, using: &random)
        transition.events.append(.attemptFailed(step: step.name, kind: pending.kind, attempt: pending.attempt, reason: reason, retryAt: retryAt))
        pending.attempt += 1
        pending.sentAt = nil
        pending.replyDeadline = nil
        pending.retryAt = retryAt
        pending.lastError = reason
        self.pending = pending
    }

    private mutating func compensate(reason: String, definition: SagaDefinition, now: Date, into transition: inout SagaTransition) {
        status = .compensating
        failureReason = reason
        transition.events.append(.compensationStarted(reason: reason))
        compensateNext(definition: definition, now: now, into: &transition)
    }

    /// Undoes the latest completed step that has a compensation; steps without one are done.
    private mutating func compensateNext(definition: SagaDefinition, now: Date, into transition: inout SagaTransition) {
        while let last = completedSteps.last, definition.steps[last].compensation == nil {
            completedSteps.removeLast()
        }
        guard let last = completedSteps.last else {
            status = .compensated
            finishedAt = now
            transition.events.append(.compensated)
            return
        }
        send(step: last, kind: .compensation, attempt: 1, firstSentAt: now, definition: definition, now: now, into: &transition)
    }

    private mutating func send(step: Int, kind: SagaCommandKind, attempt: Int, firstSentAt: Date, definition: SagaDefinition, now: Date, into transition: inout SagaTransition) {
        pending = SagaPendingCommand(
            step: step, kind: kind, attempt: attempt, firstSentAt: firstSentAt,
            sentAt: now, replyDeadline: now + definition.steps[step].attemptTimeout, retryAt: nil, lastError: pending?.lastError,
            outcomeUnknown: pending.map { $0.step == step && $0.kind == kind && $0.outcomeUnknown } ?? false)
        transition.events.append(.commandSent(step: definition.steps[step].name, kind: kind, attempt: attempt))
        transition.commands.append(command(step: step, kind: kind, attempt: attempt, definition: definition))
    }

    private func command(step index: Int, kind: SagaCommandKind, attempt: Int, definition: SagaDefinition) -> SagaCommand {
        let step = definition.steps[index]
        return SagaCommand(
            sagaID: id, sagaName: definitionName, step: step.name, kind: kind,
            name: kind == .action ? step.action : step.compensation ?? step.action,
            participant: step.participant,
            idempotencyKey: SagaCommand.idempotencyKey(sagaID: id, step: step.name, kind: kind),
            compensates: kind == .compensation ? SagaCommand.idempotencyKey(sagaID: id, step: step.name, kind: .action) : nil,
            attempt: attempt,
            payload: input.merging(context) { _, new in new })
    }

    private mutating func commit(_ transition: inout SagaTransition, now: Date) {
        guard !transition.isEmpty else { return }
        version += 1
        updatedAt = now
    }
}
