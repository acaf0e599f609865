import Foundation

/// The declared topics of a ComplianceLog deployment: the parsed and validated
/// contents of `topics.yaml`.
///
/// ```yaml
/// defaults:
///   replication_factor: 1
///   min_insync_replicas: 1
/// topics:
///   payment-transactions:
///     partitions: 12
///     cleanup_policy: [compact, delete]
///     retention: 7y
///     ...
/// ```
///
/// Loading either succeeds with a fully valid model or throws
/// ``TopicsFileErrors`` naming every problem with its line and column, so
/// the broker, the reconciler and `eventctl topics lint` all accept exactly
/// the same files.
public struct TopicsFile: Sendable, Hashable {
    /// The file name used in error messages (the path as given to ``load(path:)``).
    public var fileName: String
    /// The directory the file was loaded from; schema paths are relative to it.
    /// `nil` for files parsed from a string.
    public var baseDirectory: URL?
    /// The `defaults:` section, or ``TopicDefaults/singleNode`` when the file has none.
    public var defaults: TopicDefaults
    /// The declared topics in file order, with defaults already applied.
    public var topics: [TopicSpec]

    /// Creates a topics file model directly (for tests and generated plans).
    public init(fileName: String, baseDirectory: URL? = nil, defaults: TopicDefaults, topics: [TopicSpec]) {
        self.fileName = fileName
        self.baseDirectory = baseDirectory
        self.defaults = defaults
        self.topics = topics
    }

    /// The topic with this name, if declared.
    public func topic(named name: String) -> TopicSpec? {
        topics.first { $0.name == name }
    }

    /// Reads and validates a topics file from disk.
    ///
    /// Besides everything ``parse(yaml:fileName:)`` checks, schema files named
    /// under `schema:` must exist relative to the file's directory.
    ///
    /// - Parameter path: Path of the file; it is also the file name in error messages.
    /// - Throws: ``TopicsFileErrors`` with every problem found, including a
    ///   file-level error (line 0) when the file cannot be read or is not UTF-8.
    public static func load(path: String) throws -> TopicsFile {
        let url = URL(fileURLWithPath: path)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TopicsFileErrors([TopicsFileError(
                fileName: path, line: 0, column: 0, message: "cannot read file: \(error.localizedDescription)")])
        }
        guard let yaml = String(data: data, encoding: .utf8) else {
            throw TopicsFileErrors([TopicsFileError(
                fileName: path, line: 0, column: 0, message: "file is not valid UTF-8")])
        }
        let validator = TopicsFileValidator(fileName: path, baseDirectory: url.deletingLastPathComponent())
        return try validator.validate(yaml: yaml)
    }

    /// Parses and validates topics.yaml content.
    ///
    /// Schema file paths are not checked against the file system, since there is
    /// no directory to resolve them in; ``load(path:)`` does check them.
    ///
    /// - Parameters:
    ///   - yaml: The file's contents.
    ///   - fileName: The name to put in error messages, e.g. `topics.yaml`.
    /// - Throws: ``TopicsFileErrors`` with every problem found, ordered by position.
    public static func parse(yaml: String, fileName: String) throws -> TopicsFile {
        try TopicsFileValidator(fileName: fileName, baseDirectory: nil).validate(yaml: yaml)
    }
}
