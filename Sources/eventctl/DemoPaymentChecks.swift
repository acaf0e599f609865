import Foundation
import Logging
import Sagas

/// The demo's invariants, checked from what the broker holds (not from memory, so they hold
/// across orchestrator crashes): every saga ended completed, compensated or awaiting review;
/// no participant applied a command twice; exactly the completed payments' money moved.
struct DemoPaymentChecks {
    var violations: [String] = []
    var paymentsApplied = 0
    var ledgerApplied = 0
    /// Money captured and posted, per currency (minor units).
    var moved: [String: Int64] = [:]
    var postings = 0

    static let paymentsLog = "payments-applied"
    static let ledgerLog = "ledger-applied"

    static func run(bootstrapServers: [String], requests: [PaymentRequest], logger: Logger) async throws -> DemoPaymentChecks {
        var checks = DemoPaymentChecks()
        let states = Dictionary(uniqueKeysWithValues: try await SagaLogReader.sagas(bootstrapServers: bootstrapServers, logger: logger).map { ($0.id, $0) })
        for request in requests {
            guard let state = states[request.paymentID] else {
                checks.violations.append("saga \(request.paymentID) is missing from saga-state")
                continue
            }
            if ![.completed, .compensated, .awaitingReview].contains(state.status) {
                checks.violations.append("saga \(state.id) ended \(state.status.rawValue): \(state.failureReason ?? "")")
            }
        }

        let paymentRecords = try await SagaLogReader.participantRecords(bootstrapServers: bootstrapServers, topic: paymentsLog, logger: logger)
        let ledgerRecords = try await SagaLogReader.participantRecords(bootstrapServers: bootstrapServers, topic: ledgerLog, logger: logger)
        checks.paymentsApplied = paymentRecords.count
        checks.ledgerApplied = ledgerRecords.count
        for (key, count) in Dictionary(grouping: paymentRecords + ledgerRecords, by: \.idempotencyKey).mapValues(\.count) where count > 1 {
            checks.violations.append("command \(key) applied \(count) times")
        }
        var service = SimulatedPaymentService()
        for record in paymentRecords { service.apply(record) }
        var ledger = SimulatedLedger()
        for record in ledgerRecords { ledger.apply(record) }

        // Every payment saga the participants ever served, this run's and earlier ones'.
        var expected: [String: Int64] = [:]
        for state in states.values where state.definitionName == PaymentSaga.name {
            guard let payment = try? PaymentRequest(payload: state.input) else { continue }
            let captured = service.captures[state.id]
            let posted = ledger.postings[state.id]
            if state.status == .completed {
                expected[payment.amount.currency, default: 0] += payment.amount.minorUnits
                if captured != payment.amount || posted != payment.amount {
                    checks.violations.append("completed payment \(state.id) of \(payment.amount): captured \(captured?.description ?? "nothing"), posted \(posted?.description ?? "nothing")")
                }
            } else if captured != nil || posted != nil {
                checks.violations.append("\(state.status.rawValue) payment \(state.id): captured \(captured?.description ?? "nothing"), posted \(posted?.description ?? "nothing")")
            }
        }
        for id in Set(service.captures.keys).union(ledger.postings.keys) where states[id] == nil {
            checks.violations.append("money moved for \(id), which is no saga")
        }
        var total: [String: Int64] = [:]
        for (account, balance) in ledger.balances {
            total[String(account.split(separator: "/").last ?? ""), default: 0] += balance
        }
        for (currency, sum) in total where sum != 0 {
            checks.violations.append("ledger balances in \(currency) sum to \(sum), not 0")
        }
        let postedTotal = ledger.postings.values.reduce(into: [String: Int64]()) { $0[$1.currency, default: 0] += $1.minorUnits }
        let capturedTotal = service.captures.values.reduce(into: [String: Int64]()) { $0[$1.currency, default: 0] += $1.minorUnits }
        if postedTotal != expected || capturedTotal != expected {
            checks.violations.append("money moved: completed payments \(expected), captured \(capturedTotal), posted \(postedTotal)")
        }
        // Payees are only ever credited: their balances are the money that moved.
        let payeeTotal = ledger.balances.filter { $0.value > 0 }.reduce(into: [String: Int64]()) { $0[String($1.key.split(separator: "/").last ?? ""), default: 0] += $1.value }
        if payeeTotal.filter({ $0.value != 0 }) != expected.filter({ $0.value != 0 }) {
            checks.violations.append("payee balances \(payeeTotal) differ from completed payments \(expected)")
        }
        checks.moved = expected
        checks.postings = ledger.postings.count
        return checks
    }
}
