/// Every problem found in a topics file.
///
/// Validation does not stop at the first problem: an operator fixing a file
/// in CI should see the whole list in one run. ``errors`` is ordered by
/// position in the file.
public struct TopicsFileErrors: Error, CustomStringConvertible, Sendable, Hashable {
    /// The problems, ordered by line and column. Never empty when thrown.
    public let errors: [TopicsFileError]

    /// Creates the collection, ordering the errors by position.
    public init(_ errors: [TopicsFileError]) {
        // A stable sort keeps problems reported for the same node in the order
        // they were found.
        self.errors = errors.enumerated().sorted { lhs, rhs in
            (lhs.element.line, lhs.element.column, lhs.offset)
                < (rhs.element.line, rhs.element.column, rhs.offset)
        }.map(\.element)
    }

    /// One error per line, each formatted as ``TopicsFileError/description``.
    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
