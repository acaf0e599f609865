import Foundation
import Sagas

/// The demo's payments, the same for the same run id (so a run killed half-way and started
/// again with its `--run-id` continues the same payments instead of starting new ones).
///
/// Mostly everyday amounts; about 5% of 50,000 SEK or more (manual review), 3% large enough
/// to run some payers into the daily limit, 2% in a currency the service does not take.
struct DemoPaymentGenerator {
    let runID: String
    /// All payments of a run fall on one day, so daily limits bite.
    static let day = Date(timeIntervalSince1970: 1_768_478_400)  // 2026-01-15T12:00Z

    func requests(count: Int) -> [PaymentRequest] {
        var random = SplitMix64(seed: Self.seed(runID))
        let payers = (0..<25).map { StableUUID.make("\(runID)/payer/\($0)") }
        let payees = (0..<10).map { StableUUID.make("\(runID)/payee/\($0)") }
        return (0..<count).map { index in
            let roll = Int.random(in: 0..<100, using: &random)
            let sek: Int64 = switch roll {
            case 0..<90: Int64.random(in: 100...20_000, using: &random)
            case 90..<95: Int64.random(in: 50_000...120_000, using: &random)
            default: Int64.random(in: 300_000...600_000, using: &random)
            }
            let ore = Int64.random(in: 0...99, using: &random)
            let currency = roll >= 98 ? "EUR" : "SEK"
            return PaymentRequest(
                paymentID: StableUUID.make("\(runID)/payment/\(index)"),
                payerID: payers[Int.random(in: 0..<payers.count, using: &random)],
                payeeID: payees[Int.random(in: 0..<payees.count, using: &random)],
                amount: Money(minorUnits: sek * 100 + ore, currency: currency),
                requestedAt: Self.day.addingTimeInterval(Double(index)))
        }
    }

    static func seed(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }
}
