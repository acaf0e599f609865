import Foundation

/// What the log cleaner does with a partition's closed segments: Kafka's `cleanup.policy`.
///
/// - ``delete``: retention (`retention.ms`, `retention.bytes`) deletes whole closed segments.
/// - ``compact``: compaction keeps only the latest record of each key (tombstones for
///   `delete.retention.ms`); records without a key are refused on append.
/// - ``compactDelete``: both, retention first (Kafka's `compact,delete`).
public enum CleanupPolicy: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case delete
    case compact
    case compactDelete = "compact,delete"

    /// True when retention deletes old segments.
    public var deletes: Bool { self != .compact }

    /// True when compaction runs and keys are required.
    public var compacts: Bool { self != .delete }

    /// Parses Kafka's comma-separated list (`delete`, `compact`, `compact,delete`, `delete,compact`,
    /// spaces allowed). Returns nil for an empty list or an unknown word.
    public init?(kafkaValue: String) {
        let words = kafkaValue.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !words.isEmpty, words.allSatisfy({ $0 == "delete" || $0 == "compact" }) else { return nil }
        switch (words.contains("compact"), words.contains("delete")) {
        case (true, true): self = .compactDelete
        case (true, false): self = .compact
        default: self = .delete
        }
    }

    /// The value as Kafka writes it (`delete`, `compact` or `compact,delete`).
    public var description: String { rawValue }
}
