/// Apache Kafka's rules for topic names.
public enum TopicNameValidator {
    /// Kafka's limit; longer names break the on-disk directory name `<topic>-<partition>`.
    public static let maxLength = 249

    /// Returns why `name` is not a legal Kafka topic name, or `nil` when it is.
    ///
    /// Legal names are 1–249 characters of `[a-zA-Z0-9._-]` and are not `.` or `..`
    /// (those would name the parent directories of the log store).
    public static func problem(with name: String) -> String? {
        if name.isEmpty {
            return "topic name must not be empty"
        }
        if name == "." || name == ".." {
            return "topic name '\(name)' is not allowed"
        }
        if name.count > maxLength {
            return "topic name '\(name.prefix(40))…' is \(name.count) characters long (at most \(maxLength))"
        }
        if let bad = name.unicodeScalars.first(where: { !isLegal($0) }) {
            return "invalid topic name '\(name)': character '\(bad)' is not allowed (use a-z, A-Z, 0-9, '.', '_', '-')"
        }
        return nil
    }

    /// The name Kafka uses in metric names, where `.` and `_` become the same.
    /// Two topics whose metric names are equal collide, and Kafka refuses the second.
    public static func metricName(_ name: String) -> String {
        String(name.map { $0 == "." ? "_" : $0 })
    }

    private static func isLegal(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-": return true
        default: return false
        }
    }
}
