/// A `{version}` path segment: a version number, or the latest version.
public enum VersionSelector: Sendable, Equatable {
    /// The newest version (Confluent spells it `latest` or `-1`).
    case latest
    /// A specific version, 1…2^31-1.
    case number(Int)

    /// Parses `latest`, `-1` or 1…2^31-1; anything else is `nil` (→ 42202).
    public init?(_ text: String) {
        if text == "latest" || text == "-1" {
            self = .latest
        } else if let n = Int32(text), n >= 1 {
            self = .number(Int(n))
        } else {
            return nil
        }
    }
}
