/// Limits a payer's payments are assessed against (amounts in SEK minor units).
public struct PaymentRiskPolicy: Sendable, Hashable {
    public var currency = "SEK"
    /// Per payer and UTC day: 1,000,000 SEK.
    public var dailyLimit = Money.major(1_000_000, "SEK").minorUnits
    /// Per payer and UTC month: 10,000,000 SEK.
    public var monthlyLimit = Money.major(10_000_000, "SEK").minorUnits
    /// Amounts from 50,000 SEK up go to a person.
    public var reviewThreshold = Money.major(50_000, "SEK").minorUnits
    public var modelName = "payment-limits"
    public var modelVersion = "1"

    public init() {}

    public enum Decision: String, Sendable, Hashable {
        case approve = "APPROVE"
        case review = "REVIEW"
        case decline = "DECLINE"
    }

    public struct Assessment: Sendable, Hashable {
        public var decision: Decision
        /// 0 (no risk) to 1000.
        public var score: Int
        public var reasons: [String]
    }

    /// Assesses `amount` given what the payer already spent (approved or sent to review)
    /// this day and month.
    public func assess(amount: Int64, spentToday: Int64, spentThisMonth: Int64) -> Assessment {
        let score = Int(min(1000, amount / max(1, reviewThreshold / 1000)))
        if spentToday + amount > dailyLimit {
            return Assessment(decision: .decline, score: 1000, reasons: ["DAILY_LIMIT"])
        }
        if spentThisMonth + amount > monthlyLimit {
            return Assessment(decision: .decline, score: 1000, reasons: ["MONTHLY_LIMIT"])
        }
        if amount >= reviewThreshold {
            return Assessment(decision: .review, score: score, reasons: ["AMOUNT_AT_OR_ABOVE_REVIEW_THRESHOLD"])
        }
        return Assessment(decision: .approve, score: score, reasons: [])
    }
}
