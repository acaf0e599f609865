import Foundation

/// The payments participant of the demo: validation, risk assessment, reservations,
/// authorizations and captures on payer accounts, all in integer minor units.
///
/// Pure (``SagaParticipantLogic``): ``SagaParticipant`` makes it idempotent and durable.
public struct SimulatedPaymentService: SagaParticipantLogic {
    public var riskPolicy: PaymentRiskPolicy
    /// Money each payer starts with, per currency code.
    public var openingBalance: Int64
    /// Currencies this service accepts.
    public var currencies: Set<String> = ["SEK"]

    /// Moved money by payer (negative: paid out).
    public private(set) var balances: [String: Int64] = [:]
    public private(set) var reservations: [String: Int64] = [:]
    public private(set) var authorizations: [String: Int64] = [:]
    /// Captured and not refunded, by payment id.
    public private(set) var captures: [String: Money] = [:]
    public private(set) var refunds: [String: Money] = [:]
    /// Assessed (approved or in review) amounts per payer per UTC day `payer/yyyy-mm-dd` and month `payer/yyyy-mm`.
    private var spent: [String: Int64] = [:]
    private var reservedByPayer: [String: Int64] = [:]

    public init(riskPolicy: PaymentRiskPolicy = PaymentRiskPolicy(), openingBalance: Int64 = Money.major(50_000_000, "SEK").minorUnits) {
        self.riskPolicy = riskPolicy
        self.openingBalance = openingBalance
    }

    public func decide(_ command: SagaCommand) -> ParticipantDecision {
        let payment: PaymentRequest
        do {
            payment = try PaymentRequest(payload: command.payload)
        } catch {
            return ParticipantDecision(.rejected, reason: "\(error)")
        }
        let id = payment.paymentID
        let amount = payment.amount.minorUnits
        switch command.name {
        case PaymentSaga.Command.validate:
            if amount <= 0 { return ParticipantDecision(.rejected, reason: "amount must be positive") }
            if !Money.isCurrencyCode(payment.amount.currency) { return ParticipantDecision(.rejected, reason: "'\(payment.amount.currency)' is not an ISO 4217 code") }
            if !currencies.contains(payment.amount.currency) { return ParticipantDecision(.rejected, reason: "currency \(payment.amount.currency) not supported") }
            if payment.payerID == payment.payeeID { return ParticipantDecision(.rejected, reason: "payer and payee are the same") }
            return ParticipantDecision(.succeeded)
        case PaymentSaga.Command.assessRisk:
            let (day, month) = Self.periods(payment)
            let assessment = riskPolicy.assess(amount: amount, spentToday: spent[day, default: 0], spentThisMonth: spent[month, default: 0])
            let data = [
                RiskKey.assessmentID: UUID().uuidString.lowercased(), RiskKey.decision: assessment.decision.rawValue,
                RiskKey.score: String(assessment.score), RiskKey.reasons: assessment.reasons.joined(separator: ","),
            ]
            switch assessment.decision {
            case .approve: return ParticipantDecision(.succeeded, data: data)
            case .review: return ParticipantDecision(.reviewRequired, reason: "amount \(payment.amount) at or above the review threshold", data: data)
            case .decline: return ParticipantDecision(.rejected, reason: "declined: \(assessment.reasons.joined(separator: ","))", data: data)
            }
        case PaymentSaga.Command.reserveFunds:
            let available = openingBalance + balances[payment.payerID, default: 0] - reservedBy(payment.payerID)
            if available < amount { return ParticipantDecision(.rejected, reason: "insufficient funds") }
            return ParticipantDecision(.succeeded, data: ["reservation-id": "res-\(id)"])
        case PaymentSaga.Command.authorize:
            if reservations[id] == nil { return ParticipantDecision(.rejected, reason: "no reservation") }
            return ParticipantDecision(.succeeded, data: ["authorization-id": "auth-\(id)"])
        case PaymentSaga.Command.capture:
            if authorizations[id] == nil { return ParticipantDecision(.rejected, reason: "not authorized") }
            return ParticipantDecision(.succeeded, data: ["capture-id": "cap-\(id)"])
        case PaymentSaga.Command.releaseReservation, PaymentSaga.Command.voidAuthorization, PaymentSaga.Command.refundCapture:
            return ParticipantDecision(.succeeded)
        default:
            return ParticipantDecision(.rejected, reason: "unknown command \(command.name)")
        }
    }

    public mutating func apply(_ record: ParticipantRecord) {
        guard record.outcome == .succeeded || record.outcome == .reviewRequired,
              let payment = try? PaymentRequest(payload: record.command.payload) else { return }
        let id = payment.paymentID
        let amount = payment.amount.minorUnits
        switch record.command.name {
        case PaymentSaga.Command.assessRisk:
            let (day, month) = Self.periods(payment)
            spent[day, default: 0] += amount
            spent[month, default: 0] += amount
        case PaymentSaga.Command.reserveFunds:
            reservations[id] = amount
            reservedByPayer[payment.payerID, default: 0] += amount
        case PaymentSaga.Command.releaseReservation:
            if let reserved = reservations.removeValue(forKey: id) { reservedByPayer[payment.payerID, default: 0] -= reserved }
        case PaymentSaga.Command.authorize:
            authorizations[id] = amount
        case PaymentSaga.Command.voidAuthorization:
            authorizations[id] = nil
        case PaymentSaga.Command.capture:
            // The reserved money leaves the account.
            if let reserved = reservations.removeValue(forKey: id) { reservedByPayer[payment.payerID, default: 0] -= reserved }
            authorizations[id] = nil
            balances[payment.payerID, default: 0] -= amount
            captures[id] = payment.amount
        case PaymentSaga.Command.refundCapture where record.undidAction == true:
            if captures.removeValue(forKey: id) != nil {
                balances[payment.payerID, default: 0] += amount
                refunds[id] = payment.amount
            }
        default:
            break
        }
    }

    private func reservedBy(_ payer: String) -> Int64 { reservedByPayer[payer, default: 0] }

    static func periods(_ payment: PaymentRequest) -> (day: String, month: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: payment.requestedAt)
        let month = "\(payment.payerID)/\(parts.year ?? 0)-\(parts.month ?? 0)"
        return ("\(month)-\(parts.day ?? 0)", month)
    }

    /// Keys of the risk data a reply carries.
    public enum RiskKey {
        public static let assessmentID = "risk-assessment-id"
        public static let decision = "risk-decision"
        public static let score = "risk-score"
        public static let reasons = "risk-reasons"
    }
}
