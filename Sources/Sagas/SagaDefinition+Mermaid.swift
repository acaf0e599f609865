extension SagaDefinition {
    /// The definition as a Mermaid `stateDiagram-v2`: steps left to right, each with its
    /// command and participant; where a failure leads (the compensation of the latest step
    /// that has one); compensations in reverse order; retries as self-loops.
    public func mermaidDiagram() -> String {
        var lines = ["stateDiagram-v2", "    direction LR"]
        func label(_ text: String) -> String { text.replacingOccurrences(of: "\"", with: "'") }
        for (index, step) in steps.enumerated() {
            lines.append("    state \"\(label(step.name))<br/>\(step.action) → \(step.participant)\" as s\(index)")
        }
        let compensable = steps.indices.filter { steps[$0].compensation != nil }
        for index in compensable {
            let step = steps[index]
            lines.append("    state \"undo \(label(step.name))<br/>\(step.compensation ?? "") → \(step.participant)\" as c\(index)")
        }
        lines.append("    state \"awaiting review\" as AwaitingReview")
        /// Where undoing begins when step `index` fails: the latest earlier step with a compensation.
        func undoFrom(before index: Int) -> String {
            compensable.last { $0 < index }.map { "c\($0)" } ?? "Compensated"
        }
        lines.append("    [*] --> s0")
        for (index, step) in steps.enumerated() {
            let next = index + 1 < steps.count ? "s\(index + 1)" : "Completed"
            lines.append("    s\(index) --> \(next) : succeeded")
            lines.append("    s\(index) --> s\(index) : transient failure or timeout, retry with backoff (\(step.retry.maxAttempts) attempts)")
            lines.append("    s\(index) --> \(undoFrom(before: index)) : rejected, out of attempts or past a deadline")
            if step.compensation != nil {
                lines.append("    s\(index) --> c\(index) : unanswered for good (it may have been applied)")
            }
            if step.mayRequestReview {
                lines.append("    s\(index) --> AwaitingReview : review required")
                lines.append("    AwaitingReview --> \(next) : approved")
                lines.append("    AwaitingReview --> \(undoFrom(before: index + 1)) : rejected")
            }
        }
        for index in compensable.reversed() {
            lines.append("    c\(index) --> \(undoFrom(before: index)) : compensated")
            lines.append("    c\(index) --> c\(index) : failed, retried until it succeeds")
            lines.append("    c\(index) --> Failed : refused (operator needed)")
        }
        lines.append("    Completed --> [*]")
        lines.append("    Compensated --> [*]")
        return lines.joined(separator: "\n") + "\n"
    }
}
