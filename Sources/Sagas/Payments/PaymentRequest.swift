import Foundation

/// The input of a payment saga: who pays whom how much.
public struct PaymentRequest: Sendable, Hashable {
    /// A UUID; also the saga id.
    public var paymentID: String
    /// The payer's customer id (a UUID); limits are per payer.
    public var payerID: String
    public var payeeID: String
    public var amount: Money
    /// When it was requested; decides the day and month its limits count against.
    public var requestedAt: Date

    public init(paymentID: String, payerID: String, payeeID: String, amount: Money, requestedAt: Date) {
        self.paymentID = paymentID
        self.payerID = payerID
        self.payeeID = payeeID
        self.amount = amount
        self.requestedAt = requestedAt
    }

    /// As saga input (strings, so that it survives JSON unchanged; amounts stay integers).
    public var sagaInput: [String: String] {
        [
            Key.paymentID: paymentID, Key.payerID: payerID, Key.payeeID: payeeID,
            Key.amountMinor: String(amount.minorUnits), Key.currency: amount.currency,
            Key.requestedAtMs: String(Int64((requestedAt.timeIntervalSince1970 * 1000).rounded())),
        ]
    }

    /// Reads a request back from a command payload; nil names the first field that is missing or malformed.
    public init(payload: [String: String]) throws(PaymentRequestError) {
        func field(_ key: String) throws(PaymentRequestError) -> String {
            guard let value = payload[key], !value.isEmpty else { throw PaymentRequestError(field: key, problem: "missing") }
            return value
        }
        guard let minor = Int64(try field(Key.amountMinor)) else { throw PaymentRequestError(field: Key.amountMinor, problem: "not an integer") }
        guard let millis = Int64(try field(Key.requestedAtMs)) else { throw PaymentRequestError(field: Key.requestedAtMs, problem: "not an integer") }
        self.init(
            paymentID: try field(Key.paymentID), payerID: try field(Key.payerID), payeeID: try field(Key.payeeID),
            amount: Money(minorUnits: minor, currency: try field(Key.currency)),
            requestedAt: Date(timeIntervalSince1970: Double(millis) / 1000))
    }

    /// Payload keys.
    public enum Key {
        public static let paymentID = "payment-id"
        public static let payerID = "payer-id"
        public static let payeeID = "payee-id"
        public static let amountMinor = "amount-minor"
        public static let currency = "currency"
        public static let requestedAtMs = "requested-at-ms"
    }
}

/// A payment command whose payload lacks a field or has a malformed one.
public struct PaymentRequestError: Error, Hashable, CustomStringConvertible {
    public var field: String
    public var problem: String
    public var description: String { "payment field '\(field)': \(problem)" }
}
