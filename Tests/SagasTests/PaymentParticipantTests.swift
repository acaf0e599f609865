import Foundation
import Testing
@testable import Sagas

/// The payment participants' domain logic, without a broker.
@Suite struct PaymentParticipantTests {
    let day = Date(timeIntervalSince1970: 1_768_478_400)  // 2026-01-15T12:00Z

    func command(_ name: String, step: String, kind: SagaCommandKind = .action, sek: Int64, payer: String = "payer", id: String = "p1", at: Date? = nil) -> SagaCommand {
        let request = PaymentRequest(paymentID: id, payerID: payer, payeeID: "payee", amount: .major(sek, "SEK"), requestedAt: at ?? day)
        return SagaCommand(
            sagaID: id, sagaName: PaymentSaga.name, step: step, kind: kind, name: name, participant: PaymentSaga.paymentsTopic,
            idempotencyKey: SagaCommand.idempotencyKey(sagaID: id, step: step, kind: kind), compensates: nil, attempt: 1, payload: request.sagaInput)
    }

    /// Decides and applies, as the participant runner does.
    func run(_ service: inout SimulatedPaymentService, _ command: SagaCommand, undid: Bool? = nil) -> ParticipantDecision {
        let decision = service.decide(command)
        service.apply(ParticipantRecord(command: command, outcome: decision.outcome, reason: decision.reason, data: decision.data, undidAction: undid))
        return decision
    }

    @Test func riskPolicyLimitsAndReviewThreshold() {
        let policy = PaymentRiskPolicy()
        #expect(policy.assess(amount: Money.major(49_999, "SEK").minorUnits, spentToday: 0, spentThisMonth: 0).decision == .approve)
        #expect(policy.assess(amount: Money.major(50_000, "SEK").minorUnits, spentToday: 0, spentThisMonth: 0).decision == .review)
        #expect(policy.assess(amount: Money.major(1, "SEK").minorUnits, spentToday: Money.major(1_000_000, "SEK").minorUnits, spentThisMonth: 0).reasons == ["DAILY_LIMIT"])
        #expect(policy.assess(amount: Money.major(1_000_000, "SEK").minorUnits, spentToday: 0, spentThisMonth: 0).decision == .review)
        #expect(policy.assess(amount: Money.major(1, "SEK").minorUnits, spentToday: 0, spentThisMonth: Money.major(10_000_000, "SEK").minorUnits).reasons == ["MONTHLY_LIMIT"])
    }

    @Test func dailyLimitCountsEarlierAssessmentsOfTheSamePayerAndDay() {
        var service = SimulatedPaymentService()
        for index in 0..<20 {
            #expect(run(&service, command(PaymentSaga.Command.assessRisk, step: "assess-risk", sek: 49_000, id: "a\(index)")).outcome == .succeeded)
        }
        // 980,000 SEK assessed today: 30,000 more is over the daily limit...
        let over = run(&service, command(PaymentSaga.Command.assessRisk, step: "assess-risk", sek: 30_000, id: "b"))
        #expect(over.outcome == .rejected)
        #expect(over.data[SimulatedPaymentService.RiskKey.reasons] == "DAILY_LIMIT")
        // ...but not for another payer, nor the next day.
        #expect(run(&service, command(PaymentSaga.Command.assessRisk, step: "assess-risk", sek: 30_000, payer: "other", id: "c")).outcome == .succeeded)
        #expect(run(&service, command(PaymentSaga.Command.assessRisk, step: "assess-risk", sek: 30_000, id: "d", at: day.addingTimeInterval(86_400))).outcome == .succeeded)
    }

    @Test func validationRejectsBadPayments() {
        let service = SimulatedPaymentService()
        var eur = command(PaymentSaga.Command.validate, step: "validate", sek: 10)
        eur.payload[PaymentRequest.Key.currency] = "EUR"
        #expect(service.decide(eur).outcome == .rejected)
        var lower = eur
        lower.payload[PaymentRequest.Key.currency] = "sek"
        #expect(service.decide(lower).reason == "'sek' is not an ISO 4217 code")
        #expect(service.decide(command(PaymentSaga.Command.validate, step: "validate", sek: 0)).outcome == .rejected)
        var fractional = command(PaymentSaga.Command.validate, step: "validate", sek: 10)
        fractional.payload[PaymentRequest.Key.amountMinor] = "10.5"
        #expect(service.decide(fractional).reason == "payment field 'amount-minor': not an integer")
    }

    @Test func captureAndRefundMoveMoneyExactlyOnce() {
        var service = SimulatedPaymentService(openingBalance: Money.major(1_000, "SEK").minorUnits)
        #expect(run(&service, command(PaymentSaga.Command.reserveFunds, step: "reserve-funds", sek: 600)).outcome == .succeeded)
        // The reservation holds 600 of 1,000 SEK: another 600 does not fit.
        #expect(service.decide(command(PaymentSaga.Command.reserveFunds, step: "reserve-funds", sek: 600, id: "p2")).reason == "insufficient funds")
        #expect(run(&service, command(PaymentSaga.Command.authorize, step: "authorize", sek: 600)).outcome == .succeeded)
        #expect(run(&service, command(PaymentSaga.Command.capture, step: "capture", sek: 600)).outcome == .succeeded)
        #expect(service.balances["payer"] == -60_000)
        #expect(service.captures["p1"] == .major(600, "SEK"))
        #expect(run(&service, command(PaymentSaga.Command.refundCapture, step: "capture", kind: .compensation, sek: 600), undid: true).outcome == .succeeded)
        #expect(service.balances["payer"] == 0)
        #expect(service.captures.isEmpty)
        #expect(service.refunds["p1"] == .major(600, "SEK"))
    }

    @Test func ledgerPostingsBalance() {
        var ledger = SimulatedLedger()
        var post = command(PaymentSaga.Command.postToLedger, step: "post-to-ledger", sek: 250)
        post.participant = PaymentSaga.ledgerTopic
        let decision = ledger.decide(post)
        ledger.apply(ParticipantRecord(command: post, outcome: decision.outcome, reason: nil, data: decision.data))
        #expect(ledger.balances == ["payer/SEK": -25_000, "payee/SEK": 25_000])
        #expect(ledger.postings["p1"] == .major(250, "SEK"))
    }

    @Test func moneyIsIntegerMinorUnits() {
        #expect(Money.major(1_000_000, "SEK").minorUnits == 100_000_000)
        #expect(Money(minorUnits: -105, currency: "SEK").description == "-1.05 SEK")
        #expect(Money.isCurrencyCode("SEK") && !Money.isCurrencyCode("SE") && !Money.isCurrencyCode("sek"))
    }
}
