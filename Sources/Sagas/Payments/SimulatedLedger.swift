/// The ledger participant of the demo: double-entry postings per account and currency.
///
/// Every posting debits the payer and credits the payee by the same amount, so the sum of
/// all balances per currency is always zero and the payees' credits are exactly the money
/// that moved.
public struct SimulatedLedger: SagaParticipantLogic {
    /// Balance per `account/currency`, in minor units.
    public private(set) var balances: [String: Int64] = [:]
    /// Posted and not reversed, by payment id.
    public private(set) var postings: [String: Money] = [:]

    public init() {}

    public func decide(_ command: SagaCommand) -> ParticipantDecision {
        do {
            let payment = try PaymentRequest(payload: command.payload)
            guard payment.amount.minorUnits > 0 else { return ParticipantDecision(.rejected, reason: "amount must be positive") }
            switch command.name {
            case PaymentSaga.Command.postToLedger: return ParticipantDecision(.succeeded, data: ["posting-id": "post-\(payment.paymentID)"])
            case PaymentSaga.Command.reversePosting: return ParticipantDecision(.succeeded)
            default: return ParticipantDecision(.rejected, reason: "unknown command \(command.name)")
            }
        } catch {
            return ParticipantDecision(.rejected, reason: "\(error)")
        }
    }

    public mutating func apply(_ record: ParticipantRecord) {
        guard record.outcome == .succeeded, let payment = try? PaymentRequest(payload: record.command.payload) else { return }
        let amount = payment.amount.minorUnits
        let payer = "\(payment.payerID)/\(payment.amount.currency)"
        let payee = "\(payment.payeeID)/\(payment.amount.currency)"
        switch record.command.name {
        case PaymentSaga.Command.postToLedger:
            balances[payer, default: 0] -= amount
            balances[payee, default: 0] += amount
            postings[payment.paymentID] = payment.amount
        case PaymentSaga.Command.reversePosting where record.undidAction == true:
            guard postings.removeValue(forKey: payment.paymentID) != nil else { return }
            balances[payer, default: 0] += amount
            balances[payee, default: 0] -= amount
        default:
            break
        }
    }
}
