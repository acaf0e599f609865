/// An amount of money: integer minor units (öre, cents) and an ISO 4217 currency code.
/// Never a floating-point number.
public struct Money: Sendable, Hashable, Codable, CustomStringConvertible {
    public var minorUnits: Int64
    public var currency: String

    public init(minorUnits: Int64, currency: String) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Whole units of a currency with two decimals (SEK, EUR...).
    public static func major(_ units: Int64, _ currency: String) -> Money {
        Money(minorUnits: units * 100, currency: currency)
    }

    /// Three upper-case ASCII letters, as ISO 4217 alphabetic codes are.
    public static func isCurrencyCode(_ code: String) -> Bool {
        code.utf8.count == 3 && code.utf8.allSatisfy { (65...90).contains($0) }
    }

    public var description: String {
        let sign = minorUnits < 0 ? "-" : ""
        let magnitude = minorUnits.magnitude
        let cents = magnitude % 100
        return "\(sign)\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents) \(currency)"
    }
}
