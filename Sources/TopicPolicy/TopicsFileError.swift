/// One problem found in a topics file, positioned at the YAML node that caused it.
///
/// The description follows the compiler convention that editors and CI log
/// parsers already understand:
///
/// ```
/// topics.yaml:12:5: unknown key 'retension' in topic 'payment-transactions'
/// ```
///
/// Problems that concern the whole file rather than a node (for example a file
/// that cannot be read) carry line and column `0` and print as
/// `topics.yaml: message`.
public struct TopicsFileError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The file name as given to ``TopicsFile/load(path:)`` or ``TopicsFile/parse(yaml:fileName:)``.
    public let fileName: String
    /// 1-based line of the offending node, or 0 for file-level problems.
    public let line: Int
    /// 1-based column of the offending node (counted in Unicode scalars, as libYAML does), or 0 for file-level problems.
    public let column: Int
    /// What is wrong, phrased for an operator reading CI output.
    public let message: String

    /// Creates an error at a position in a topics file.
    public init(fileName: String, line: Int, column: Int, message: String) {
        self.fileName = fileName
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message`, or `file: message` for file-level problems.
    public var description: String {
        if line == 0 {
            return "\(fileName): \(message)"
        }
        return "\(fileName):\(line):\(column): \(message)"
    }
}
