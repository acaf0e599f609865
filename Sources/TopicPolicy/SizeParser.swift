/// Reads byte sizes: a plain integer, or an integer with a `KiB`, `MiB` or
/// `GiB` suffix (`10MiB` = 10485760).
///
/// Only binary suffixes are accepted: `10MB` is ambiguous (10^7 or 10·2^20),
/// and for `max.message.bytes` the difference decides whether a producer's
/// batch is accepted, so the file must say which it means.
public enum SizeParser {
    /// Bytes per unit suffix.
    public static let unitBytes: [String: Int64] = [
        "KiB": 1 << 10,
        "MiB": 1 << 20,
        "GiB": 1 << 30,
    ]

    /// Converts a size to bytes.
    ///
    /// - Throws: ``ValueParseError`` for a missing number, an unknown unit, a
    ///   negative value or one that overflows `Int64`.
    public static func bytes(from text: String) throws(ValueParseError) -> Int64 {
        let (number, unit) = IntegerParser.splitNumberAndUnit(text)
        guard !number.isEmpty, let value = IntegerParser.int64(number) else {
            throw ValueParseError("invalid size '\(text)' (expected an integer of bytes, optionally with KiB, MiB or GiB)")
        }
        guard value >= 0 else {
            throw ValueParseError("size '\(text)' must not be negative")
        }
        let factor: Int64
        if unit.isEmpty {
            factor = 1
        } else if let known = unitBytes[unit] {
            factor = known
        } else {
            throw ValueParseError("bad size unit '\(unit)' in '\(text)' (use KiB, MiB or GiB)")
        }
        let (product, overflow) = value.multipliedReportingOverflow(by: factor)
        guard !overflow else {
            throw ValueParseError("size '\(text)' is too large")
        }
        return product
    }
}
