/// Reads durations written as an integer and a unit: `500ms`, `30s`, `15m`,
/// `1h`, `1d`, `1w`, `7y`.
///
/// A bare integer means milliseconds, so values copied from Kafka configs
/// (`604800000`) keep their meaning. A year is 365 days: retention periods in
/// regulations are stated in years, and Kafka has no calendar, so a fixed
/// length is the only honest conversion.
public enum DurationParser {
    /// Milliseconds per unit suffix.
    public static let unitMilliseconds: [String: Int64] = [
        "ms": 1,
        "s": 1_000,
        "m": 60_000,
        "h": 3_600_000,
        "d": 86_400_000,
        "w": 7 * 86_400_000,
        "y": 365 * 86_400_000,
    ]

    /// Converts a duration to milliseconds.
    ///
    /// - Throws: ``ValueParseError`` for a missing number, an unknown unit, a
    ///   negative value or one that overflows `Int64` milliseconds.
    public static func milliseconds(from text: String) throws(ValueParseError) -> Int64 {
        let (number, unit) = IntegerParser.splitNumberAndUnit(text)
        guard !number.isEmpty, let value = IntegerParser.int64(number) else {
            throw ValueParseError("invalid duration '\(text)' (expected an integer with unit ms, s, m, h, d, w or y, e.g. 7d)")
        }
        guard value >= 0 else {
            throw ValueParseError("duration '\(text)' must not be negative")
        }
        let factor: Int64
        if unit.isEmpty {
            factor = 1
        } else if let known = unitMilliseconds[unit] {
            factor = known
        } else {
            throw ValueParseError("bad duration unit '\(unit)' in '\(text)' (use ms, s, m, h, d, w or y)")
        }
        let (product, overflow) = value.multipliedReportingOverflow(by: factor)
        guard !overflow else {
            throw ValueParseError("duration '\(text)' is too large")
        }
        return product
    }
}
