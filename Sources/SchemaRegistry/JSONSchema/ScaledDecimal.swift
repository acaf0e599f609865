import Foundation

/// An exact decimal (`digits × 10^-scale`) for `multipleOf` arithmetic, the part of
/// Java's `BigDecimal` the diff needs. Values beyond 38 digits fall back to `nil`.
struct ScaledDecimal {
    var digits: Decimal
    var scale: Int

    init?(_ value: JSONValue) {
        guard case .number(_, let literal) = value, let d = Decimal(string: literal) else { return nil }
        var scale = 0
        var scaled = d
        // Scale up until integral (bounded: at most 38 significant digits).
        while scale < 40 {
            var rounded = Decimal()
            var copy = scaled
            NSDecimalRound(&rounded, &copy, 0, .plain)
            if rounded == scaled { break }
            scaled *= 10
            scale += 1
        }
        digits = scaled
        self.scale = scale
    }

    var isZero: Bool { digits == 0 }

    func isEqual(to other: ScaledDecimal) -> Bool {
        let (a, b) = aligned(with: other)
        return a == b
    }

    /// Whether `self` is an integer multiple of `other` (`self % other == 0`).
    func isMultiple(of other: ScaledDecimal) -> Bool {
        let (a, b) = aligned(with: other)
        guard b != 0 else { return false }
        var quotient = a / b
        var rounded = Decimal()
        NSDecimalRound(&rounded, &quotient, 0, .down)
        return rounded * b == a
    }

    private func aligned(with other: ScaledDecimal) -> (Decimal, Decimal) {
        var a = digits
        var b = other.digits
        for _ in 0..<max(0, other.scale - scale) { a *= 10 }
        for _ in 0..<max(0, scale - other.scale) { b *= 10 }
        return (a, b)
    }
}
