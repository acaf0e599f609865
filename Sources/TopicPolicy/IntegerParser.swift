/// Reads the decimal integers topics.yaml allows.
///
/// YAML 1.1 would also read `0x1F`, `0o17` or `1:30` as integers; a config file
/// that says `partitions: 0x10` is far more likely a typo than intent, so only
/// plain decimal digits are accepted, with `_` allowed between digits for
/// readability (`10_485_760`).
public enum IntegerParser {
    /// Parses an optionally negative decimal integer, or returns `nil`.
    public static func int64(_ text: String) -> Int64? {
        var digits = Substring(text)
        var negative = false
        if digits.first == "-" || digits.first == "+" {
            negative = digits.first == "-"
            digits = digits.dropFirst()
        }
        guard let first = digits.first, first.isASCII, first.isNumber,
              digits.last != "_",
              digits.allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "_" }),
              !digits.contains("__")
        else { return nil }
        let cleaned = digits.filter { $0 != "_" }
        // Parse the magnitude with its sign so Int64.min round-trips and
        // overflow yields nil instead of trapping.
        return Int64((negative ? "-" : "") + cleaned)
    }

    /// Splits `text` into its leading integer (digits and `_`) and the rest, e.g.
    /// `"500ms"` into `("500", "ms")`.
    static func splitNumberAndUnit(_ text: String) -> (number: String, unit: String) {
        let number = text.prefix { ($0.isASCII && $0.isNumber) || $0 == "_" || $0 == "-" || $0 == "+" }
        return (String(number), String(text.dropFirst(number.count)))
    }
}
