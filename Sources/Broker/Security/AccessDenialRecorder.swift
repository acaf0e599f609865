import Foundation
import NIOConcurrencyHelpers

/// Writes denied operations to the compliance trail without letting a denied client flood it:
/// one event per principal, operation and resource per interval, and at most a few events per
/// second overall; what was held back is counted into the next event's notes.
final class AccessDenialRecorder: Sendable {
    struct Denial: Hashable {
        var principal: String
        var host: String
        var operation: String
        var subjectType: ComplianceEvent.SubjectType
        var subject: String
    }

    private struct State {
        var lastWritten: [Denial: Date] = [:]
        var suppressed = 0
        var windowStart = Date.distantPast
        var writtenInWindow = 0
    }

    private let trail: ComplianceTrail
    private let interval: TimeInterval
    private let maxPerSecond: Int
    private let maxTracked = 10_000
    private let state = NIOLockedValueBox(State())

    init(trail: ComplianceTrail, interval: TimeInterval, maxPerSecond: Int = 10) {
        self.trail = trail
        self.interval = interval
        self.maxPerSecond = maxPerSecond
    }

    func record(_ denial: Denial, api: String, now: Date = Date()) {
        let suppressedBefore: Int? = state.withLockedValue { state in
            if let last = state.lastWritten[denial], now.timeIntervalSince(last) < interval {
                state.suppressed += 1
                return nil
            }
            if now.timeIntervalSince(state.windowStart) >= 1 {
                state.windowStart = now
                state.writtenInWindow = 0
            }
            guard state.writtenInWindow < maxPerSecond else {
                state.suppressed += 1
                return nil
            }
            state.writtenInWindow += 1
            if state.lastWritten.count >= maxTracked { state.lastWritten.removeAll(keepingCapacity: true) }
            state.lastWritten[denial] = now
            defer { state.suppressed = 0 }
            return state.suppressed
        }
        guard let suppressedBefore else { return }
        var notes = "\(api): \(denial.principal) denied \(denial.operation) from \(denial.host)"
        if suppressedBefore > 0 { notes += " (\(suppressedBefore) similar denials not written separately)" }
        trail.record(ComplianceEvent(
            kind: .accessDenied, outcome: .blocked, subjectType: denial.subjectType, subjectID: denial.subject,
            notes: notes, occurredAt: Int64(now.timeIntervalSince1970 * 1000), actor: denial.principal))
    }
}
