import Foundation
import Sagas

/// What `demo payments` prints: sagas by outcome and their durations.
struct DemoPaymentSummary {
    let runID: String
    let states: [SagaState]
    let begunNow: Int
    var repeatsAnswered = 0
    var simulatedFailures = 0
    var checks: DemoPaymentChecks?
    var auditVerified: Bool?
    var violations: [String] = []

    func count(_ status: SagaStatus) -> Int { states.filter { $0.status == status }.count }

    /// Start to end of the sagas that ended (awaiting review has not), in milliseconds.
    var durationsMs: [Int] {
        states.compactMap { state in state.finishedAt.map { Int(($0.timeIntervalSince(state.startedAt) * 1000).rounded()) } }.sorted()
    }

    /// Nearest-rank percentile.
    func percentile(_ p: Double) -> Int? {
        let sorted = durationsMs
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[max(0, min(sorted.count - 1, rank - 1))]
    }

    func printLines() {
        AuditConsole.out("payments: \(states.count) (run \(runID), \(begunNow) started by this process)")
        AuditConsole.out("completed: \(count(.completed))")
        AuditConsole.out("compensated: \(count(.compensated))")
        AuditConsole.out("awaiting review: \(count(.awaitingReview))")
        AuditConsole.out("failed: \(count(.failed))")
        AuditConsole.out("saga duration p50: \(percentile(50).map { "\($0) ms" } ?? "-"), p99: \(percentile(99).map { "\($0) ms" } ?? "-")")
        AuditConsole.out("simulated participant failures: \(simulatedFailures); repeated commands answered from the record: \(repeatsAnswered)")
    }

    func json() -> String {
        var object: [String: Any] = [
            "run_id": runID, "payments": states.count, "started_now": begunNow,
            "completed": count(.completed), "compensated": count(.compensated),
            "awaiting_review": count(.awaitingReview), "failed": count(.failed),
            "running": count(.running) + count(.compensating),
            "p50_ms": percentile(50) ?? -1, "p99_ms": percentile(99) ?? -1,
            "simulated_failures": simulatedFailures, "repeats_answered": repeatsAnswered,
            "violations": violations,
        ]
        if let checks {
            object["payments_applied"] = checks.paymentsApplied
            object["ledger_applied"] = checks.ledgerApplied
            object["ledger_postings"] = checks.postings
            object["moved_minor"] = checks.moved
        }
        if let auditVerified { object["audit_verified"] = auditVerified }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
