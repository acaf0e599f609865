import Testing
@testable import TopicPolicy

/// Parses `yaml` expecting failure and returns the reported errors.
func validationErrors(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) -> [TopicsFileError] {
    do {
        let file = try TopicsFile.parse(yaml: yaml, fileName: "topics.yaml")
        Issue.record("expected validation errors, got \(file.topics.count) topics", sourceLocation: sourceLocation)
        return []
    } catch let errors as TopicsFileErrors {
        return errors.errors
    } catch {
        Issue.record("unexpected error type: \(error)", sourceLocation: sourceLocation)
        return []
    }
}

/// Expects exactly one error, at `line`:`column`, whose message contains `fragment`.
func expectSingleError(
    _ yaml: String, line: Int, column: Int, containing fragment: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let errors = validationErrors(yaml, sourceLocation: sourceLocation)
    #expect(errors.count == 1, "errors: \(errors.map(\.description))", sourceLocation: sourceLocation)
    guard let error = errors.first else { return }
    #expect(error.line == line, "\(error)", sourceLocation: sourceLocation)
    #expect(error.column == column, "\(error)", sourceLocation: sourceLocation)
    #expect(error.message.contains(fragment), "\(error)", sourceLocation: sourceLocation)
    #expect(error.fileName == "topics.yaml", sourceLocation: sourceLocation)
}
